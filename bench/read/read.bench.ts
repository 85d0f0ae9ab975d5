/**
 * bench:read — list queries on the campaigns read model at scale (10,000 campaigns), through the
 * federated gateway, against the by-id query on the same data in the same run.
 *
 *   npm run bench:read               (needs `npm run build` and the infra; starts its own apps)
 *   BENCH_CAMPAIGNS=1000 npm run bench:read
 *   env: BENCH_CAMPAIGNS (10000), BENCH_BY_ID_OPS (200), BENCH_LIST_OPS (24 per list scenario),
 *   BENCH_STORE_OPS (4), BENCH_CONCURRENCY (8), BENCH_ROUNDS (4), BENCH_SEED (42),
 *   BENCH_CONSUMER_TIMEOUT_MS (600000: the service's consumer batch timeout and stall window)
 *
 * Seeding appends `CampaignCreated` (and for some `CampaignPlanned`) events with the event store
 * straight into the service's database, before the service starts: its relay publishes them to
 * Kafka and its read model consumes them, as it would after a restart with a backlog. The bench
 * waits until the read model holds them all (seeding and catch-up times are reported).
 *
 * Then, with `BENCH_CONCURRENCY` requests in flight, `BENCH_ROUNDS` interleaved rounds (each
 * round runs every scenario once, in a rotated order) so that drift hits all scenarios alike:
 *   - baseline: `campaign(id)` on random seeded ids;
 *   - `campaigns(first: 20)` without `totalCount` (pages as a client reads them; the goal): no
 *     filter, status PLANNED, region MA-06, a search word (~1 %), the second page (`after`);
 *   - with `totalCount`: no filter and status PLANNED (a scan on FerretDB, shared briefly);
 *   - the store alone (same connection settings, no GraphQL): `findOne` by id, a sorted and
 *     limited `find()` and a `countDocuments`, to see where time goes.
 * Figures: p50 / p90 / p99 (ms); ratios list p50 / by-id p50. Goal: each list p50 <= 3x by-id.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { EventStore } from '@hrp/event-store';
import { deadLetterTopic, eventsTopic, KafkaJsBus } from '@hrp/messaging';
import { devToken, infraServers, startApp, type RunningApp } from '@hrp/testing';
import { campaignEventRegistry } from '../../services/campaigns/src/campaign/campaign.registry';

const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env.HRP_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 10_000);
const BY_ID_OPS = Number(process.env.BENCH_BY_ID_OPS ?? 200);
/** Each list query reads the whole read model on FerretDB 1.x (seconds at 10,000): fewer of them. */
const LIST_OPS = Number(process.env.BENCH_LIST_OPS ?? 24);
const STORE_OPS = Number(process.env.BENCH_STORE_OPS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SEED = Number(process.env.BENCH_SEED ?? 42);
/** Appends in flight while seeding (the store serialises its inserts per process; reads overlap). */
const SEED_CONCURRENCY = 8;
const CATCH_UP_TIMEOUT_MS = Number(process.env.BENCH_CATCH_UP_TIMEOUT_MS ?? 60 * 60_000);
const GATEWAY_PORT = 14950;
const CAMPAIGNS_PORT = 14951;
const GOAL = 3;
/**
 * The service's consumer batch timeout and stall window while it works through the seeded backlog.
 * With the defaults (30 s each) a Kafka batch of ~1,000 events that takes longer than 30 s on a
 * loaded store is failed / restarted before its offsets are committed, and catch-up crawls (seen:
 * 22 restarts and 2,800 of 10,000 campaigns in 19 min). The consumers are idle while the queries
 * are measured, so this does not touch the read path.
 */
const CONSUMER_TIMEOUT_MS = String(process.env.BENCH_CONSUMER_TIMEOUT_MS ?? 600_000);
const VIEW = 'campaign_view__v1';

// ------------------------------------------------------------------ realistic campaigns

/** Deterministic PRNG (mulberry32), so that two runs seed the same campaigns. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['MA-01', 'MA-02', 'MA-03', 'MA-04', 'MA-05', 'MA-06', 'MA-07', 'MA-08', 'MA-09', 'MA-10', 'MA-11', 'MA-12'] as const;
const CITY: Record<string, string> = {
  'MA-01': 'Tanger',
  'MA-02': 'Oujda',
  'MA-03': 'Fès',
  'MA-04': 'Rabat',
  'MA-05': 'Béni Mellal',
  'MA-06': 'Casablanca',
  'MA-07': 'Marrakech',
  'MA-08': 'Errachidia',
  'MA-09': 'Agadir',
  'MA-10': 'Guelmim',
  'MA-11': 'Laâyoune',
  'MA-12': 'Dakhla',
};
/** Regions weighted roughly by population (Casablanca-Settat and Rabat-Salé-Kénitra the largest). */
const REGION_WEIGHTS = [11, 7, 12, 13, 7, 20, 13, 5, 8, 2, 1, 1];
const SUBJECTS: { fr: string; en: string; ar: string; theme: string }[] = [
  { fr: 'Les droits de l’enfant', en: 'Children’s rights', ar: 'حقوق الطفل', theme: 'CRC' },
  { fr: 'Égalité entre les femmes et les hommes', en: 'Gender equality', ar: 'المساواة بين الجنسين', theme: 'CEDAW' },
  { fr: 'Liberté d’expression', en: 'Freedom of expression', ar: 'حرية التعبير', theme: 'ICCPR' },
  { fr: 'Droits des personnes handicapées', en: 'Rights of persons with disabilities', ar: 'حقوق الأشخاص في وضعية إعاقة', theme: 'CRPD' },
  { fr: 'Prévention de la torture', en: 'Prevention of torture', ar: 'الوقاية من التعذيب', theme: 'CAT' },
  { fr: 'Droits des migrants', en: 'Migrants’ rights', ar: 'حقوق المهاجرين', theme: 'CMW' },
  { fr: 'Accès à la justice', en: 'Access to justice', ar: 'الولوج إلى العدالة', theme: 'justice' },
  { fr: 'Droit à l’éducation', en: 'Right to education', ar: 'الحق في التعليم', theme: 'education' },
  { fr: 'Droit à la santé', en: 'Right to health', ar: 'الحق في الصحة', theme: 'health' },
  { fr: 'Participation citoyenne', en: 'Civic participation', ar: 'المشاركة المواطنة', theme: 'participation' },
  { fr: 'Lutte contre la violence faite aux femmes', en: 'Ending violence against women', ar: 'مناهضة العنف ضد النساء', theme: 'CEDAW' },
  { fr: 'Droits économiques et sociaux', en: 'Economic and social rights', ar: 'الحقوق الاقتصادية والاجتماعية', theme: 'ICESCR' },
];
const SETTINGS: { fr: string; en: string }[] = [
  { fr: 'à l’école', en: 'at school' },
  { fr: 'dans les médias', en: 'in the media' },
  { fr: 'en milieu rural', en: 'in rural areas' },
  { fr: 'pour les jeunes', en: 'for young people' },
  { fr: 'dans les quartiers', en: 'in the neighbourhoods' },
  { fr: 'au travail', en: 'at work' },
  { fr: 'en ligne', en: 'online' },
  { fr: 'auprès des élus', en: 'with elected officials' },
];
/** The word searched for: in about 1 % of the titles, and in no other title. */
const SEARCH_WORD = 'caravane';
const SEARCH_SHARE = 0.01;
const PLANNED_SHARE = 0.25;
const AUDIENCES = ['GENERAL_PUBLIC', 'PUBLIC_INSTITUTIONS', 'CIVIL_SOCIETY', 'YOUTH', 'MEDIA', 'WOMEN', 'CHILDREN'];
const CHANNELS = ['TV', 'RADIO', 'SOCIAL_MEDIA', 'PRINT', 'EVENTS', 'WEBSITE', 'OUTDOOR'];
const SDG_TARGETS = ['16.10', '16.3', '5.2', '4.7', '10.2', '16.b'];

function pickWeighted<T>(rng: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rng() * total;
  for (let i = 0; i < items.length; i++) if ((x -= weights[i]) < 0) return items[i];
  return items[items.length - 1];
}
const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
function some<T>(rng: () => number, items: readonly T[], max: number): T[] {
  const n = 1 + Math.floor(rng() * max);
  return [...new Set(Array.from({ length: n }, () => pick(rng, items)))];
}
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

interface SeedCampaign {
  id: string;
  data: Record<string, unknown>;
  planned: boolean;
  regions: string[];
  searchHit: boolean;
}

/** One campaign's `CampaignCreated` data (valid against the registry), and whether to plan it. */
function campaign(rng: () => number): SeedCampaign {
  const id = `campaign-${randomUUID()}`;
  const subject = pick(rng, SUBJECTS);
  const setting = pick(rng, SETTINGS);
  const home = pickWeighted(rng, REGIONS, REGION_WEIGHTS);
  // Most campaigns cover one region; some two or three.
  const regions = rng() < 0.15 ? [...new Set([home, pick(rng, REGIONS), pick(rng, REGIONS)])] : [home];
  const searchHit = rng() < SEARCH_SHARE;
  const year = 2024 + Math.floor(rng() * 4);
  const start = new Date(Date.UTC(year, Math.floor(rng() * 12), 1 + Math.floor(rng() * 28)));
  const end = new Date(start.getTime() + (14 + Math.floor(rng() * 180)) * 86_400_000);
  const caravan = searchHit ? { fr: ' — caravane', en: ' — roadshow' } : { fr: '', en: '' };
  const data: Record<string, unknown> = {
    campaignId: id,
    title: {
      fr: `${subject.fr} ${setting.fr}${caravan.fr}, ${CITY[home]} ${year}`,
      ...(rng() < 0.6 ? { ar: `${subject.ar} — ${CITY[home]} ${year}` } : {}),
      ...(rng() < 0.4 ? { en: `${subject.en} ${setting.en}${caravan.en}, ${CITY[home]} ${year}` } : {}),
    },
    themes: [subject.theme, ...(rng() < 0.3 ? ['awareness'] : [])],
    tags: rng() < 0.5 ? [{ kind: 'SDG_TARGET', ref: pick(rng, SDG_TARGETS) }] : [],
    audiences: some(rng, AUDIENCES, 3),
    channels: some(rng, CHANNELS, 3),
    regions,
    startDate: isoDate(start),
    endDate: isoDate(end),
    targetReach: 100 * (1 + Math.floor(rng() * 500)),
    partnerIds: [],
  };
  if (rng() < 0.5) data.objective = { fr: `Sensibiliser au thème « ${subject.fr.toLocaleLowerCase()} » ${setting.fr}` };
  if (rng() < 0.3) data.estimatedCost = { amount: String(100_000 * (1 + Math.floor(rng() * 200))), currency: 'MAD' };
  return { id, data, planned: rng() < PLANNED_SHARE, regions, searchHit };
}

interface Seeded {
  ids: string[];
  planned: number;
  inRegion: number;
  searchHits: number;
  appends: number;
  ms: number;
}

/** Appends the campaigns' events with the event store into the service's database. */
async function seed(conn: mongoose.Connection, n: number): Promise<Seeded> {
  const rng = prng(SEED);
  const campaigns = Array.from({ length: n }, () => campaign(rng));
  for (const c of campaigns) campaignEventRegistry.validate('CampaignCreated', c.data);
  const store = new EventStore(conn);
  await store.init();
  const meta = () => ({
    time: new Date().toISOString(),
    actor: { subject: 'bench-read-seed', username: 'campaign-manager' },
    correlationId: randomUUID(),
  });
  let next = 0;
  let appends = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < campaigns.length) {
        const c = campaigns[next++];
        await store.append(c.id, 'no-stream', [{ type: 'CampaignCreated', schemaVersion: 1, data: c.data }], meta());
        appends++;
        if (c.planned) {
          await store.append(c.id, 1, [{ type: 'CampaignPlanned', schemaVersion: 1, data: { campaignId: c.id } }], meta());
          appends++;
        }
        if (appends % 2000 < 2) process.stderr.write(`  seeded ${next}/${n} campaigns\n`);
      }
    }),
  );
  return {
    ids: campaigns.map((c) => c.id),
    planned: campaigns.filter((c) => c.planned).length,
    inRegion: campaigns.filter((c) => c.regions.includes('MA-06')).length,
    searchHits: campaigns.filter((c) => c.searchHit).length,
    appends,
    ms: performance.now() - started,
  };
}

