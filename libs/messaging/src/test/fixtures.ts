// Shared fixtures of libs/messaging's integration tests, no tests: not a *.spec.ts name, so Jest
// does not run it; under test/, so lint treats it as test code (it may use libs/testing). Not
// exported by index.ts.
import { createHash } from 'node:crypto';
import mongoose, { type Connection, type mongo } from 'mongoose';
import { EventStore } from '@hrp/event-store';
import { isolation, testInfra, type Isolation } from '@hrp/testing';
import { KafkaJsBus } from '../kafkajs-transport';
import { MongoProjection } from '../projection';
import { deadLetterTopic, eventsTopic } from '../topics';
import type { IncomingMessage, MessageBus } from '../transport';

export const CONTEXT = 'campaigns';

export interface Harness {
  iso: Isolation;
  conn: Connection;
  db: mongo.Db;
  store: EventStore;
  bus: KafkaJsBus;
  topic: string;
  dlq: string;
  groups: string[];
  close(): Promise<void>;
}

/** Own database, own topics (3 partitions, kept for ever), an event store, a bus. */
export async function harness(opts: { brokers?: string[]; label?: string } = {}): Promise<Harness> {
  const iso = isolation(opts.label);
  const conn = await mongoose.createConnection(`${testInfra.mongoUrl}/${iso.dbName}`).asPromise();
  const db = conn.db!;
  const store = new EventStore(conn, { gapTimeoutMs: 2000 });
  await store.init();
  const bus = new KafkaJsBus({ brokers: opts.brokers ?? [...testInfra.kafkaBrokers], clientId: iso.tag, logLevel: 'nothing' });
  const topic = eventsTopic(CONTEXT, iso.topicPrefix);
  const dlq = deadLetterTopic(iso.topicPrefix);
  await bus.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }]);
  const h: Harness = {
    iso,
    conn,
    db,
    store,
    bus,
    topic,
    dlq,
    groups: [],
    async close() {
      await bus.deleteTopics([topic, dlq]).catch(() => undefined);
      await bus.deleteGroups(h.groups).catch(() => undefined);
      await bus.close();
      await db.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
  return h;
}

export function meta(i = 0) {
  return { time: new Date().toISOString(), actor: { subject: 'kc-sub-1', username: 'tester' }, correlationId: `corr-${i}` };
}

/** Stream heads known to the tests (each stream has one writer at a time: exact expected versions). */
const heads = new Map<string, number>();
const warm = new WeakSet<EventStore>();

/**
 * Appends `perStream` ItemCounted events to each of `streams` streams, `concurrency` streams at
 * a time. Default 1: the event store's position counter (findOneAndUpdate $inc) is not atomic
 * on FerretDB 1.24 under concurrent callers (reported to the lead).
 */
export async function appendMany(store: EventStore, streams: readonly string[], perStream: number, concurrency = 1): Promise<string[]> {
  const tokens: string[] = [];
  const remaining = new Map(streams.map((s) => [s, perStream]));
  async function appendOne(s: string): Promise<void> {
    const head = heads.get(s) ?? 0;
    const r = await store.append(s, head, [{ type: 'ItemCounted', data: { n: head + 1 } }], meta(head + 1));
    heads.set(s, r.nextExpectedVersion);
    tokens.push(r.position);
    remaining.set(s, (remaining.get(s) ?? 1) - 1);
  }
  // The store's position counter is created by the first append: racing creators collide on
  // FerretDB (E11000 from the upsert), so the very first append of a database goes alone.
  if (!warm.has(store) && streams[0] !== undefined && perStream > 0) {
    warm.add(store);
    await appendOne(streams[0]);
  }
  const queue = [...streams];
  async function worker(): Promise<void> {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      while ((remaining.get(s) ?? 0) > 0) await appendOne(s);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return tokens;
}

export function streams(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
}

/** The counting read model used by every test: one document per stream. */
export function counter(db: mongo.Db, name = 'counter'): MongoProjection {
  return new MongoProjection({
    name,
    db,
    handlers: {
      ItemCounted: (e) => ({ $inc: { count: 1 }, $set: { last: (e.data as { n: number }).n } }),
    },
  });
}

export async function sumCounts(p: MongoProjection): Promise<number> {
  const docs = await (await p.collection()).find({}).toArray();
  return docs.reduce<number>((a, d) => a + ((d.count as number | undefined) ?? 0), 0);
}

/** Order-independent digest of a collection (every field, sorted by id). */
export async function checksum<T extends mongo.Document>(col: mongo.Collection<T>): Promise<string> {
  const docs = await col.find({}).sort({ _id: 1 }).toArray();
  return createHash('sha256').update(JSON.stringify(docs)).digest('hex');
}

/** Collects every message of `topic` with a fresh group (call stop() when done). */
export async function collect(
  bus: MessageBus,
  topic: string,
  groupId: string,
): Promise<{ messages: IncomingMessage[]; stop(): Promise<void> }> {
  const messages: IncomingMessage[] = [];
  const sub = bus.subscriber({ groupId, topics: [topic], fromBeginning: true, partitionsConsumedConcurrently: 3 });
  await sub.run(async (batch) => {
    messages.push(...batch.messages);
  });
  return { messages, stop: () => sub.stop() };
}

export async function topicSize(bus: MessageBus, topic: string): Promise<number> {
  return (await bus.topicOffsets(topic)).reduce((a, p) => a + Number(p.high) - Number(p.low), 0);
}

/**
 * Per-stream order as a consumer sees it: a message may repeat an older version (redelivery)
 * but never skip ahead of the next one; returns the first violation, if any.
 */
export function orderViolation(messages: readonly IncomingMessage[]): string | undefined {
  const max = new Map<string, number>();
  const byPartition = new Map<number, IncomingMessage[]>();
  for (const m of messages) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
  for (const list of byPartition.values()) {
    list.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    for (const m of list) {
      const env = JSON.parse(m.value!.toString('utf8')) as { subject: string; streamversion: number };
      const seen = max.get(env.subject) ?? 0;
      if (env.streamversion > seen + 1) return `${env.subject} v${env.streamversion} after v${seen}`;
      max.set(env.subject, Math.max(seen, env.streamversion));
    }
  }
  return undefined;
}
