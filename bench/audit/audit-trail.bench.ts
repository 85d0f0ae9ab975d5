/**
 * bench:audit — the audit trail (issue 15 item 2) on the local store at 1,000,000 events: the
 * first page (50 entries) and the next one, for each filter (stream, actor by subject and by
 * username, event type, context, period, and none), oldest and newest first.
 *
 *   npm run bench:audit            (needs the infra: `node infra/infra.js up`)
 *   env: BENCH_EVENTS (1000000), BENCH_OPS (20 per scenario), BENCH_SEED (7),
 *        BENCH_POSTGRES_URL (FerretDB's PostgreSQL, postgres://postgres@127.0.0.1:5433/postgres)
 *
 * Seeding writes the entries with the projector's own write (`AuditTrailStore.write`, batches of
 * 5,000: the bucket listings, then the entries), as the consumer does after a long outage, into a
 * database of its own: two years of a platform (2025-2026), 5 contexts, 200 actors of whom a few
 * do most of the work, 60 event types of very unequal frequency, 50,000 streams.
 *
 * Baseline, in the same run: the cheapest read the store has — one equality served by an index,
 * returning a stream's ~20 entries (`find({streamId})`, no paging logic). Each scenario is given
 * as p50 / p90 / p99 (ms) and its p50 as a ratio of the baseline's. Then the GIN indexes are
 * dropped and three scenarios run again: what the same reads cost when FerretDB scans.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Client } from 'pg';
import { ensureEqualityIndexes } from '@hrp/context-kit';
import { auditEntryOf, type AuditFilter } from '../../gateway/src/platform/audit-trail/audit-entry';
import {
  AUDIT_BUCKET_KEYS,
  AUDIT_BUCKETS,
  AUDIT_ENTRIES,
  AUDIT_ENTRY_KEYS,
  AuditTrailStore,
} from '../../gateway/src/platform/audit-trail/audit-trail.store';

const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const OPS = Number(process.env.BENCH_OPS ?? 20);
let seed = Number(process.env.BENCH_SEED ?? 7);
const CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance'];
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN = Date.parse('2027-01-01T00:00:00Z') - START;

function random(): number {
  // mulberry32: the same data every run with the same seed.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** 0..n-1, small values far more often (a few actors and types make most events). */
const skewed = (n: number) => Math.min(n - 1, Math.floor(n * random() ** 3));

function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: +at(0.5).toFixed(1), p90: +at(0.9).toFixed(1), p99: +at(0.99).toFixed(1) };
}