/**
 * Waits until the read model holds every campaign, the planned ones as PLANNED. Progress comes
 * from Kafka (the topic's ends: what the relay published; the view's group offsets: what it
 * consumed), which costs the store nothing; the store is counted (two full scans on FerretDB) only
 * when Kafka says done, or every 30 s in case the group is not the one expected.
 */
async function catchUp(
  conn: mongoose.Connection,
  bus: KafkaJsBus,
  topic: string,
  group: string,
  s: Seeded,
  service: RunningApp,
): Promise<void> {
  const col = conn.db!.collection(VIEW);
  const started = Date.now();
  let lastLog = 0;
  let lastCount = Date.now();
  let counted = '';
  let unanswered = 0;
  for (;;) {
    // The service must stay up (a stopped process would leave this loop waiting for nothing).
    const answered = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(10_000) }).then(
      () => true,
      () => false,
    );
    unanswered = answered ? 0 : unanswered + 1;
    if (unanswered >= 3) throw new Error(`the campaigns service stopped answering; its last output:\n${service.output().slice(-3000)}`);
    const ends = await bus.topicOffsets(topic).catch(() => []);
    const committed = new Map((await bus.groupOffsets(group, topic).catch(() => [])).map((p) => [p.partition, BigInt(p.offset)]));
    const published = ends.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
    const consumed = ends.reduce((n, p) => {
      const c = committed.get(p.partition) ?? -1n;
      return n + (c > BigInt(p.low) ? Number(c - BigInt(p.low)) : 0);
    }, 0);
    if ((published >= s.appends && consumed >= published) || Date.now() - lastCount > 30_000) {
      lastCount = Date.now();
      const [created, planned] = await Promise.all([
        col.countDocuments({ _version: { $gt: 0 } }),
        col.countDocuments({ status: 'PLANNED', _version: { $gt: 0 } }),
      ]);
      if (created === s.ids.length && planned === s.planned) return;
      counted = `; view ${created}/${s.ids.length} campaigns, ${planned}/${s.planned} planned`;
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const secs = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`  ${secs} s: relay published ${published}/${s.appends} events, view consumed ${consumed}${counted}\n`);
    }
    if (Date.now() - started > CATCH_UP_TIMEOUT_MS) throw new Error(`read model not caught up after ${CATCH_UP_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** How many times the service restarted a consumer (from its /health), or null if it does not say. */
async function consumerRestarts(serviceUrl: string, consumer: string): Promise<number | null> {
  try {
    const res = await fetch(`${serviceUrl}/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { checks?: { runtime?: { details?: { consumers?: Record<string, { restarts?: number }> } } } };
    return body.checks?.runtime?.details?.consumers?.[consumer]?.restarts ?? null;
  } catch {
    return null;
  }
}

