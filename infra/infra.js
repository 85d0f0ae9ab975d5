#!/usr/bin/env node
'use strict';
/**
 * infra — obtain, start, health-check and stop HRP's local servers.
 *
 *   node infra/infra.js fetch                 download/build everything (cached)
 *   node infra/infra.js up [--only a,b]       start (idempotent) and wait for health
 *   node infra/infra.js status                pid and health of each server; the apps' health and consumer lags
 *   node infra/infra.js down                  stop only the servers infra started
 *   node infra/infra.js memory                resident memory of each server
 *   node infra/infra.js images                build the container images fault tests use (cached)
 *                                             and serve the Docker API for Testcontainers
 */
const infra = require('./lib/servers');

function parse(argv) {
  const [cmd = 'status', ...rest] = argv;
  const opts = { instance: 'main' };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--only') opts.only = rest[++i].split(',');
    else if (rest[i] === '--instance') opts.instance = rest[++i];
    else throw new infra.InfraError(`unknown option ${rest[i]}`);
  }
  if (opts.only)
    for (const o of opts.only)
      if (!infra.ALL.includes(o)) throw new infra.InfraError(`unknown server '${o}' (one of ${infra.ALL.join(', ')})`);
  return { cmd, opts };
}

async function main() {
  const { cmd, opts } = parse(process.argv.slice(2));
  switch (cmd) {
    case 'fetch': {
      const t = Date.now();
      for (const name of opts.only ?? infra.ALL)
        ({ store: infra.fetchFerretDb, kafka: infra.fetchKafka, keycloak: infra.fetchKeycloak })[name]();
      console.log(`fetched in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      break;
    }
    case 'up': {
      const t = Date.now();
      const r = await infra.up(opts);
      console.log(
        `infra up in ${((Date.now() - t) / 1000).toFixed(1)} s — started: ${r.started.join(', ') || 'none'}; reused: ${r.reused.join(', ') || 'none'}`,
      );
      console.log(
        `  Kafka     127.0.0.1:${r.ports.kafka}\n  MongoDB   mongodb://127.0.0.1:${r.ports.store}\n  Keycloak  http://127.0.0.1:${r.ports.keycloak} (health on :${r.ports.keycloakManagement})`,
      );
      break;
    }
    case 'down': {
      const stopped = await infra.down(opts);
      console.log(`stopped: ${stopped.join(', ') || 'nothing was running'}`);
      break;
    }
    case 'status': {
      const s = await infra.status(opts);
      for (const [name, v] of Object.entries(s))
        console.log(`${name.padEnd(9)} ${v.healthy ? 'healthy' : 'down   '} pid=${v.pid ?? '-'}  ${v.label}`);
      await printAppStatus();
      break;
    }
    case 'memory': {
      for (const name of ['postgres', ...infra.ALL]) {
        const kb = infra.residentKb(opts.instance, name);
        console.log(`${name.padEnd(9)} ${kb == null ? 'not running' : `${(kb / 1024).toFixed(0)} MiB (PSS)`}`);
      }
      break;
    }
    case 'images': {
      const r = await require('./lib/images').prepare(opts.only ? { only: opts.only } : {});
      const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`images ready in ${s(r.ms)} — built: ${r.built.join(', ') || 'none (cached)'}`);
      for (const [name, tag] of Object.entries(r.images)) console.log(`  ${name.padEnd(9)} ${tag}  (${s(r.timings[name])})`);
      console.log(`  base      ${s(r.timings.base)}; Docker API: ${r.env.DOCKER_HOST}${r.serviceStarted ? ' (started)' : ''}`);
      break;
    }
    default:
      throw new infra.InfraError(`unknown command '${cmd}' (fetch, up, status, down, memory, images)`);
  }
}

main().catch((e) => {
  console.error(e instanceof infra.InfraError ? `infra: ${e.message}` : e);
  process.exit(1);
});

/** The apps `npm start` runs, on their default ports: health and each consumer's lag, when they answer. */
async function printAppStatus() {
  const apps = [
    ['gateway', 4000],
    ['campaigns', 4001],
    ['training', 4002],
    ['partnerships', 4003],
    ['advocacy', 4004],
    ['finance', 4005],
  ];
  for (const [name, port] of apps) {
    let body;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
      body = await res.json();
    } catch {
      console.log(`${name.padEnd(12)} not running (port ${port})`);
      continue;
    }
    console.log(`${name.padEnd(12)} ${body.status === 'ok' ? 'ok   ' : 'ERROR'} port ${port}`);
    for (const [check, c] of Object.entries(body.checks ?? {})) {
      if (c.status !== 'up') console.log(`  ${check}: ${c.reason ?? 'down'}`);
      for (const [consumer, d] of Object.entries(c.details?.consumers ?? {}))
        console.log(
          `  consumer ${consumer}: ${d.state}, lag ${d.lag ?? '?'} events, ${d.secondsSinceProgress} s since progress, ${d.restarts} restarts`,
        );
      const r = c.details?.relay;
      if (r)
        console.log(
          `  relay: ${r.holdsLease ? 'publishing' : 'standby'}, position ${r.position}, ${r.published} published${r.lastError ? `, last error: ${r.lastError}` : ''}`,
        );
    }
  }
}
