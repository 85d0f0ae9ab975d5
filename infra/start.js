#!/usr/bin/env node
'use strict';
/**
 * `npm start`: on a fresh clone, installs dependencies, fetches and starts the real servers,
 * builds, starts the five services and the gateway, waits for their health, prints the URLs and
 * the dev logins, and on Ctrl-C stops the apps and the servers it started.
 */
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, installIfNeeded, build } = require('./lib/workflow');

const APPS = [
  { name: 'campaigns', port: 4001, main: 'services/campaigns/dist/main.js' },
  { name: 'training', port: 4002, main: 'services/training/dist/main.js' },
  { name: 'partnerships', port: 4003, main: 'services/partnerships/dist/main.js' },
  { name: 'advocacy', port: 4004, main: 'services/advocacy/dist/main.js' },
  { name: 'finance', port: 4005, main: 'services/finance/dist/main.js' },
  { name: 'gateway', port: 4000, main: 'gateway/dist/main.js' },
];
/** The dev users, as the realm file imports them (the one list: infra/keycloak/realm-hrp.json). */
const DEV_USERS = require('./keycloak/realm-hrp.json')
  .users.filter((u) => !u.username.startsWith('service-account-'))
  .map((u) => (u.attributes?.region ? `${u.username} (${u.attributes.region[0]})` : u.username));

async function waitHealthy(app, child, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${app.name} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${app.port}/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app.name} did not become healthy on port ${app.port} within ${timeoutMs / 1000} s`);
}

async function main() {
  const t0 = Date.now();
  installIfNeeded();
  const infra = require('./lib/servers');
  const up = await infra.up({ instance: 'main' });
  try {
    build();
  } catch (e) {
    await infra.down({ instance: 'main', only: up.started });
    throw e;
  }

  const children = [];
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\n[hrp] stopping…\n');
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    const stopped = await infra.down({ instance: 'main', only: up.started });
    process.stderr.write(
      `[hrp] apps stopped; servers stopped: ${stopped.join(', ') || 'none (they were already running before npm start)'}\n`,
    );
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const app of APPS) {
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, app.main)], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(app.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `${app.name.padEnd(12)}| `;
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.on('data', (d) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop();
        for (const l of lines) process.stdout.write(prefix + l + '\n');
      });
    }
    child.on('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`[hrp] ${app.name} exited unexpectedly (code ${code}); stopping everything\n`);
        void stop(1);
      }
    });
    children.push(child);
  }
  try {
    await Promise.all(APPS.map((a, i) => waitHealthy(a, children[i])));
  } catch (e) {
    process.stderr.write(`[hrp] ${e.message}\n`);
    return stop(1);
  }
  const p = up.ports;
  console.log(`
HRP is up in ${((Date.now() - t0) / 1000).toFixed(1)} s — Ctrl-C stops everything.

  Console        http://localhost:4000/console/ (sign in with a dev login below)
  Gateway        http://127.0.0.1:4000          (GraphQL: /graphql, health: /health)
  Services       campaigns :4001  training :4002  partnerships :4003  advocacy :4004  finance :4005
  Keycloak       http://127.0.0.1:${p.keycloak}          realm hrp; console admin: kc-admin / kc-admin-dev-password
  Kafka          127.0.0.1:${p.kafka}
  MongoDB (FerretDB)  mongodb://127.0.0.1:${p.store}

  Dev logins (DEV ONLY), password hrp-dev-password, client hrp-web:
    ${DEV_USERS.join(', ')}
`);
}

main().catch((e) => {
  console.error(e && (e.name === 'InfraError' || e.name === 'StepError') ? `[hrp] ${e.message}` : e);
  process.exit(1);
});
