'use strict';
// Runs the benches of a suite one after the other (`node bench/run.js core`), each in its own
// Node process with the TypeScript require hook; prints each bench's JSON line.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const suite = process.argv[2] || 'core';
const dir = path.join(__dirname, suite);
if (!fs.existsSync(dir)) {
  console.error(`no bench suite "${suite}" (expected ${dir})`);
  process.exit(2);
}
const order = ['relay.bench.ts', 'rebuild.bench.ts', 'latency.bench.ts'];
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
let failed = 0;
for (const f of files) {
  process.stderr.write(`\n== ${suite}/${f}\n`);
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'register.js'), path.join(dir, f)], {
    stdio: 'inherit',
    cwd: path.resolve(__dirname, '..'),
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
