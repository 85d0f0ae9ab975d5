'use strict';
/** Steps shared by `npm start` and `npm test`: install when needed, build. */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

class StepError extends Error {
  get name() {
    return 'StepError';
  }
}

function step(label, cmd, args, opts = {}) {
  const t = Date.now();
  process.stderr.write(`[hrp] ${label}…\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    // Thrown, not exited: callers stop the servers they started before leaving.
    throw new StepError(`${label} failed (exit ${r.status ?? r.signal})`);
  }
  process.stderr.write(`[hrp] ${label} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

/** `npm ci` on a fresh clone, or when package-lock.json changed since the last install. */
function installIfNeeded() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const fresh = fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  step('installing dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
}

function build() {
  step('building (type-check + swc)', process.execPath, [path.join(ROOT, 'infra', 'build.js')]);
  // The web console: GraphQL types generated from the supergraph just composed, type-checked
  // (a schema change that breaks a query fails here), then bundled by Vite into web/dist.
  const web = path.join(ROOT, 'web');
  step("generating the web console's GraphQL types", process.execPath, [path.join(web, 'codegen.mjs')], { cwd: web });
  step(
    'type-checking the web console',
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(web, 'tsconfig.json')],
    {
      cwd: web,
    },
  );
  step(
    'bundling the web console',
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: web },
  );
}

module.exports = { ROOT, step, installIfNeeded, build, StepError };