/** The error lines an app logged (JSON logs), for a report that had errors. */
function loggedErrors(app: RunningApp | undefined, max = 3): string[] {
  if (!app) return [];
  const lines = app
    .output()
    .split('\n')
    .filter((l) => /"level":"error"/.test(l));
  return [...new Set(lines.map((l) => l.slice(0, 600)))].slice(-max);
}

// ------------------------------------------------------------------ load

const NODE = `id version title { fr } status regions startDate endDate participants { total }`;
const BY_ID = `query($id: ID!) { campaign(id: $id) { ${NODE} } }`;
const LIST = `query($filter: CampaignFilter, $after: String) {
  campaigns(first: 20, filter: $filter, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NODE} } } } }`;
const LIST_NO_COUNT = `query($filter: CampaignFilter, $after: String) {
  campaigns(first: 20, filter: $filter, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { ${NODE} } } } }`;

interface ListData {
  campaigns: {
    totalCount?: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { status: string; regions: string[]; title: { fr: string } } }[];
  };
}

/**
 * A campaign-manager token from the real Keycloak. `devToken` caches it and fetches a new one 30 s
 * before its 5-minute lifetime ends; a request is checked by the gateway and the subgraph as soon
 * as it arrives, so that margin holds even for slow queries. (No second cache on top of it: that
 * would hand out a token past devToken's renewal point.)
 */
