import { eventually } from '@hrp/testing';
import { CloudEvent } from 'cloudevents';
import {
  meta,
  appendMany,
  checksum,
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
import { waitForPosition } from './read-your-writes';
import type { MongoProjection } from './projection';

// Real servers: the project-level testTimeout is not applied when Jest runs files in workers.

describe('Relay', () => {
  let h: Harness;
  const relays: Relay[] = [];
  let projection: MongoProjection;

  function relay(owner: string, crash?: { armed: boolean }): Relay {
    const r = new Relay({
      context: CONTEXT,
      source: h.store,
      publisher: h.bus.publisher(),
      db: h.db,
      topic: h.topic,
      owner,
      batchSize: 50,
      pollIntervalMs: 50,
      leaseMs: 1500,
      afterPublish: (_events, self) => {
        if (crash?.armed) {
          crash.armed = false;
          self.kill();
        }
      },
    });
    relays.push(r);
    return r;
  }

  beforeAll(async () => {
    h = await harness();
    projection = counter(h.db);
    await projection.start({ bus: h.bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
    h.groups.push(`${h.iso.topicPrefix}counter.v1`);
  });

  afterAll(async () => {
    for (const r of relays) await r.stop().catch(() => undefined);
    await projection?.stop();
    await h?.close();
  });

  describe('when two instances run at once', () => {
    const crash = { armed: false };
    let a: Relay;
    let b: Relay;
    const ids = streams('order', 25);

    beforeAll(() => {
      a = relay('relay-a', crash);
      b = relay('relay-b', crash);
      a.start();
      b.start();
    });

    it('publishes every event exactly once while both are healthy, one instance holding the lease', async () => {
      await appendMany(h.store, ids, 20);
      await eventually('500 published', async () => (await a.checkpoint()) >= 500 && (await topicSize(h.bus, h.topic)) >= 500);
      // Give a would-be second publisher time to show itself.
      await new Promise((r) => setTimeout(r, 500));
      expect(await topicSize(h.bus, h.topic)).toBe(500);
      expect([a.status().holdsLease, b.status().holdsLease].filter(Boolean)).toHaveLength(1);
      expect(a.status().published + b.status().published).toBe(500);
      await eventually('projection counted 500', async () => (await sumCounts(projection)) === 500);
    });

    it('after the holder dies between the Kafka ack and its checkpoint, the other takes over and consumers absorb the duplicates', async () => {
      const holder = a.status().holdsLease ? a : b;
      const other = holder === a ? b : a;
      crash.armed = true;
      await appendMany(h.store, ids, 8);
      await eventually('holder crashed', () => holder.status().holdsLease === false && !crash.armed);
      await eventually('other took over and caught up', async () => other.status().holdsLease && (await other.checkpoint()) >= 700, {
        timeoutMs: 20000,
      });
      const size = await topicSize(h.bus, h.topic);
      expect(size).toBeGreaterThan(700); // the crashed batch went out twice
      await eventually('projection counted 700', async () => (await sumCounts(projection)) === 700);
      const docs = await (await projection.collection()).find({}).toArray();
      expect(docs).toHaveLength(25);
      for (const d of docs) expect(d).toMatchObject({ count: 28, last: 28, _version: 28 });

      const seen = await collect(h.bus, h.topic, `${h.iso.topicPrefix}raw-order`);
      h.groups.push(`${h.iso.topicPrefix}raw-order`);
      await eventually('all messages read', () => seen.messages.length === size);
      await seen.stop();
      expect(orderViolation(seen.messages)).toBeUndefined();
      expect(new Set(seen.messages.map((m) => JSON.parse(m.value!.toString()).id)).size).toBe(700);
      // Keys are stream ids; values are CloudEvents 1.0 that the official SDK accepts.
      for (const m of seen.messages.slice(0, 50)) {
        const envelope = JSON.parse(m.value!.toString('utf8'));
        expect(m.key).toBe(envelope.subject);
        expect(new CloudEvent(envelope).validate()).toBe(true);
        expect(envelope).toMatchObject({ specversion: '1.0', source: `/hrp/${CONTEXT}`, type: `hrp.${CONTEXT}.ItemCounted.v1` });
      }
      expect(Object.keys(seen.messages[0].headers)).toEqual(['content-type']);
    });

    it('lets a query wait for its own write (read-your-writes)', async () => {
      const r = await h.store.append('order-000', 28, [{ type: 'ItemCounted', data: { n: 29 } }], meta(29));
      expect(await waitForPosition(projection, r.position, { timeoutMs: 15000, streamId: 'order-000' })).toBe(true);
      const doc = await (await projection.collection()).findOne({ _id: 'order-000' });
      expect(doc).toMatchObject({ count: 29, last: 29 });
      expect(await waitForPosition(projection, r.position, { timeoutMs: 5000 })).toBe(true);
      expect(await waitForPosition(projection, Number(r.position) + 1000, { timeoutMs: 200 })).toBe(false);
      expect(await checksum(await projection.collection())).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('when the appending instance offers its events', () => {
    let r: Relay;
    let topic: string;

    beforeAll(async () => {
      topic = `${h.topic}.offered`;
      await h.bus.ensureTopics([{ topic, partitions: 1 }]);
      r = new Relay({
        context: 'offered',
        source: h.store,
        publisher: h.bus.publisher(),
        db: h.db,
        topic,
        batchSize: 50,
        pollIntervalMs: 5000,
      });
      relays.push(r);
      r.start();
      const head = await h.store.headPosition();
      await eventually('caught up with the store', async () => (await r.checkpoint()) >= head, { timeoutMs: 30000 });
    });
    afterAll(async () => h.bus.deleteTopics([topic]).catch(() => undefined));

    it('publishes them without reading them back, at once (not after the poll interval)', async () => {
      const before = r.status().batchesFromMemory;
      const appended = await h.store.append('offer-1', 'no-stream', [{ type: 'ItemCounted', data: { n: 1 } }], meta(1));
      r.offer(appended.events);
      await eventually('published', async () => (await r.checkpoint()) >= appended.lastPosition, { timeoutMs: 3000, intervalMs: 20 });
      expect(r.status().batchesFromMemory).toBe(before + 1);
    });

    it('reads the store when the offered events do not follow its checkpoint, keeping the order', async () => {
      const first = await h.store.append('offer-2', 'no-stream', [{ type: 'ItemCounted', data: { n: 1 } }], meta(1));
      const second = await h.store.append('offer-2', 1, [{ type: 'ItemCounted', data: { n: 2 } }], meta(2));
      r.offer(second.events); // the first one was not offered (as if another instance appended it)
      await eventually('both published', async () => (await r.checkpoint()) >= second.lastPosition, { timeoutMs: 8000, intervalMs: 20 });
      const seen = await collect(h.bus, topic, `${h.iso.topicPrefix}offered-reader`);
      h.groups.push(`${h.iso.topicPrefix}offered-reader`);
      await eventually('read back', () => seen.messages.some((m) => m.key === 'offer-2' && JSON.parse(m.value!.toString()).data.n === 2));
      await seen.stop();
      const mine = seen.messages
        .filter((m) => m.key === 'offer-2')
        .map((m) => JSON.parse(m.value!.toString()) as { id: string; data: { n: number } });
      expect(mine.map((e) => e.data.n)).toEqual([1, 2]);
      expect(mine.map((e) => e.id)).toEqual([first.events[0].metadata.eventId, second.events[0].metadata.eventId]);
    });
  });
});
