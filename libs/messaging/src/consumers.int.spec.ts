import type { StoredEvent } from '@hrp/contracts';
import { eventually } from '@hrp/testing';
import type { mongo } from 'mongoose';
import { appendMany, checksum, collect, counter, harness, meta, streams, sumCounts, type Harness, CONTEXT } from './test/fixtures';
import { toMessage } from './envelope';
import { DLQ_HEADERS, NonRetryableError, Subscription } from './subscription';
import type { EventPublisher, IncomingMessage, MessageBus } from './transport';
import { MongoProjection, type ProjectionDocument, type ProjectionHandler, type ProjectionUpdate } from './projection';

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

  describe('a projection applying the first events of streams', () => {
    it('inserts new streams whole, and a batch that repeats them (redelivery) changes nothing already applied', async () => {
      const p = counter(h.db, 'fresh-streams');
      const of = (id: string) => history.filter((e) => e.streamId === id);
      const a = of('item-000');
      const b = of('item-001');
      const first = await p.apply([...a.slice(0, 3), ...b.slice(0, 1)]);
      expect(first).toMatchObject({ applied: 4, failed: [] });
      // Redelivered from the start, with more of each stream and a new one.
      const c = of('item-002');
      const again = await p.apply([...a.slice(0, 5), ...b.slice(0, 2), ...c.slice(0, 1)]);
      expect(again.failed).toEqual([]);
      const docs = await (await p.collection()).find({}).sort({ _id: 1 }).toArray();
      expect(docs.map((d) => [d._id, d.count, d.last, d._version])).toEqual([
        ['item-000', 5, 5, 5],
        ['item-001', 2, 2, 2],
        ['item-002', 1, 1, 1],
      ]);
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
    /** Delegates to `bus`; the subscribers it makes announce themselves, and join their group only once `gate` opens. */
    function gatedBus(bus: MessageBus, gate: Promise<void>, onSubscriber: () => void): MessageBus {
      return {
        publisher: () => bus.publisher(),
        ensureTopics: (specs) => bus.ensureTopics(specs),
        deleteTopics: (topics) => bus.deleteTopics(topics),
        topicOffsets: (topic) => bus.topicOffsets(topic),
        groupOffsets: (group, topic) => bus.groupOffsets(group, topic),
        close: () => bus.close(),
        subscriber: (o) => {
          onSubscriber();
          const sub = bus.subscriber(o);
          return {
            run: async (handler) => {
              await gate;
              await sub.run(handler);
            },
            stop: () => sub.stop(),
            status: () => sub.status(),
            restart: (reason) => sub.restart(reason),
          };
        },
      };
    }

    function deferred(): { promise: Promise<void>; resolve: () => void } {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    }

    /** Creates (with $setOnInsert, inert as live), increments and pushes, on dotted paths; negative counts throw. */
    const ledger: Record<string, ProjectionHandler> = {
      ItemCreated: (e) => ({
        $set: { name: (e.data as { name: string }).name, 'meta.createdAt': e.metadata.time, totals: { n: 0, events: 0 } },
        $setOnInsert: { insertedBy: 'upsert' },
      }),
      ItemCounted: (e) => {
        const n = (e.data as { n: number }).n;
        if (n < 0) throw new Error('cannot count a negative');
        return {
          $inc: { count: 1, 'totals.n': n, 'totals.events': 1 },
          $set: { last: n },
          $push: { ns: n },
        } as unknown as ProjectionUpdate;
      },
      ItemTagged: (e) => {
        const tag = (e.data as { tag: string }).tag;
        return {
          $push: { tags: { $each: [tag, tag.toUpperCase()] } },
          $set: { [`byTag.${tag}`]: e.position },
        } as unknown as ProjectionUpdate;
      },
    };

    /** `streams` streams of `versions` events each (created, then counted and tagged), interleaved as appends are. */
    function ledgerLog(label: string, streamCount: number, versions: number): StoredEvent[] {
      const events: StoredEvent[] = [];
      for (let v = 1; v <= versions; v++)
        for (let s = 0; s < streamCount; s++) {
          const streamId = `${label}-${String(s).padStart(3, '0')}`;
          const [type, data]: [string, unknown] =
            v === 1
              ? ['ItemCreated', { name: `item ${s}` }]
              : v % 5 === 0
                ? ['ItemTagged', { tag: ['red', 'blue', 'green'][(s + v) % 3] }]
                : ['ItemCounted', { n: s % 7 === 3 && v === 4 ? -1 : v * 10 + s }];
          events.push({
            streamId,
            streamVersion: v,
            position: events.length + 1,
            type,
            schemaVersion: 1,
            data,
            metadata: { ...meta(), eventId: `${streamId}-${v}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, events.length)).toISOString() },
          });
        }
      return events;
    }

    const docsOf = (col: mongo.Collection<ProjectionDocument>) => col.find({}).sort({ _id: 1 }).toArray();

    it('equals the live one, and queries keep answering from the live one until the switch', async () => {
      await publishAll(h.topic, history);
      const live = counter(h.db, 'rebuilt');
      await live.start({ bus: h.bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
      h.groups.push(`${h.iso.topicPrefix}rebuilt.v1`);
      try {
        await eventually('live caught up', async () => (await sumCounts(live)) === 600, { timeoutMs: 30000 });
        const before = await checksum(await live.collection());

        // The rebuild's consumer starts only once queries were answered while generation 2 was building.
        const gate = deferred();
        const bus = gatedBus(h.bus, gate.promise, () => undefined);
        const pointers = h.db.collection<{ _id: string; building?: number }>('projection_pointers');
        const rebuilding = live.rebuild({ bus, topics: [h.topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix });
        let done = false;
        void rebuilding.finally(() => (done = true)).catch(() => undefined);
        await eventually('generation 2 building', async () => (await pointers.findOne({ _id: 'rebuilt' }))?.building === 2);
        for (let i = 0; i < 3; i++) {
          expect((await live.collection()).collectionName).toBe('rebuilt__v1');
          expect(await sumCounts(live)).toBe(600);
        }
        gate.resolve();
        let answering = true;
        while (!done) {
          if ((await sumCounts(live)) !== 600) answering = false;
          await new Promise((r) => setTimeout(r, 10));
        }
        const result = await rebuilding;
        h.groups.push(live.consumer()!.groupId);
        expect(answering).toBe(true);
        expect(result).toMatchObject({ generation: 2, previous: 1, documents: 30 });
        // A fresh consumer group read the topic once from its start: its 600 messages, each once.
        expect(result.messages).toBe(600);
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

    it('rebuilds a read model built by older handlers when their revision rises, once, and only marks an empty one', async () => {
      // A topic of its own: the 600 events, once.
      const topic = `${h.iso.topicPrefix}revised`;
      await h.bus.ensureTopics([{ topic }]);
      await publishAll(topic, history);
      const opts = { bus: h.bus, topics: [topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix };
      const v1 = counter(h.db, 'revised');
      await v1.start(opts);
      h.groups.push(`${h.iso.topicPrefix}revised.v1`);
      await eventually('revision 1 caught up', async () => (await sumCounts(v1)) === 600, { timeoutMs: 30000 });
      await v1.stop();
      // Revision 2 also stores the stream's last number doubled.
      const v2 = new MongoProjection({
        name: 'revised',
        db: h.db,
        handlers: {
          ItemCounted: (e) => ({ $inc: { count: 1 }, $set: { last: (e.data as { n: number }).n, twice: 2 * (e.data as { n: number }).n } }),
        },
      });
      try {
        const r = await v2.upgrade(2, opts);
        h.groups.push(v2.consumer()!.groupId);
        expect(r).toMatchObject({ previous: 1, generation: 2, messages: 600, documents: 30 });
        const docs = await (await v2.collection()).find({}).toArray();
        expect(docs).toHaveLength(30);
        for (const d of docs) expect(d).toMatchObject({ count: 20, last: 20, twice: 40 });
        // Done once: the pointer records the revision.
        expect(await v2.upgrade(2, opts)).toBeNull();
        expect(await v2.activeGeneration()).toBe(2);
      } finally {
        await v2.stop();
      }
      // A read model with no documents yet is marked, not rebuilt: its consumer builds it.
      const fresh = counter(h.db, 'revised-fresh');
      expect(await fresh.upgrade(3, opts)).toBeNull();
      expect(await h.db.collection('projection_pointers').findOne({ _id: 'revised-fresh' } as never)).toMatchObject({
        active: 1,
        revision: 3,
      });
      await h.bus.deleteTopics([topic]);
    });

    it('folds creates, increments and pushes in memory into the documents the live updates wrote, redelivered duplicates included', async () => {
      const topic = `${h.iso.topicPrefix}ledger`;
      await h.bus.ensureTopics([{ topic }]);
      const log = ledgerLog('ledger', 20, 12);
      // Redelivery at once (the first 150 messages twice in a row) and later (the whole log again).
      await publishAll(
        topic,
        log.slice(0, 150).flatMap((e) => [e, e]),
      );
      await publishAll(topic, log);
      const letters = { live: 0, rebuild: 0 };
      let rebuilding = false;
      const onDeadLetter = () => void (rebuilding ? letters.rebuild++ : letters.live++);
      const p = new MongoProjection({ name: 'ledger', db: h.db, handlers: ledger });
      const opts = { bus: h.bus, topics: [topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix, onDeadLetter };
      await p.start(opts);
      h.groups.push(`${h.iso.topicPrefix}ledger.v1`);
      try {
        // Each partition ends with a version-12 event (the last publish): all at 12 = all consumed.
        await eventually(
          'live caught up',
          async () =>
            letters.live === 9 &&
            (await docsOf(h.db.collection<ProjectionDocument>('ledger__v1'))).filter((d) => d._version === 12).length === 20,
          { timeoutMs: 30000 },
        );
        const live = await docsOf(h.db.collection<ProjectionDocument>('ledger__v1'));
        // The live view counted each event once, and skipped the three that cannot be counted.
        expect(live).toHaveLength(20);
        expect(live.find((d) => d._id === 'ledger-003')).toMatchObject({ _version: 12, count: 8, totals: { events: 8 } });
        expect(live.find((d) => d._id === 'ledger-000')).toMatchObject({
          _version: 12,
          count: 9,
          ns: [20, 30, 40, 60, 70, 80, 90, 110, 120],
          tags: ['green', 'GREEN', 'blue', 'BLUE'],
        });

        rebuilding = true;
        const r = await p.rebuild(opts);
        h.groups.push(p.consumer()!.groupId);
        expect(r).toMatchObject({ generation: 2, previous: 1, messages: 540, documents: 20 });
        const rebuilt = await docsOf(h.db.collection<ProjectionDocument>('ledger__v2'));
        // Document by document, bookkeeping included; and field by field in the same order.
        expect(rebuilt).toEqual(live);
        for (const [i, d] of rebuilt.entries()) expect(JSON.stringify(d)).toBe(JSON.stringify(live[i]));
        // The same checkpoints, one per source partition, keyed as the live consumer keys them.
        const checkpoints = h.db.collection<{ _id: string; collection: string; position: number }>('projection_checkpoints');
        const of = async (gen: number) =>
          (await checkpoints.find({ collection: `ledger__v${gen}` }).toArray())
            .map((c) => [c._id.replace(`ledger__v${gen}:`, ''), c.position])
            .sort();
        // (the live one writes its checkpoint after its documents: it may still be on the way).
        await eventually('the same checkpoints', async () => JSON.stringify(await of(2)) === JSON.stringify(await of(1)));
        expect((await of(2)).map(([source]) => source)).toEqual([0, 1, 2].map((n) => `${topic}:${n}`));
        // Handlers that threw during the rebuild were dead-lettered as they were live.
        expect(letters.rebuild).toBe(letters.live);
      } finally {
        await p.stop();
        await h.bus.deleteTopics([topic]);
      }
    });

    it('keeps the events appended during the rebuild: the new generation goes on from where the fold stopped', async () => {
      const topic = `${h.iso.topicPrefix}appending`;
      await h.bus.ensureTopics([{ topic }]);
      const log = ledgerLog('appending', 10, 40).filter((e) => !(e.type === 'ItemCounted' && (e.data as { n: number }).n < 0));
      const [before, during] = [log.slice(0, 200), log.slice(200)];
      const last = (events: readonly StoredEvent[]) => events[events.length - 1].position;
      await publishAll(topic, before);
      const opts = { bus: h.bus, topics: [topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix };
      const p = new MongoProjection({ name: 'appending', db: h.db, handlers: ledger });
      // Never rebuilt: what the rebuilt view must end equal to.
      const reference = new MongoProjection({ name: 'appending_ref', db: h.db, handlers: ledger });
      await p.start(opts);
      await reference.start(opts);
      h.groups.push(`${h.iso.topicPrefix}appending.v1`, `${h.iso.topicPrefix}appending_ref.v1`);
      try {
        await eventually(
          'both caught up',
          async () => (await p.position()) === last(before) && (await reference.position()) === last(before),
          {
            timeoutMs: 30000,
          },
        );
        const gate = deferred();
        const subscribed = deferred();
        const rebuilding = p.rebuild({ ...opts, bus: gatedBus(h.bus, gate.promise, subscribed.resolve) });
        let done = false;
        void rebuilding.finally(() => (done = true)).catch(() => undefined);
        // The end offsets are captured before the rebuild's consumer exists: these 40 are past
        // them, and in the first fetch of the consumer (it joins after): folded in memory.
        await subscribed.promise;
        await publishAll(topic, during.slice(0, 40));
        gate.resolve();
        // Then more, a few at a time, while the rebuild folds, writes and switches, and after.
        for (let sent = 40; sent < during.length; sent += 5) {
          await publishAll(topic, during.slice(sent, sent + 5));
          await new Promise((r) => setTimeout(r, done ? 0 : 5));
        }
        const r = await rebuilding;
        h.groups.push(p.consumer()!.groupId);
        expect(r.generation).toBe(2);
        // The 40 published past the captured ends were folded too (and maybe some of the next ones).
        expect(r.messages).toBeGreaterThanOrEqual(240);
        // Every stream's last event, in both (a lost event would leave its stream behind for ever).
        const complete = async (v: MongoProjection) => (await docsOf(await v.collection())).filter((d) => d._version === 40).length === 10;
        await eventually('every event in the new generation', async () => (await complete(p)) && (await complete(reference)), {
          timeoutMs: 30000,
        });
        expect((await p.collection()).collectionName).toBe('appending__v2');
        const rebuilt = await docsOf(await p.collection());
        expect(rebuilt).toEqual(await docsOf(await reference.collection()));
      } finally {
        await p.stop();
        await reference.stop();
        await h.bus.deleteTopics([topic]);
      }
    });

    it('switches another instance to the new generation by itself', async () => {
      const topic = `${h.iso.topicPrefix}instances`;
      await h.bus.ensureTopics([{ topic }]);
      await publishAll(topic, history);
      const opts = { bus: h.bus, topics: [topic], dlqTopic: h.dlq, groupPrefix: h.iso.topicPrefix };
      // Two service instances: same database, same name, both live in the same group.
      const instance = () =>
        new MongoProjection({
          name: 'shared',
          db: h.db,
          pointerPollMs: 250,
          handlers: { ItemCounted: (e) => ({ $inc: { count: 1 }, $set: { last: (e.data as { n: number }).n } }) },
        });
      const a = instance();
      const b = instance();
      await a.start(opts);
      h.groups.push(`${h.iso.topicPrefix}shared.v1`);
      try {
        await eventually('live caught up', async () => (await sumCounts(a)) === 600, { timeoutMs: 90000 });
        // The second instance joins once the backlog is applied: two members catching up a backlog
        // together is another matter (FerretDB's updates are not atomic under concurrent writers).
        await b.start(opts);
        expect(b.consumer()?.groupId).toBe(`${h.iso.topicPrefix}shared.v1`);
        const r = await a.rebuild(opts);
        const switched = Date.now();
        const group = a.consumer()!.groupId;
        h.groups.push(group);
        expect(r.generation).toBe(2);
        await eventually(
          'the other instance consumes the new generation',
          () => b.consumer()?.generation === 2 && b.consumer()?.groupId === group,
          {
            timeoutMs: 15000,
          },
        );
        expect(Date.now() - switched).toBeLessThan(15000);
        // With the rebuilding instance gone, the other one alone keeps the new generation live.
        await a.stop();
        const more = history.filter((e) => e.streamId === 'item-001');
        await publishAll(topic, [{ ...more[0], streamVersion: 21, position: 601, metadata: { ...more[0].metadata, eventId: 'extra-2' } }]);
        await eventually('new event in v2, applied by the other instance', async () => (await sumCounts(b)) === 601, { timeoutMs: 90000 });
        expect((await b.collection()).collectionName).toBe('shared__v2');
        expect(await sumCounts(a)).toBe(601);
        // The old generation is no longer consumed by anyone.
        const old = await h.db.collection('shared__v1').find({}).toArray();
        expect(old.reduce((n, d) => n + (d.count as number), 0)).toBe(600);
      } finally {
        await a.stop();
        await b.stop();
        await h.bus.deleteTopics([topic]);
      }
    }, 240_000);
  });
});
