import { eventually, startKafka, type StartedKafka } from '@hrp/testing';
import {
  appendMany,
  collect,
  counter,
  harness,
  orderViolation,
  streams,
  sumCounts,
  topicSize,
  type Harness,
  CONTEXT,
} from './test/fixtures';
import { Relay } from './relay';
import type { MongoProjection } from './projection';

// Real servers: the project-level testTimeout is not applied when Jest runs files in workers.

// A disposable Kafka (Testcontainers, local image) that this file kills -9 and restarts with its
// log; the store is the shared one.
let kafka: StartedKafka;

describe('Relay', () => {
  describe('when Kafka is down while events are appended', () => {
    let h: Harness;
    let relay: Relay;
    let projection: MongoProjection;

    beforeAll(async () => {
      kafka = await startKafka();
      h = await harness({ brokers: kafka.brokers });
      if (process.env.HRP_DEBUG) console.log('db', h.iso.dbName);
      projection = counter(h.db);
      await projection.start({ bus: h.bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
      relay = new Relay({
        context: CONTEXT,
        source: h.store,
        publisher: h.bus.publisher(),
        db: h.db,
        topic: h.topic,
        batchSize: 200,
        pollIntervalMs: 50,
        leaseMs: 3000,
        retryBackoffMs: 200,
        onError: (e) => process.env.HRP_DEBUG && console.log('relay', new Date().toISOString(), String(e)),
      });
      relay.start();
      // Warm up: the whole chain works before the outage.
      await appendMany(h.store, ['warm-000'], 1);
      await eventually('warm-up event projected', async () => (await sumCounts(projection)) === 1, { timeoutMs: 30000 });
    }, 120000);

    afterAll(async () => {
      await relay?.stop();
      await projection?.stop();
      await h?.close();
      await kafka?.stop();
    }, 60000);

    it('accepts every append, then publishes all of them in per-stream order once Kafka is back', async () => {
      await kafka.kill();
      const tokens = await appendMany(h.store, streams('outage', 50), 20);
      expect(tokens).toHaveLength(1000);
      expect(await relay.checkpoint()).toBe(1);
      await eventually('relay saw the outage', () => relay.status().lastError, { timeoutMs: 30000 });
      expect(await relay.checkpoint()).toBe(1);

      await kafka.restart();
      await eventually('1,000 events projected', async () => (await sumCounts(projection)) === 1001, { timeoutMs: 60000, intervalMs: 250 });
      const docs = await (await projection.collection()).find({ _id: { $regex: /^outage-/ } }).toArray();
      expect(docs).toHaveLength(50);
      expect(docs.reduce((a, d) => a + (d.count as number), 0)).toBe(1000);
      for (const d of docs) expect(d).toMatchObject({ count: 20, last: 20, _version: 20 });

      const size = await topicSize(h.bus, h.topic);
      const seen = await collect(h.bus, h.topic, `${h.iso.topicPrefix}raw-outage`);
      h.groups.push(`${h.iso.topicPrefix}raw-outage`);
      await eventually('topic read', () => seen.messages.length === size, { timeoutMs: 30000 });
      await seen.stop();
      const ids = new Set(seen.messages.map((m) => JSON.parse(m.value!.toString()).id as string));
      expect(ids.size).toBe(1001);
      expect(orderViolation(seen.messages)).toBeUndefined();
    }, 110000);
  });
});
