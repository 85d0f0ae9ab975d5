#!/usr/bin/env node
'use strict';
/**
 * Build: type-check the whole repo once (tsc --noEmit), then compile every project with swc
 * into <project>/dist (libs first; apps resolve @hrp/* through the workspace links to libs' dist).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const projects = [
  ...fs.readdirSync(path.join(root, 'libs')).map((d) => `libs/${d}`),
  ...fs.readdirSync(path.join(root, 'services')).map((d) => `services/${d}`),
  'gateway',
].filter((p) => fs.existsSync(path.join(root, p, 'src')));

const t0 = Date.now();
if (!process.argv.includes('--no-typecheck')) {
  const r = spawnSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('build: type errors (above)');
    process.exit(1);
  }
}
const t1 = Date.now();
for (const p of projects) {
  // Compiled beside dist, then swapped in: a process starting from dist meanwhile (another build,
  // a running test) never finds it half written.
  const next = `dist.next-${process.pid}`;
  fs.rmSync(path.join(root, p, next), { recursive: true, force: true });
  const r = spawnSync(
    bin('swc'),
    [
      'src',
      '-d',
      next,
      '--strip-leading-paths',
      '--config-file',
      path.join(root, '.swcrc'),
      '--ignore',
      '**/*.spec.ts',
      '--copy-files',
      '-q',
    ],
    {
      cwd: path.join(root, p),
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    fs.rmSync(path.join(root, p, next), { recursive: true, force: true });
    console.error(`build: swc failed for ${p}`);
    process.exit(1);
  }
  const old = `dist.old-${process.pid}`;
  if (fs.existsSync(path.join(root, p, 'dist'))) fs.renameSync(path.join(root, p, 'dist'), path.join(root, p, old));
  fs.renameSync(path.join(root, p, next), path.join(root, p, 'dist'));
  fs.rmSync(path.join(root, p, old), { recursive: true, force: true });
}
// Federation: compose the supergraph ahead of time; a composition error fails the build.
const composed = spawnSync(process.execPath, [path.join(root, 'gateway', 'dist', 'compose.cli.js')], { cwd: root, stdio: 'inherit' });
if (composed.status !== 0) {
  console.error('build: supergraph composition failed');
  process.exit(1);
}
console.log(
  `build: type-check ${((t1 - t0) / 1000).toFixed(1)} s, compile ${projects.length} projects ${((Date.now() - t1) / 1000).toFixed(1)} s`,
);
