#!/usr/bin/env node
'use strict';
/**
 * `npm test`: the same bootstrap as `npm start` (install, real infra up, build), then lint and
 * every Jest test (unit, integration, end-to-end) in one run. Servers this command started are
 * stopped at the end (HRP_KEEP_INFRA=1 keeps them); servers already running are reused and kept.
 * Extra arguments go to Jest, e.g. `npm test -- libs/event-store`.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, step, installIfNeeded, build } = require('./lib/workflow');

async function main() {
  const t0 = Date.now();
  installIfNeeded();
  const infra = require('./lib/servers');
  process.stderr.write('[hrp] starting infra (Kafka, FerretDB, Keycloak)…\n');
  const up = await infra.up({ instance: 'main' });
  process.stderr.write(`[hrp] infra ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (started: ${up.started.join(', ') || 'none'})\n`);
  let status = 1;
  let images;
  try {
    // Container images for the Testcontainers modules (built once, cached by content hash) and
    // podman's Docker API; Jest's global setup would do it too, but here its time is reported.
    const t = Date.now();
    process.stderr.write('[hrp] preparing container images (podman)…\n');
    images = await require('./lib/images').prepare();
    process.stderr.write(
      `[hrp] container images ready in ${((Date.now() - t) / 1000).toFixed(1)} s (built: ${images.built.join(', ') || 'none, cached'})\n`,
    );
    // The console's browser suite drives Debian's Chromium (installed once per machine).
    const t1 = Date.now();
    process.env.HRP_CHROMIUM = require('./lib/browser').ensureChromium();
    process.stderr.write(`[hrp] browser ready in ${((Date.now() - t1) / 1000).toFixed(1)} s (${process.env.HRP_CHROMIUM})\n`);
    build();
    const jestArgs = process.argv.slice(2);
    if (jestArgs.length === 0) {
      step('computing the Nx project graph', path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], {
        env: { ...process.env, NX_DAEMON: 'false' },
        stdio: 'ignore',
      });
      step('linting', path.join(ROOT, 'node_modules/.bin/eslint'), ['.', '--max-warnings', '0'], {
        env: { ...process.env, NX_DAEMON: 'false' },
      });
      step('checking formatting', path.join(ROOT, 'node_modules/.bin/prettier'), ['--check', '--log-level', 'warn', '.']);
    }
    const report = path.join(ROOT, 'var', 'jest-report.json');
    fs.mkdirSync(path.dirname(report), { recursive: true });
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/jest'), ['--json', `--outputFile=${report}`, ...jestArgs], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    status = r.status ?? 1;
    try {
      const j = JSON.parse(fs.readFileSync(report, 'utf8'));
      // The plain closing line CI reads, whatever the runner.
      console.log(`\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests} skipped`);
      if (j.numTotalTests === 0) status = status || 1;
    } catch {
      status = status || 1;
    }
  } catch (e) {
    if (e && e.name !== 'StepError') throw e;
    process.stderr.write(`[hrp] ${e.message}\n`);
    status = 1;
  } finally {
    if (images?.serviceStarted && process.env.HRP_KEEP_INFRA !== '1') await require('./lib/images').stopService();
    if (up.started.length && process.env.HRP_KEEP_INFRA !== '1') {
      await infra.down({ instance: 'main', only: up.started });
      process.stderr.write(`[hrp] stopped the servers this run started: ${up.started.join(', ')}\n`);
    }
  }
  process.stderr.write(`[hrp] npm test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  process.exit(status);
}

main().catch((e) => {
  console.error(e && e.name === 'InfraError' ? `infra: ${e.message}` : e);
  process.exit(1);
});
