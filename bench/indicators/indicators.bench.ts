/**
 * bench:indicators — reading indicators from the reporting projections at a year's volume, and
 * what keeping them pre-aggregated costs a write (issue 14 item 1).
 *
 *   npm run bench:indicators       (needs the infra: `node infra/infra.js up`)
 *   env: BENCH_CAMPAIGNS (2000; 5 activities each, all held: 20,000 facts in the year),
 *        BENCH_OPS (30 per scenario), BENCH_POSTGRES_URL (FerretDB's PostgreSQL)
 *
 * Seeding applies each campaign's whole stream with the projector's own write
 * (`ReportingStore.apply`), into a database of its own with the runtime's indexes. Then, each as
 * p50 / p90 (ms) and p50 as a ratio of the baseline's:
 * - baseline: one cell read by `_id` (the cheapest read the store has);
 * - AWR-01 for the year, nationally, and for one region and quarter: read from the cells;
 * - the same figure summed from its facts (how it would cost without the cells);
 * - the 13 indicators of the catalogue for the year (what `indicators(year)` reads, minus targets);
 * - the drill-down's first page (50 facts);
 * - a live write: one more event on a campaign (an activity held), facts and cells rewritten.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { ensureEqualityIndexes } from '@hrp/context-kit';
import type { StoredEvent } from '@hrp/contracts';
import { INDICATORS } from '../../gateway/src/platform/reporting/catalogue';
import { drillDownOf, indicatorView } from '../../gateway/src/platform/reporting/indicators.query';
import {
  REPORT_CELL_KEYS,
  REPORT_CELLS,
  REPORT_FACT_KEYS,
  REPORT_FACTS,
  ReportingStore,
  sumFacts,
} from '../../gateway/src/platform/reporting/reporting.store';

const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 2000);
const OPS = Number(process.env.BENCH_OPS ?? 30);
const ACTIVITIES = 5;
const REGIONS = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);

let position = 0;
function campaign(c: number, extra = 0): StoredEvent[] {
  const stream = `campaign-${c}`;
  let version = 0;
  const ev = (type: string, data: Record<string, unknown>): StoredEvent => ({
    streamId: stream,
    streamVersion: ++version,
    position: ++position,
    type,
    schemaVersion: 1,
    data: { campaignId: stream, ...data },
    metadata: { eventId: `${stream}-${version}`, time: '2026-01-01T00:00:00Z', actor: { subject: 's', username: 'u' }, correlationId: 'c' },
  });
  const out = [ev('CampaignCreated', {})];
  for (let a = 0; a < ACTIVITIES + extra; a++)
    out.push(
      ev('ActivityScheduled', {
        activityId: `a${a}`,
        kind: a % 2 ? 'WORKSHOP' : 'CARAVAN',
        date: `2026-${String(1 + ((c + a) % 12)).padStart(2, '0')}-15`,
        region: REGIONS[(c * 5 + a * 7 + Math.floor(c / 12)) % 12],
      }),
    );
  for (let a = 0; a < ACTIVITIES + extra; a++)
    out.push(
      ev('ActivityHeld', {
        activityId: `a${a}`,
        participants: { female: 10 + (c % 30), male: 8 + (a % 5), undisclosed: 1, withDisability: 2 },
      }),
    );
  return out;
}

function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: +at(0.5).toFixed(1), p90: +at(0.9).toFixed(1) };
}

async function measure(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < OPS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

async function main(): Promise<void> {
  const conn = await mongoose.createConnection(MONGO, { dbName: `bench_indicators_${randomBytes(3).toString('hex')}` }).asPromise();
  const db = conn.db!;
  try {
    await ensureEqualityIndexes(db, REPORT_FACTS, REPORT_FACT_KEYS, { postgresUrl: POSTGRES, warn: console.error });
    await ensureEqualityIndexes(db, REPORT_CELLS, REPORT_CELL_KEYS, { postgresUrl: POSTGRES, warn: console.error });
    const store = new ReportingStore(db);
    const t0 = performance.now();
    for (let c = 0; c < CAMPAIGNS; c++) {
      await store.apply('campaigns', campaign(c));
      if (c % 200 === 199) process.stderr.write(`seeded ${c + 1} campaigns\n`);
    }
    const seedS = (performance.now() - t0) / 1000;
    const facts = await store.facts.countDocuments({});
    const cells = await store.cells.countDocuments({});

    const year = { year: 2026, quarter: null, region: null };
    const cellId = 'AWR-01|2026|2|MA-03';
    const baseline = percentiles(await measure(() => store.cells.findOne({ _id: cellId })));
    const scenarios: Record<string, number[]> = {
      'AWR-01 year, national (cells)': await measure(() => store.sums('AWR-01', 2026)),
      'AWR-01 Q2 MA-03 (cells)': await measure(() => store.sums('AWR-01', 2026, 2, 'MA-03')),
      'AWR-01 year, national, summed from facts': await measure(async () => sumFacts(await store.factsOf('AWR-01', 2026))),
      'AWR-01 Q2 MA-03, summed from facts': await measure(async () => sumFacts(await store.factsOf('AWR-01', 2026, 2, 'MA-03'))),
      'indicators(2026): the 13': await measure(() =>
        Promise.all(INDICATORS.map((d) => indicatorView(store, d, year, null, { onTrack: 0.9, atRisk: 0.6 }))),
      ),
      'drillDown first 50': await measure(async () =>
        drillDownOf(await indicatorView(store, INDICATORS[0], year, null, { onTrack: 0.9, atRisk: 0.6 }), { first: 50 }),
      ),
    };
    // Live writes: a campaign gets one more activity held (its earlier events are redelivered no-ops).
    const writes: number[] = [];
    for (let i = 0; i < OPS; i++) {
      const events = campaign(i, 1);
      const t = performance.now();
      await store.apply(
        'campaigns',
        events.slice(-1).map((e) => ({ ...e, streamVersion: 2 * (ACTIVITIES + 1) + 1 })),
      );
      writes.push(performance.now() - t);
    }
    scenarios['write: one event (facts and cells rewritten)'] = writes;
    const results = Object.fromEntries(
      Object.entries(scenarios).map(([k, ms]) => {
        const p = percentiles(ms);
        return [k, { ...p, ratio: +(p.p50 / baseline.p50).toFixed(1) }];
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'indicators',
        campaigns: CAMPAIGNS,
        facts,
        cells,
        seed: { seconds: +seedS.toFixed(1), streamsPerSecond: +(CAMPAIGNS / seedS).toFixed(0) },
        ops: OPS,
        baseline: { what: 'one cell by _id', ...baseline },
        results,
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
