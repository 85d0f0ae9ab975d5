import mongoose from 'mongoose';
import { devToken, eventually, startKafka, startTcpProxy, testInfra, type StartedKafka, type TcpProxy } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

/*
 * The read side under faults: no consumer dies silently. A store that stops answering fails the
 * view's batches (logged), /health turns 503, and once the store answers again the consumer
 * recovers by itself with the view exact; a broker killed mid-batch loses and doubles nothing.
 */
jest.setTimeout(240_000);

interface Health {
  status: string;
  checks: Record<
    string,
    { status: string; reason?: string; details?: { consumers?: Record<string, { state: string; lag: number | null }> } }
  >;
}
const health = async (stack: CampaignsStack): Promise<{ code: number; body: Health }> => {
  const res = await fetch(`${stack.service.url}/health`);
  return { code: res.status, body: (await res.json()) as Health };
};

/** The live campaign view, read straight from the store (not through the service under test). */
async function viewDocs(stack: CampaignsStack): Promise<{ _id: string; _version: number }[]> {
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: stack.iso.dbName }).asPromise();
  try {
    return (await conn
      .db!.collection('campaign_view__v1')
      .find({ _version: { $gt: 0 } }, { projection: { _id: 1, _version: 1 } })
      .toArray()) as unknown as { _id: string; _version: number }[];
  } finally {
    await conn.close();
  }
}

async function createMany(stack: CampaignsStack, token: string, n: number, inFlight = 8): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        next++;
        const r = await stack.gql(token, CREATE, { input: campaignInput() });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        ids.push(r.data!.createCampaign.campaign.id as string);
      }
    }),
  );
  return ids;
}

describe('Campaigns: the read side under faults', () => {
  describe('when the store stops answering the view for a while', () => {
    let proxy: TcpProxy;
    let stack: CampaignsStack;

    beforeAll(async () => {
      proxy = await startTcpProxy(new URL(testInfra.mongoUrl).host);
      stack = await startCampaignsStack(14700, {
        env: {
          MONGO_URL: `mongodb://${proxy.address}/?directConnection=true`,
          CONSUMER_STALL_MS: '8000',
          CONSUMER_BATCH_TIMEOUT_MS: '4000',
          MONGO_SOCKET_TIMEOUT_MS: '2000',
        },
      });
    }, 120_000);
    afterAll(async () => {
      await stack?.stop();
      await proxy?.close();
    });

    it('logs the failure, answers 503, then recovers by itself to ok with the view exact', async () => {
      const token = await devToken('campaign-manager');
      const before = await createMany(stack, token, 5);
      await eventually('the view has the first campaigns', async () => (await viewDocs(stack)).length === 5);
      expect((await health(stack)).code).toBe(200);

      proxy.set('hang');
      // Events keep arriving on the topic while the store hangs (as the relay of another instance would publish them).
      const streams = Array.from({ length: 20 }, (_, i) => `campaign-fault-${stack.iso.tag}-${i}`);
      for (const id of streams) {
        const { campaignId: _ignored, ...rest } = { campaignId: id, ...campaignInput() };
        await stack.publishEvent('campaigns', id, 'CampaignCreated', {
          ...rest,
          campaignId: id,
          tags: [],
          partnerIds: [],
        });
      }
      const down = await eventually(
        'health 503 with the runtime down',
        async () => {
          const h = await health(stack);
          return h.code === 503 && h.body.checks.runtime?.status === 'down' ? h : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(down.body.checks.runtime.reason).toMatch(/campaign_view/);
      const errors = stack.service
        .output()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: string; msg?: string });
      expect(errors).toContainEqual(
        expect.objectContaining({ level: 'error', msg: expect.stringMatching(/campaign_view.*(failed a batch|crashed|restarting)/) }),
      );

      proxy.set('pass');
      await eventually('health back to ok', async () => (await health(stack)).code === 200, { timeoutMs: 90_000, intervalMs: 500 });
      const docs = await eventually('the view exact', async () => {
        const d = await viewDocs(stack);
        return d.length === before.length + streams.length ? d : undefined;
      });
      expect(docs.map((d) => d._id).sort()).toEqual([...before, ...streams].sort());
      for (const d of docs) expect(d._version).toBe(1);
    });
  });

  describe('when the broker is killed while the view consumes', () => {
    // A disposable broker (Testcontainers, local image) that this block kills -9 and restarts with its log.
    let kafka: StartedKafka;
    let stack: CampaignsStack;

    beforeAll(async () => {
      kafka = await startKafka();
      stack = await startCampaignsStack(14720, {
        kafkaBrokers: kafka.brokers,
        env: { CONSUMER_STALL_MS: '5000', READ_WAIT_MS: '1000' },
      });
    }, 180_000);
    afterAll(async () => {
      await stack?.stop();
      await kafka?.stop();
    });

    it('loses nothing, doubles nothing, and resumes', async () => {
      const token = await devToken('campaign-manager');
      const writing = createMany(stack, token, 200, 8);
      // Mid-stream: the view is applying batches when the broker dies.
      await eventually('the view consuming', async () => (await viewDocs(stack)).length >= 20, { intervalMs: 50 });
      await kafka.kill();
      const ids = await writing; // commands need only the store
      await new Promise((r) => setTimeout(r, 2000));
      await kafka.restart();
      const docs = await eventually(
        'every campaign in the view',
        async () => {
          const d = await viewDocs(stack);
          return d.length >= ids.length ? d : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(docs.map((d) => d._id).sort()).toEqual([...ids].sort());
      for (const d of docs) expect(d._version).toBe(1);
      let lastHealth: unknown;
      await eventually(
        'health ok',
        async () => {
          const h = await health(stack);
          lastHealth = h.body;
          return h.code === 200;
        },
        // As long as the view had to catch up: under a loaded machine the consumers' restarts take their backoff.
        { timeoutMs: 120_000, intervalMs: 500 },
      ).catch((e: Error) => {
        throw new Error(`${e.message}; last /health: ${JSON.stringify(lastHealth)}`);
      });
      // and it goes on consuming
      const more = await createMany(stack, token, 5, 5);
      await eventually('new campaigns in the view', async () => (await viewDocs(stack)).length === ids.length + more.length, {
        timeoutMs: 30_000,
      });
    });

    it('answers a by-id read right after a create even when the view cannot follow, and a minPosition it cannot reach with POSITION_NOT_REACHED', async () => {
      const token = await devToken('campaign-manager');
      await kafka.kill();
      try {
        const created = await stack.gql(token, CREATE, { input: campaignInput({ title: { fr: 'Vue en retard' } }) });
        const { id } = created.data!.createCampaign.campaign as { id: string };
        const position = created.data!.createCampaign.position as string;
        const read = 'query($id: ID!, $p: String) { campaign(id: $id, minPosition: $p) { id version title { fr } status } }';
        const now = await stack.gql(token, read, { id });
        expect(now.errors).toBeUndefined();
        expect(now.data!.campaign).toEqual({ id, version: 1, title: { fr: 'Vue en retard' }, status: 'DRAFT' });
        expect((await viewDocs(stack)).some((d) => d._id === id)).toBe(false);
        const waited = await stack.gql(token, read, { id, p: position });
        expect(waited.errors?.[0]?.extensions).toMatchObject({ code: 'POSITION_NOT_REACHED', position, retryable: true });
        expect(waited.data?.campaign ?? null).toBeNull();
      } finally {
        await kafka.restart();
      }
    });
  });
});
