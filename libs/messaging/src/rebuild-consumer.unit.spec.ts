import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { toMessage } from './envelope';
import {
  FoldedGeneration,
  MongoProjection,
  ProjectionConsumer,
  type ApplyResult,
  type ProjectionHandler,
  type ProjectionUpdate,
} from './projection';
import { DLQ_HEADERS } from './subscription';
import type { BatchContext, IncomingBatch, MessageBus, OutgoingMessage } from './transport';
import { UpdateRefusedError } from './update-applier';

// A rebuild's consumer without servers: a bus whose subscriber hands batches when the test says,
// a database that records inserts. The ordering between reading, folding and writing is what is
// under test here; consumers.int.spec.ts runs the same against Kafka and the store.

const event = (streamId: string, streamVersion: number, position: number, n = streamVersion): StoredEvent => ({
  streamId,
  streamVersion,
  position,
  type: 'ItemCounted',
  schemaVersion: 1,
  data: { n },
  metadata: {
    eventId: `${streamId}-${streamVersion}`,
    time: '2026-01-01T00:00:00.000Z',
    actor: { subject: 's', username: 'u' },
    correlationId: 'c',
  },
});

function batch(partition: number, firstOffset: number, events: StoredEvent[]): IncomingBatch {
  return {
    topic: 't',
    partition,
    highWatermark: String(firstOffset + events.length),
    messages: events.map((e, i) => {
      const m = toMessage(e, 'campaigns');
      return { topic: 't', partition, offset: String(firstOffset + i), key: m.key, value: Buffer.from(m.value), headers: { ...m.headers } };
    }),
  };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const handlers: Record<string, ProjectionHandler> = {
  ItemCounted: (e) => {
    const n = (e.data as { n: number }).n;
    if (n === 13) throw new Error('unlucky');
    // 99: an update the store refuses ($inc of a string).
    return n === 99 ? ({ $inc: { count: 'x' } } as unknown as ProjectionUpdate) : { $inc: { count: 1 }, $set: { last: n } };
  },
};

function setup(targets: Record<string, number>, ready: Promise<void> = Promise.resolve()) {
  let handler: ((b: IncomingBatch, ctx: BatchContext) => Promise<void>) | undefined;
  const dead: OutgoingMessage[] = [];
  const bus = {
    publisher: () => ({
      publish: async (_topic: string, m: readonly OutgoingMessage[]) => void dead.push(...m),
      close: async () => undefined,
    }),
    subscriber: () => ({
      run: async (h: (b: IncomingBatch, ctx: BatchContext) => Promise<void>) => void (handler = h),
      stop: async () => undefined,
      status: () => ({ groupId: 'g', state: 'running' as const, restarts: 0, lastProgressAt: 0 }),
      restart: async () => undefined,
    }),
  } as unknown as MessageBus;
  const log: string[] = [];
  const inserted: Record<string, Record<string, unknown>[]> = {};
  const db = {
    collection: (name: string) => ({
      collectionName: name,
      insertMany: async (docs: Record<string, unknown>[]) => {
        log.push(`insert ${name}`);
        (inserted[name] ??= []).push(...structuredClone(docs));
        return {};
      },
    }),
  } as unknown as mongo.Db;
  const projection = new MongoProjection({ name: 'p', db, handlers });
  const applied: StoredEvent[] = [];
  projection.apply = async (events: readonly StoredEvent[]): Promise<ApplyResult> => {
    log.push(`apply ${events.map((e) => `${e.streamId}@${e.streamVersion}`).join(',')}`);
    applied.push(...events);
    return { applied: events.length, skipped: 0, position: 0, failed: [] };
  };
  const consumer = new ProjectionConsumer(projection, 2, { bus, topics: ['t'], dlqTopic: 'dlq' }, 'g', {
    fold: new FoldedGeneration(handlers),
    targets: new Map(Object.entries(targets).map(([tp, end]) => [tp, BigInt(end)])),
    insertBatch: 1000,
    ready,
  });
  const ctx: BatchContext = { heartbeat: async () => undefined, isRunning: () => true };
  return { consumer, deliver: (b: IncomingBatch) => handler!(b, ctx), inserted, log, applied, dead };
}

describe('a rebuild’s consumer', () => {
  it('writes every batch read before the write, those queued behind the one that reached the end too', async () => {
    const { consumer, deliver, inserted } = setup({ 't:0': 2, 't:1': 1 });
    await consumer.start();
    // Three handler calls before the fold runs: the second reaches the ends, the third is past them.
    await Promise.all([
      deliver(batch(0, 0, [event('s1', 1, 1), event('s1', 2, 2)])),
      deliver(batch(1, 0, [event('s2', 1, 3)])),
      deliver(batch(0, 2, [event('s1', 3, 4)])),
    ]);
    const r = await consumer.built(Date.now() + 5000);
    expect(r).toMatchObject({ messages: 4, documents: 2 });
    expect(inserted.p__v2).toEqual([
      { _id: 's1', _version: 3, _position: 4, count: 3, last: 3 },
      { _id: 's2', _version: 1, _position: 3, count: 1, last: 1 },
    ]);
    expect(inserted.projection_checkpoints).toEqual([
      expect.objectContaining({ _id: 'p__v2:t:0', position: 4 }),
      expect.objectContaining({ _id: 'p__v2:t:1', position: 3 }),
    ]);
  });

  it('holds the batches read during the write, and applies them after it', async () => {
    const ready = deferred();
    const { consumer, deliver, log, applied } = setup({ 't:0': 1 }, ready.promise);
    await consumer.start();
    await deliver(batch(0, 0, [event('s1', 1, 1)]));
    await new Promise((r) => setImmediate(r)); // folded: the write waits for the collection
    let handled = false;
    const during = deliver(batch(0, 1, [event('s1', 2, 2)])).then(() => (handled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toBe(false);
    expect(applied).toEqual([]);
    ready.resolve();
    await during;
    await consumer.built(Date.now() + 5000);
    expect(log).toEqual(['insert projection_checkpoints', 'insert p__v2', 'apply s1@2']);
  });

  it('dead-letters what a handler cannot project, as the live consumer does', async () => {
    const { consumer, deliver, dead, inserted } = setup({ 't:0': 3 });
    await consumer.start();
    await deliver(batch(0, 0, [event('s1', 1, 1), event('s1', 2, 2, 13), event('s1', 3, 3)]));
    await consumer.built(Date.now() + 5000);
    expect(dead.map((m) => m.headers?.[DLQ_HEADERS.reasonCode])).toEqual(['handler-failed']);
    expect(dead[0].headers?.[DLQ_HEADERS.offset]).toBe('1');
    expect(inserted.p__v2).toEqual([{ _id: 's1', _version: 3, _position: 3, count: 2, last: 3 }]);
  });

  it('fails the rebuild on an update the store would refuse, writing nothing', async () => {
    const { consumer, deliver, inserted } = setup({ 't:0': 2 });
    await consumer.start();
    await deliver(batch(0, 0, [event('s1', 1, 1), event('s1', 2, 2, 99)]));
    await expect(consumer.built(Date.now() + 5000)).rejects.toThrow(UpdateRefusedError);
    expect(inserted).toEqual({});
  });

  it('goes live at once on an empty topic', async () => {
    const { consumer, inserted } = setup({});
    await consumer.start();
    expect(await consumer.built(Date.now() + 5000)).toMatchObject({ messages: 0, documents: 0 });
    expect(inserted).toEqual({});
  });
});
