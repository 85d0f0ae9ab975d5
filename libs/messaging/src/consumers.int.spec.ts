import type { StoredEvent } from '@hrp/contracts';
import { eventually } from '@hrp/testing';
import { appendMany, checksum, collect, counter, harness, streams, sumCounts, type Harness, CONTEXT } from './test/fixtures';
import { toMessage } from './envelope';
import { DLQ_HEADERS, NonRetryableError, Subscription } from './subscription';
import type { EventPublisher, IncomingMessage } from './transport';
import { MongoProjection } from './projection';

// Real servers: the project-level testTimeout is not applied when Jest runs files in workers.

describe('Consumers', () => {
  let h: Harness;
  let publisher: EventPublisher;
  let history: StoredEvent[];

  beforeAll(async () => {
    h = await harness();
    publisher = h.bus.publisher();
    await appendMany(h.store, streams('item', 30), 20);
    history = (await h.store.readAll(1, { limit: 10000 })).events;
    expect(history).toHaveLength(600);
  });

  afterAll(async () => {
    await publisher?.close();
    await h?.close();
  });

  async function publishAll(topic: string, events: readonly StoredEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 200)
      await publisher.publish(
        topic,
        events.slice(i, i + 200).map((e) => toMessage(e, CONTEXT)),
      );
  }

  describe('a projection that receives every message twice', () => {
    it('ends equal to one that received each once', async () => {
      const once = `${h.iso.topicPrefix}once`;
      const twice = `${h.iso.topicPrefix}twice`;
      await h.bus.ensureTopics([{ topic: once }, { topic: twice }]);
      await publishAll(once, history);
      // Redelivery at once (each message twice in a row) and later (the whole log again).
      await publishAll(
        twice,
        history.slice(0, 300).flatMap((e) => [e, e]),
      );
      await publishAll(twice, history);
      const a = counter(h.db, 'once');
      const b = counter(h.db, 'twice');
      await a.start({ bus: h.bus, topics: [once], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
      await b.start({ bus: h.bus, topics: [twice], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
      h.groups.push(`${h.iso.topicPrefix}once.v1`, `${h.iso.topicPrefix}twice.v1`);
      try {
        await eventually(
          'both projected 600',
          async () => (await sumCounts(a)) === 600 && (await sumCounts(b)) === 600 && (await b.position()) === 600,
          { timeoutMs: 40000 },
        );
        // Redelivery must not count twice, even when it arrives after everything else.
        await new Promise((r) => setTimeout(r, 300));
        expect(await sumCounts(b)).toBe(600);
        expect(await checksum(await b.collection())).toBe(await checksum(await a.collection()));
      } finally {
        await a.stop();
        await b.stop();
        await h.bus.deleteTopics([once, twice]);
      }
    });
  });

  describe('a subscription that meets a poison message', () => {
    it('dead-letters it with the reason and source, and goes on with the next messages', async () => {
      const topic = `${h.iso.topicPrefix}poison`;
      await h.bus.ensureTopics([{ topic, partitions: 1 }]);
      const [e1, e2, e3, e4] = history.filter((e) => e.streamId === 'item-007');
      const v2 = toMessage({ ...e2, schemaVersion: 2 }, CONTEXT);
      await publisher.publish(topic, [
        toMessage(e1, CONTEXT),
        { key: 'item-007', value: '{"not": "a cloud event"' },
        v2,
        toMessage(e3, CONTEXT),
        toMessage(e4, CONTEXT),
      ]);
      const handled: number[] = [];
      const sub = new Subscription({
        bus: h.bus,
        groupId: `${h.iso.topicPrefix}poison-reader`,
        topics: [topic],
        dlqTopic: h.dlq,
        handlers: {
          ItemCounted: {
            schemaVersions: [1],
            handle: (e) => {
              if (e.streamVersion === 3) throw new NonRetryableError('item 3 breaks an invariant');
              handled.push(e.streamVersion);
            },
          },
        },
      });
      h.groups.push(`${h.iso.topicPrefix}poison-reader`, `${h.iso.topicPrefix}dlq-reader`);
      const dlq = await collect(h.bus, h.dlq, `${h.iso.topicPrefix}dlq-reader`);
      await sub.start();
      try {
        await eventually('the next messages handled', () => handled.length === 2);
        expect(handled).toEqual([1, 4]);
        await eventually('3 dead letters', () => dlq.messages.length === 3);
        const letters = [...dlq.messages].sort((a, b) => Number(a.headers[DLQ_HEADERS.offset]) - Number(b.headers[DLQ_HEADERS.offset]));
        expect(letters.map((m: IncomingMessage) => m.headers[DLQ_HEADERS.reasonCode])).toEqual([
          'unparseable',
          'unknown-schema-version',
          'handler-failed',
        ]);
        expect(letters.map((m) => m.headers[DLQ_HEADERS.offset])).toEqual(['1', '2', '3']);
        for (const m of letters) {
          expect(m.headers).toMatchObject({
            [DLQ_HEADERS.topic]: topic,
            [DLQ_HEADERS.partition]: '0',
            [DLQ_HEADERS.group]: `${h.iso.topicPrefix}poison-reader`,
          });
          expect(m.key).toBe('item-007');
        }
        expect(letters[0].headers[DLQ_HEADERS.reason]).toBe('unparseable message (invalid JSON)');
        expect(letters[2].headers[DLQ_HEADERS.reason]).toContain('item 3 breaks an invariant');
        // Offsets were committed past the poison: a restarted reader sees nothing again.
        const offsets = await h.bus.groupOffsets(`${h.iso.topicPrefix}poison-reader`, topic);
        await eventually(
          'offsets committed',
          async () => (await h.bus.groupOffsets(`${h.iso.topicPrefix}poison-reader`, topic))[0]?.offset === '5',
        );
        expect(offsets).toHaveLength(1);
      } finally {
        await sub.stop();
        await dlq.stop();
        await h.bus.deleteTopics([topic]);
      }
    });

    it('dead-letters an unparseable message in a projection too', async () => {
      const topic = `${h.iso.topicPrefix}poison-projection`;
      await h.bus.ensureTopics([{ topic, partitions: 1 }]);
      const events = history.filter((e) => e.streamId === 'item-001').slice(0, 3);
      await publisher.publish(topic, [
        toMessage(events[0], CONTEXT),
        { key: 'item-001', value: 'garbage' },
        toMessage(events[1], CONTEXT),
        toMessage(events[2], CONTEXT),
      ]);
      const letters: string[] = [];
      const p = new MongoProjection({
        name: 'poisoned',
        db: h.db,
        handlers: {
          ItemCounted: (e) => {
            if (e.streamVersion === 2) throw new Error('cannot project v2');
            return { $inc: { count: 1 } };
          },
        },
      });
      await p.start({
        bus: h.bus,
        topics: [topic],
        dlqTopic: h.dlq,
        groupPrefix: h.iso.topicPrefix,
        onDeadLetter: (l) => letters.push(l.code),
      });
      h.groups.push(`${h.iso.topicPrefix}poisoned.v1`);
      try {
        await eventually('v3 applied', async () => (await (await p.collection()).findOne({ _id: 'item-001' }))?._version === 3);
        expect(await (await p.collection()).findOne({ _id: 'item-001' })).toMatchObject({ count: 2 });
        expect(letters.sort()).toEqual(['handler-failed', 'unparseable']);
      } finally {
        await p.stop();
        await h.bus.deleteTopics([topic]);
      }
    });
  });

  describe('a projection rebuilt from the start of the topic', () => {
    it('equals the live one, and queries keep answering during the rebuild', async () => {
      await publishAll(h.topic, history);
      const live = counter(h.db, 'rebuilt');
      await live.start({ bus: h.bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
      h.groups.push(`${h.iso.topicPrefix}rebuilt.v1`);
      try {
        await eventually('live caught up', async () => (await sumCounts(live)) === 600, { timeoutMs: 30000 });
        const before = await checksum(await live.collection());

        const pointers = h.db.collection<{ _id: string; building?: number }>('projection_pointers');
        let queriesWhileBuilding = 0;
        let answering = true;
        const rebuilding = live.rebuild({ bus: h.bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
        let done = false;
        void rebuilding.finally(() => (done = true)).catch(() => undefined);
        while (!done) {
          // Reads go to whatever the pointer names; during the rebuild that is the complete v1.
          const building = (await pointers.findOne({ _id: 'rebuilt' }))?.building === 2;
          const n = await sumCounts(live);
          if (n !== 600) answering = false;
          if (building) queriesWhileBuilding++;
          await new Promise((r) => setTimeout(r, 20));
        }
        const result = await rebuilding;
        h.groups.push(`${h.iso.topicPrefix}rebuilt.v2`);
        expect(result).toMatchObject({ generation: 2, previous: 1 });
        // A fresh consumer group read the topic once from its start: its 600 messages, each once.
        expect(result.messages).toBe(600);
        // Some answers were given while generation 2 was being filled, and all of them were complete.
        expect(queriesWhileBuilding).toBeGreaterThan(0);
        expect(answering).toBe(true);
        expect(await live.activeGeneration()).toBe(2);
        expect((await live.collection()).collectionName).toBe('rebuilt__v2');
        expect(await checksum(await live.collection())).toBe(before);
        expect(await checksum(h.db.collection('rebuilt__v1'))).toBe(before);

        // After the switch, the new generation is the live one.
        const more = history.filter((e) => e.streamId === 'item-000');
        await publishAll(h.topic, [
          { ...more[0], streamVersion: 21, position: 601, metadata: { ...more[0].metadata, eventId: 'extra-1' } },
        ]);
        await eventually('new event in v2', async () => (await sumCounts(live)) === 601);
      } finally {
        await live.stop();
      }
    });
  });
});