async function main(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const conn = await mongoose.createConnection(`${MONGO}/bench_audit_${tag}`, { maxPoolSize: 8 }).asPromise();
  const db = conn.db!;
  try {
    const indexes = await ensureEqualityIndexes(db, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, { postgresUrl: POSTGRES, warn: console.error });
    await ensureEqualityIndexes(db, AUDIT_BUCKETS, AUDIT_BUCKET_KEYS, { postgresUrl: POSTGRES, warn: console.error });
    const store = new AuditTrailStore(db);

    // ---------------------------------------------------------------- seeding
    const t0 = Date.now();
    const positions = new Map<string, number>();
    const versions = new Map<string, number>();
    for (let i = 0; i < EVENTS; i += 5000) {
      const batch = [];
      for (let j = i; j < Math.min(EVENTS, i + 5000); j++) {
        const context = CONTEXTS[j % 5];
        const stream = `${context}-${Math.floor(random() * Math.max(1, EVENTS / 100))}`;
        const version = (versions.get(stream) ?? 0) + 1;
        versions.set(stream, version);
        const position = (positions.get(context) ?? 0) + 1;
        positions.set(context, position);
        const actor = skewed(200);
        const time = new Date(START + Math.floor((j / EVENTS) * SPAN) + Math.floor(random() * 1000)).toISOString();
        batch.push(
          auditEntryOf(
            {
              streamId: stream,
              streamVersion: version,
              position,
              type: `Type${skewed(60)}`,
              schemaVersion: 1,
              data: { n: j, note: 'x'.repeat(120) },
              metadata: {
                eventId: `e-${j}`,
                time,
                actor: { subject: `sub-${actor}`, username: `user${actor}` },
                correlationId: `c-${j}`,
              },
            },
            context,
          ),
        );
      }
      await store.write(batch);
      if ((i / 5000) % 20 === 0) process.stderr.write(`seeded ${i + batch.length} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    const seedS = (Date.now() - t0) / 1000;
    const buckets = await store.buckets.estimatedDocumentCount();

    // ---------------------------------------------------------------- queries
    const streams = [...versions.entries()].filter(([, v]) => v >= 15 && v <= 30).map(([s]) => s);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const day = () => new Date(START + Math.floor(random() * 700) * 86_400_000).toISOString().slice(0, 10);
    const scenarios: [string, () => { f: AuditFilter; second?: boolean }][] = [
      ['stream', () => ({ f: { streamId: pick(streams) } })],
      ['actor (busiest, subject)', () => ({ f: { actor: 'sub-0' } })],
      ['actor (busiest, newest first)', () => ({ f: { actor: 'sub-0', newestFirst: true } })],
      ['actor (rare, username)', () => ({ f: { actor: `user${150 + Math.floor(random() * 50)}` } })],
      [
        'actor + period (a month)',
        () => ({ f: { actor: `sub-${Math.floor(random() * 20)}`, from: `${day().slice(0, 7)}-01T00:00:00.000Z` } }),
      ],
      ['type (common)', () => ({ f: { eventType: 'Type0' } })],
      ['type (rare, newest first)', () => ({ f: { eventType: `Type${50 + Math.floor(random() * 10)}`, newestFirst: true } })],
      ['context', () => ({ f: { context: pick(CONTEXTS) } })],
      ['period (a day)', () => ({ f: { from: `${day()}T00:00:00.000Z`, to: `${day()}T23:59:59.999Z` } })],
      ['everything, newest first', () => ({ f: { newestFirst: true } })],
      ['second page (context)', () => ({ f: { context: pick(CONTEXTS) }, second: true })],
    ];
    const run = async (make: () => { f: AuditFilter; second?: boolean }) => {
      const ms: number[] = [];
      for (let k = 0; k < OPS; k++) {
        const { f, second } = make();
        if (f.from && f.to && f.from > f.to) [f.from, f.to] = [f.to, f.from];
        const after = second ? ((await store.page(f, 50, null)).entries.at(-1)?._id ?? null) : null;
        const t = performance.now();
        await store.page(f, 50, after);
        ms.push(performance.now() - t);
      }
      return percentiles(ms);
    };
    const baselineRun = async () => {
      const ms: number[] = [];
      for (let k = 0; k < OPS; k++) {
        const t = performance.now();
        await store.entries.find({ streamId: pick(streams) }).toArray();
        ms.push(performance.now() - t);
      }
      return percentiles(ms);
    };
    const baseline = await baselineRun();
    const results: Record<string, unknown> = {};
    for (const [name, make] of scenarios) {
      const r = await run(make);
      results[name] = { ...r, ratio: +(r.p50 / baseline.p50).toFixed(1) };
    }

    // ---------------------------------------------------------------- without the GIN indexes
    let scans: Record<string, unknown> | undefined;
    if (indexes === 'postgresql') {
      const pg = new Client({ connectionString: POSTGRES });
      await pg.connect();
      const idx = await pg.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'hrp_gin_%'`,
        [db.databaseName],
      );
      for (const { indexname } of idx.rows) await pg.query(`DROP INDEX "${db.databaseName}"."${indexname}"`);
      await pg.end();
      const noIndexBaseline = await baselineRun();
      scans = { baseline: noIndexBaseline };
      for (const [name, make] of scenarios.filter(([n]) =>
        ['actor (busiest, subject)', 'type (rare, newest first)', 'period (a day)'].includes(n),
      ))
        scans[name] = await run(make);
    }

    console.log(
      JSON.stringify({
        bench: 'audit-trail',
        events: EVENTS,
        indexes,
        seed: { seconds: +seedS.toFixed(1), perSecond: Math.round(EVENTS / seedS), bucketDocs: buckets },
        opsPerScenario: OPS,
        baseline: { what: 'find({streamId}) of one stream (~20 entries), indexed', ...baseline },
        pageOf50: results,
        ...(scans ? { withoutGinIndexes: scans } : {}),
      }),
    );
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