const bearerToken = () => devToken('campaign-manager');

async function post<T>(url: string, query: string, variables: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await bearerToken()}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as { data?: T; errors?: unknown[] };
  } catch {
    return { errors: [`HTTP ${res.status}: ${text.slice(0, 200)}`] };
  }
}

interface Scenario {
  name: string;
  /** Requests per run (split over the rounds). */
  ops: number;
  /** One request; resolves once answered, throws on an error answer. */
  run(): Promise<void>;
}

interface Sample {
  lat: number[];
  errors: number;
  /** How long the failed requests took (a timeout is not a fast answer). */
  errLat: number[];
  firstError?: string;
}

/** Runs `ops` requests of a scenario with `concurrency` in flight; adds latencies (ms) and errors to `into`. */
async function load(s: Scenario, ops: number, concurrency: number, into: Sample): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ops) }, async () => {
      while (next < ops) {
        next++;
        const t = performance.now();
        try {
          await s.run();
          into.lat.push(performance.now() - t);
        } catch (e) {
          into.errors++;
          into.errLat.push(performance.now() - t);
          into.firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
    }),
  );
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
};

function gql<T>(url: string, query: string, variables: () => Record<string, unknown>): () => Promise<T> {
  return async () => {
    const r = await post<T>(url, query, variables());
    if (r.errors || !r.data) throw new Error(`request failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
    return r.data;
  };
}

// ------------------------------------------------------------------ main

async function main() {
  await infraServers.up({ instance: 'main' });
  const tag = randomBytes(3).toString('hex');
  const db = `bench_read_${tag}`;
  const prefix = `bench.${tag}.`;
  const env = { MONGO_DB: db, KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  const serviceEnv = { ...env, CONSUMER_BATCH_TIMEOUT_MS: CONSUMER_TIMEOUT_MS, CONSUMER_STALL_MS: CONSUMER_TIMEOUT_MS };
  const conn = await mongoose.createConnection(MONGO, { dbName: db }).asPromise();
  const bus = new KafkaJsBus({ brokers: BROKERS, clientId: `bench-read-${tag}` });
  const topic = eventsTopic('campaigns', prefix);
  const viewGroup = `${prefix}hrp.campaigns.campaign_view.v1`;
  let campaigns: RunningApp | undefined;
  let gateway: RunningApp | undefined;
  let cleaned = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.stderr.write(`${signal}: cleaning up\n`);
      void cleanUp().finally(() => process.exit(130));
    });
  try {
    process.stderr.write(`seeding ${CAMPAIGNS} campaigns into ${db}\n`);
    const seeded = await seed(conn, CAMPAIGNS);
    process.stderr.write(`seeded: ${seeded.appends} appends in ${(seeded.ms / 1000).toFixed(1)} s; starting the apps\n`);
    const catchUpStarted = performance.now();
    campaigns = await startApp('campaigns', 'services/campaigns', CAMPAIGNS_PORT, serviceEnv);
    const bootMs = performance.now() - catchUpStarted;
    await catchUp(conn, bus, topic, viewGroup, seeded, campaigns);
    const viewRestarts = await consumerRestarts(campaigns.url, 'campaign_view');
    const catchUpMs = performance.now() - catchUpStarted;
    process.stderr.write(
      `read model caught up in ${(catchUpMs / 1000).toFixed(1)} s (service booted in ${(bootMs / 1000).toFixed(1)} s)\n`,
    );
    // The gateway's /health includes the subgraph's, which may fail while the service works
    // through its backlog: start it once the read model has caught up.
    gateway = await startApp('gateway', 'gateway', GATEWAY_PORT, {
      ...env,
      CAMPAIGNS_URL: `${campaigns.url}/graphql`,
      HEALTH_SUBGRAPHS: 'campaigns',
    });

    const url = `${gateway.url}/graphql`;
    const view = conn.db!.collection<{ _id: string }>(VIEW);
    const live = { _version: { $gt: 0 } };
    const randomId = () => seeded.ids[Math.floor(Math.random() * seeded.ids.length)];
    const list = (filter?: Record<string, unknown>, after?: string, query = LIST) =>
      gql<ListData>(url, query, () => ({ ...(filter ? { filter } : {}), ...(after ? { after } : {}) }));

    // Check each list once (the right share, the right nodes) and take the first page's cursor.
    const checks: Record<string, { totalCount: number | undefined; expected: number; nodesOk: boolean }> = {};
    const check = async (
      name: string,
      f: Record<string, unknown> | undefined,
      expected: number,
      ok: (n: ListData['campaigns']['edges'][number]['node']) => boolean,
    ) => {
      const r = await list(f)();
      checks[name] = {
        totalCount: r.campaigns.totalCount,
        expected,
        nodesOk: r.campaigns.edges.length > 0 && r.campaigns.edges.every((e) => ok(e.node)),
      };
      return r;
    };
    const first = await check('none', undefined, seeded.ids.length, () => true);
    await check('status', { status: ['PLANNED'] }, seeded.planned, (n) => n.status === 'PLANNED');
    await check('region', { region: 'MA-06' }, seeded.inRegion, (n) => n.regions.includes('MA-06'));
    await check('search', { search: SEARCH_WORD }, seeded.searchHits, (n) => n.title.fr.toLocaleLowerCase().includes(SEARCH_WORD));
    const endCursor = first.campaigns.pageInfo.endCursor;
    if (!endCursor) throw new Error('the first page has no endCursor');
    const byIdCheck = await gql<{ campaign: { id: string } | null }>(url, BY_ID, () => ({ id: seeded.ids[0] }))();
    if (byIdCheck.campaign?.id !== seeded.ids[0]) throw new Error('campaign(id) did not find a seeded campaign');

    const byId: Scenario = {
      name: 'campaign(id)',
      ops: BY_ID_OPS,
      run: async () => void (await gql(url, BY_ID, () => ({ id: randomId() }))()),
    };
    // The goal's pages, as a client reads them page after page: without totalCount.
    const page = (filter?: Record<string, unknown>, after?: string) => list(filter, after, LIST_NO_COUNT);
    const lists: Scenario[] = [
      { name: 'campaigns(first: 20)', ops: LIST_OPS, run: async () => void (await page()()) },
      { name: 'campaigns(first: 20, status: [PLANNED])', ops: LIST_OPS, run: async () => void (await page({ status: ['PLANNED'] })()) },
      { name: 'campaigns(first: 20, region: MA-06)', ops: LIST_OPS, run: async () => void (await page({ region: 'MA-06' })()) },
      {
        name: `campaigns(first: 20, search: "${SEARCH_WORD}")`,
        ops: LIST_OPS,
        run: async () => void (await page({ search: SEARCH_WORD })()),
      },
      { name: 'campaigns(first: 20, after: endCursor)', ops: LIST_OPS, run: async () => void (await page(undefined, endCursor)()) },
      // With totalCount: a scan on FerretDB, shared between requests with the same filter.
      { name: 'campaigns(first: 20) { totalCount }', ops: LIST_OPS, run: async () => void (await list()()) },
      {
        name: 'campaigns(first: 20, status: [PLANNED]) { totalCount }',
        ops: LIST_OPS,
        run: async () => void (await list({ status: ['PLANNED'] })()),
      },
    ];
    const store: Scenario[] = [
      { name: 'store findOne(_id)', ops: STORE_OPS, run: async () => void (await view.findOne({ _id: randomId(), ...live })) },
      {
        name: 'store find().sort().limit(21)',
        ops: STORE_OPS,
        run: async () => void (await view.find(live).sort({ createdPosition: 1 }).limit(21).toArray()),
      },
      { name: 'store countDocuments()', ops: STORE_OPS, run: async () => void (await view.countDocuments(live)) },
    ];
    const all = [byId, ...lists, ...store];
    const samples = new Map<string, Sample>(all.map((s) => [s.name, { lat: [], errors: 0, errLat: [] }]));

    process.stderr.write('warm-up\n');
    for (const s of all) await load(s, 2, 2, { lat: [], errors: 0, errLat: [] });
    const measureStarted = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order so that no scenario always runs right after the same one.
      const order = all.map((_, i) => all[(i + r) % all.length]);
      for (const s of order) {
        const t = performance.now();
        const ops = Math.floor(s.ops / ROUNDS) + (r < s.ops % ROUNDS ? 1 : 0);
        await load(s, ops, CONCURRENCY, samples.get(s.name)!);
        process.stderr.write(`  round ${r + 1}/${ROUNDS} ${s.name}: ${ops} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
      }
    }
    const measureMs = performance.now() - measureStarted;

    const fig = (s: Scenario) => {
      const x = samples.get(s.name)!;
      return {
        scenario: s.name,
        ops: x.lat.length,
        errors: x.errors,
        ...(x.firstError ? { firstError: x.firstError, errorP50: pct(x.errLat, 50) } : {}),
        p50: pct(x.lat, 50),
        p90: pct(x.lat, 90),
        p99: pct(x.lat, 99),
      };
    };
    const base = fig(byId);
    const ratio = (p: number | null) => (p != null && base.p50 ? +(p / base.p50).toFixed(2) : null);
    const results = lists.map((s) => {
      const f = fig(s);
      return { ...f, ratioP50: ratio(f.p50), goalMet: f.p50 != null && base.p50 != null && f.p50 <= GOAL * base.p50 };
    });
    const storeFigs = store.map(fig);
    const storeBase = storeFigs[0].p50;
    const unfiltered = results[0].p50;
    const withCount = results[5].p50;
    const filtered = results.slice(0, 4);
    const report = {
      bench: 'read',
      when: new Date().toISOString(),
      campaigns: CAMPAIGNS,
      data: {
        planned: seeded.planned,
        inRegionMA06: seeded.inRegion,
        searchWord: SEARCH_WORD,
        searchHits: seeded.searchHits,
        checks,
      },
      seed: { appends: seeded.appends, ms: Math.round(seeded.ms), appendsPerSec: +(seeded.appends / (seeded.ms / 1000)).toFixed(1) },
      catchUp: {
        ms: Math.round(catchUpMs),
        bootMs: Math.round(bootMs),
        viewRestarts,
        consumerTimeoutMs: Number(CONSUMER_TIMEOUT_MS),
        eventsPerSec: +(seeded.appends / (catchUpMs / 1000)).toFixed(1),
      },
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      measureMs: Math.round(measureMs),
      baseline: base,
      results,
      ratios: {
        goal: GOAL,
        goalMet: filtered.every((r) => r.goalMet),
        worstListP50: Math.max(...filtered.map((r) => r.ratioP50 ?? Infinity)),
        secondPageVsFirst: unfiltered && results[4].p50 ? +(results[4].p50 / unfiltered).toFixed(2) : null,
        withTotalCountVsWithout: unfiltered && withCount ? +(withCount / unfiltered).toFixed(2) : null,
      },
      ...(all.some((x) => samples.get(x.name)!.errors > 0)
        ? { loggedErrors: { campaigns: loggedErrors(campaigns), gateway: loggedErrors(gateway) } }
        : {}),
      store: {
        results: storeFigs,
        findPageVsFindOne: storeBase && storeFigs[1].p50 ? +(storeFigs[1].p50 / storeBase).toFixed(2) : null,
        countVsFindOne: storeBase && storeFigs[2].p50 ? +(storeFigs[2].p50 / storeBase).toFixed(2) : null,
      },
    };
    console.error(
      [base, ...results, ...storeFigs]
        .map(
          (r) =>
            `${r.scenario.padEnd(48)} n=${String(r.ops).padStart(4)} err=${r.errors} p50=${r.p50} p90=${r.p90} p99=${r.p99}${'ratioP50' in r ? ` ratio=${String(r.ratioP50)}` : ''}`,
        )
        .join('\n'),
    );
    const out = path.join(__dirname, '..', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'read.json'), JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report));
  } finally {
    await cleanUp();
  }

  /** Stops the apps, deletes the topics and groups, drops the database (once: also on Ctrl-C). */
  async function cleanUp() {
    if (cleaned) return;
    cleaned = true;
    await gateway?.stop();
    await campaigns?.stop();
    await bus.deleteTopics([topic, eventsTopic('finance', prefix), deadLetterTopic(prefix)]).catch(() => undefined);
    await bus.deleteGroups([viewGroup, `${prefix}hrp.campaigns.funding-decisions`]).catch(() => undefined);
    await bus.close();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
