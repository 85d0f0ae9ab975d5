import mongoose from 'mongoose';
import { KafkaJsBus, eventsTopic } from '@hrp/messaging';
import { eventually, isolation, startApp, startStore, testInfra, type RunningApp, type StartedStore } from '@hrp/testing';
import { campaignInput } from '../../services/campaigns/test/harness';
import { firstEvent, note, publishAsRelay, sleep } from './fixtures';

/*
 * The network between the campaigns service (the built app, as `npm start` runs it) and its store
 * cut while the service's campaign view consumes: `podman network disconnect` of a disposable
 * store container, so the store runs on but nothing reaches it, and connections open at the cut
 * go dead without an answer. Events keep arriving on the topic meanwhile (the shared broker, as
 * another instance's relay would publish them). The service must say so on /health (its runtime
 * check names the stalled consumer), then recover by itself once the network is back, with the
 * view exact, counted by id.
 */
jest.setTimeout(300_000);

const PORT = 15101;
/** The cut lasts at least this long, and until /health has reported the stalled consumer. */
const CUT_MS = 10_000;

interface Health {
  status: string;
  checks: Record<string, { status: string; reason?: string }>;
}

describe('Fault: the network to the store', () => {
  const iso = isolation('store_network');
  let store: StartedStore;
  let service: RunningApp;
  let bus: KafkaJsBus;
  const topic = eventsTopic('campaigns', iso.topicPrefix);

  beforeAll(async () => {
    store = await startStore();
    service = await startApp('campaigns-network-fault', 'services/campaigns', PORT, {
      MONGO_URL: store.url,
      MONGO_DB: iso.dbName,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: iso.topicPrefix,
      // Bounds short enough for a 10 s cut to be seen: a store call without an answer fails in 2 s,
      // a batch in 4 s, and a consumer behind with no progress for 5 s is unhealthy.
      MONGO_SOCKET_TIMEOUT_MS: '2000',
      CONSUMER_BATCH_TIMEOUT_MS: '4000',
      CONSUMER_STALL_MS: '5000',
    });
    bus = new KafkaJsBus({ brokers: [...testInfra.kafkaBrokers], clientId: iso.tag });
  }, 180_000);
  afterAll(async () => {
    await store?.reconnect().catch(() => undefined);
    await service?.stop();
    await bus?.deleteTopics([topic, `${iso.topicPrefix}hrp.dlq`]).catch(() => undefined);
    await bus?.close();
    await store?.stop();
  }, 60_000);

  const health = async (): Promise<{ code: number; body: Health }> => {
    const res = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(10_000) });
    return { code: res.status, body: (await res.json()) as Health };
  };

  /** The live campaign view's ids and versions, read straight from the store. */
  async function view(): Promise<Map<string, number>> {
    const conn = await mongoose.createConnection(store.url, { dbName: iso.dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      const pointer = await conn.db!.collection<{ _id: string; active?: number }>('projection_pointers').findOne({ _id: 'campaign_view' });
      const docs = await conn
        .db!.collection(`campaign_view__v${pointer?.active ?? 1}`)
        .find({ _version: { $gt: 0 } }, { projection: { _id: 1, _version: 1 } })
        .toArray();
      return new Map(docs.map((d) => [String(d._id), d._version as number]));
    } finally {
      await conn.close();
    }
  }

  async function publishCampaigns(prefix: string, n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `campaign-${prefix}-${iso.tag}-${i}`);
    await publishAsRelay(
      bus,
      topic,
      ids.map((id) => firstEvent(id, 'CampaignCreated', { ...campaignInput(), campaignId: id, tags: [], partnerIds: [] })),
    );
    return ids;
  }

  it('cut for 10 s during projection: /health turns 503 naming the stalled view, then the service recovers by itself with every event in the view once, by id', async () => {
    const before = await publishCampaigns('before', 10);
    await eventually('the view to hold the first campaigns', async () => (await view()).size === before.length, { timeoutMs: 60_000 });
    expect((await health()).code).toBe(200);

    await store.disconnect();
    const cutAt = Date.now();
    let during: string[] = [];
    let down: Health | undefined;
    try {
      during = await publishCampaigns('during', 20);
      let last = 'no answer yet';
      down = await eventually(
        '/health 503 with the runtime down',
        async () => {
          const h = await health().catch((e: unknown) => {
            last = `no answer: ${String(e)}`;
            throw e;
          });
          last = `${h.code} ${JSON.stringify(h.body.checks)}`;
          if (process.env.HRP_DEBUG) note(`health ${last}`);
          return h.code === 503 && h.body.checks.runtime?.status === 'down' ? h.body : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}; last /health: ${last}\nservice log:\n${service.output().slice(-3000)}`);
      });
      const left = CUT_MS - (Date.now() - cutAt);
      if (left > 0) await sleep(left);
    } finally {
      await store.reconnect();
    }
    note(`store cut off for ${((Date.now() - cutAt) / 1000).toFixed(1)} s; /health said: runtime ${down?.checks.runtime?.reason}`);
    expect(down?.checks.runtime?.reason).toMatch(/campaign_view/);

    await eventually('/health back to 200', async () => (await health()).code === 200, { timeoutMs: 120_000, intervalMs: 500 });
    const want = [...before, ...during].sort();
    const got = await eventually(
      'the view to hold every campaign',
      async () => {
        const v = await view();
        return v.size >= want.length ? v : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect([...got.keys()].sort()).toEqual(want);
    expect([...got.values()].every((version) => version === 1)).toBe(true);
  });
});
