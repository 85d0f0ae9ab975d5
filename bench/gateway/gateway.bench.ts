/**
 * bench:gateway — mutation and list-query throughput and latency through the federated gateway
 * versus the campaigns subgraph called directly, measured in the same run on the same servers.
 *
 *   npm run bench:gateway            (needs `npm run build` and the infra; starts its own apps)
 *   BENCH_OPS=400 BENCH_CONCURRENCY=8 npm run bench:gateway
 *
 * Each scenario alternates direct and gateway rounds so that warm-up and drift hit both sides.
 * Figures: ops/s, p50 and p99 latency (ms); ratios gateway / direct.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { infraServers, startApp, type RunningApp } from '@hrp/testing';

const OPS = Number(process.env.BENCH_OPS ?? 200);
/** The list query reads the whole read model on FerretDB 1.x (no sort pushdown): fewer of them. */
const LIST_OPS = Number(process.env.BENCH_LIST_OPS ?? 24);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

let cached: { token: string; at: number } | undefined;
/** A campaign-manager token, renewed well before its 5-minute lifetime ends. */
async function bearerToken(): Promise<string> {
  if (!cached || Date.now() - cached.at > 120_000) cached = { token: await token(), at: Date.now() };
  return cached.token;
}

async function token(): Promise<string> {
  const res = await fetch('http://127.0.0.1:8080/realms/hrp/protocol/openid-connect/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'hrp-web', username: 'campaign-manager', password: 'hrp-dev-password' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { position campaign { id version status } } }`;
const LIST = `{ campaigns(first: 20) { totalCount edges { cursor node { id title { fr } status regions participants { total } } } } }`;
const input = () => ({
  title: { fr: `Campagne ${randomUUID().slice(0, 8)}` },
  themes: ['CRC'],
  audiences: ['YOUTH'],
  channels: ['RADIO'],
  regions: ['MA-06'],
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  targetReach: 100,
});

/** Runs `ops` requests with `concurrency` in flight; returns per-request latencies (ms) and wall time. */
async function load(url: string, body: () => unknown, ops: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) {
        next++;
        const bearer = await bearerToken();
        const t = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify(body()),
        });
        const json = (await res.json()) as { errors?: unknown[] };
        if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors).slice(0, 300)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function scenario(name: string, direct: string, gateway: string, body: () => unknown, ops = OPS) {
  const acc = { direct: { lat: [] as number[], ms: 0 }, gateway: { lat: [] as number[], ms: 0 } };
  await load(direct, body, Math.min(30, ops), CONCURRENCY); // warm-up, both paths
  await load(gateway, body, Math.min(30, ops), CONCURRENCY);
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of ['direct', 'gateway'] as const) {
      const x = await load(side === 'direct' ? direct : gateway, body, ops, CONCURRENCY);
      acc[side].lat.push(...x.latencies);
      acc[side].ms += x.ms;
    }
  }
  const fig = (s: { lat: number[]; ms: number }) => ({
    opsPerSec: +(s.lat.length / (s.ms / 1000)).toFixed(1),
    p50: +pct(s.lat, 50).toFixed(2),
    p99: +pct(s.lat, 99).toFixed(2),
  });
  const d = fig(acc.direct);
  const g = fig(acc.gateway);
  const result = {
    scenario: name,
    direct: d,
    gateway: g,
    ratios: { throughput: +(g.opsPerSec / d.opsPerSec).toFixed(3), p50: +(g.p50 / d.p50).toFixed(3), p99: +(g.p99 / d.p99).toFixed(3) },
  };
  console.log(JSON.stringify(result));
  return result;
}

async function main() {
  await infraServers.up({ instance: 'main' });
  const db = `bench_gateway_${Date.now()}`;
  const env = { MONGO_DB: db, KAFKA_TOPIC_PREFIX: `bench.${Date.now()}.`, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  let campaigns: RunningApp | undefined;
  let gateway: RunningApp | undefined;
  try {
    campaigns = await startApp('campaigns', 'services/campaigns', 14901, env);
    gateway = await startApp('gateway', 'gateway', 14900, {
      ...env,
      MONGO_DB: `${db}_gw`,
      CAMPAIGNS_URL: `${campaigns.url}/graphql`,
      HEALTH_SUBGRAPHS: 'campaigns',
    });
    const results = [
      await scenario('createCampaign mutation', `${campaigns.url}/graphql`, `${gateway.url}/graphql`, () => ({
        query: CREATE,
        variables: { input: input() },
      })),
      await scenario(
        'campaigns list query (first: 20)',
        `${campaigns.url}/graphql`,
        `${gateway.url}/graphql`,
        () => ({
          query: LIST,
        }),
        LIST_OPS,
      ),
    ];
    const report = { when: new Date().toISOString(), ops: OPS, listOps: LIST_OPS, rounds: ROUNDS, concurrency: CONCURRENCY, results };
    console.table(
      results.map((r) => ({
        scenario: r.scenario,
        'direct ops/s': r.direct.opsPerSec,
        'gateway ops/s': r.gateway.opsPerSec,
        'throughput ratio': r.ratios.throughput,
        'direct p50': r.direct.p50,
        'gateway p50': r.gateway.p50,
        'direct p99': r.direct.p99,
        'gateway p99': r.gateway.p99,
      })),
    );
    const out = path.join(__dirname, '..', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'gateway.json'), JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report));
  } finally {
    await gateway?.stop();
    await campaigns?.stop();
    const mongoose = await import('mongoose');
    const conn = await mongoose.createConnection('mongodb://127.0.0.1:27017', { dbName: db }).asPromise();
    await conn.dropDatabase();
    await conn.useDb(`${db}_gw`).dropDatabase();
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
