// Shared fixtures of the fault suite (test/faults/*.fault.spec.ts), no tests: Jest does not run this
// file. Events are counted by id: every appended event carries an id chosen by the test, and
// every view records the ids it applied, in order.
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { EventStore } from '@hrp/event-store';
import {
  KafkaJsBus,
  MongoProjection,
  Relay,
  deadLetterTopic,
  eventsTopic,
  toMessage,
  type BusLog,
  type IncomingMessage,
  type ProjectionUpdate,
} from '@hrp/messaging';
import { eventually, isolation, type Isolation } from '@hrp/testing';

export const CONTEXT = 'campaigns';

/** Consumer session timeout of the pipeline's subscribers (kafkajs; 6 s is the broker's minimum). */
export const SESSION_TIMEOUT_MS = 6000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export { sleep };

/** Writes a line to stderr for the record (counts, not timings to assert on). */
export function note(what: string): void {
  process.stderr.write(`[faults] ${what}\n`);
}

/**
 * A view that records, per stream, the ids of the events it applied, in order: exactly-once
 * application shows as each id once, in stream order, and nothing else.
 */
export function idsView(db: mongo.Db, name: string): MongoProjection {
  return new MongoProjection({
    name,
    db,
    pointerPollMs: 0,
    handlers: {
      // The driver's types know no `$push` to a field of a schema-less document: the same cast as the campaign view's.
      ItemAppended: (e) => ({ $push: { ids: e.metadata.eventId }, $inc: { count: 1 } }) as unknown as ProjectionUpdate,
    },
  });
}

/** Stream id → the ids of its events the store acknowledged, in stream order. */
export type Expected = Map<string, string[]>;

/** Every stream of a view with the ids it applied (same shape as {@link Expected}, sorted by stream). */
export async function viewIds(view: MongoProjection): Promise<Record<string, string[]>> {
  const docs = await (await view.collection()).find({}, { projection: { ids: 1 } }).toArray();
  return Object.fromEntries(docs.map((d) => [d._id, (d.ids as string[] | undefined) ?? []]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function sorted(expected: Expected): Record<string, string[]> {
  return Object.fromEntries([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Ids applied more than once by a view (empty when every event was applied once). */
export function repeatedIds(view: Record<string, string[]>): string[] {
  const all = Object.values(view).flat();
  return [...new Set(all.filter((id, i) => all.indexOf(id) !== i))];
}

/** The events of the whole log, one per id: the store's append path, with one writer per stream. */
export interface Pipeline {
  iso: Isolation;
  conn: Connection;
  store: EventStore;
  bus: KafkaJsBus;
  topic: string;
  relay: Relay;
  views: MongoProjection[];
  expected: Expected;
  /** What the bus and the relay reported (kept for the failure message and HRP_DEBUG). */
  reports: string[];
  /** Appends `perStream` events to each stream (one at a time), recording each acknowledged id. */
  append(streams: readonly string[], perStream: number): Promise<number>;
  /** Events every view has applied, counted by id. */
  applied(): Promise<number[]>;
  /** Resolves once every view holds exactly the acknowledged events (bounded), or throws naming the lag. */
  caughtUp(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The event-sourcing core on `mongoUrl` (a database of its own) and `brokers`: an EventStore, the
 * relay publishing its global order, and two views (two consumer groups) reading the topic.
 */
export async function pipeline({ mongoUrl, brokers, label }: { mongoUrl: string; brokers: string[]; label?: string }): Promise<Pipeline> {
  const iso = isolation(label);
  const reports: string[] = [];
  const report = (line: string) => {
    reports.push(line);
    if (process.env.HRP_DEBUG) note(line);
  };
  const conn = await mongoose.createConnection(mongoUrl, { dbName: iso.dbName }).asPromise();
  const db = conn.db!;
  const store = new EventStore(conn, { gapTimeoutMs: 2000 });
  await store.init();
  const log: BusLog = (level, message) => report(`${new Date().toISOString()} bus ${level}: ${message}`);
  const bus = new KafkaJsBus({ brokers, clientId: iso.tag, logLevel: 'error', log, sessionTimeoutMs: SESSION_TIMEOUT_MS });
  const topic = eventsTopic(CONTEXT, iso.topicPrefix);
  const dlq = deadLetterTopic(iso.topicPrefix);
  await bus.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }]);
  const views = [idsView(db, 'view_a'), idsView(db, 'view_b')];
  for (const v of views) await v.start({ bus, topics: [topic], dlqTopic: dlq, groupPrefix: iso.topicPrefix });
  const relay = new Relay({
    context: CONTEXT,
    source: store,
    publisher: bus.publisher(),
    db,
    topic,
    batchSize: 200,
    pollIntervalMs: 50,
    leaseMs: 3000,
    retryBackoffMs: 200,
    onError: (e) => report(`${new Date().toISOString()} relay: ${String(e)}`),
  });
  relay.start();
  const expected: Expected = new Map();
  const p: Pipeline = {
    iso,
    conn,
    store,
    bus,
    topic,
    relay,
    views,
    expected,
    reports,
    async append(streams, perStream) {
      let n = 0;
      for (let k = 0; k < perStream; k++)
        for (const s of streams) {
          const ids = expected.get(s) ?? [];
          const eventId = randomUUID();
          await store.append(s, ids.length, [{ type: 'ItemAppended', data: { n: ids.length + 1 } }], {
            eventId,
            time: new Date().toISOString(),
            actor: { subject: 'fault-suite', username: 'fault-suite' },
            correlationId: eventId,
          });
          expected.set(s, [...ids, eventId]);
          n++;
        }
      return n;
    },
    async applied() {
      return Promise.all(views.map(async (v) => Object.values(await viewIds(v)).reduce((a, ids) => a + ids.length, 0)));
    },
    async caughtUp(timeoutMs) {
      const total = [...expected.values()].reduce((a, ids) => a + ids.length, 0);
      await eventually(
        `both views to hold the ${total} acknowledged events`,
        async () => {
          for (const v of views) {
            const ids = await viewIds(v);
            if ([...expected].some(([s, want]) => (ids[s]?.length ?? 0) < want.length)) return false;
          }
          return true;
        },
        { timeoutMs, intervalMs: 500 },
      ).catch(async (e: unknown) => {
        throw new Error(
          `${(e as Error).message}; applied ${(await p.applied()).join(' / ')}; last reports:\n${reports.slice(-15).join('\n')}`,
        );
      });
    },
    async close() {
      await relay.stop().catch(() => undefined);
      for (const v of views) await v.stop().catch(() => undefined);
      await bus.deleteTopics([topic, dlq]).catch(() => undefined);
      await bus.close().catch(() => undefined);
      await db.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
  return p;
}

/** The ids of every message on `topic`, read from the start by a fresh group (duplicates kept). */
export async function topicIds(bus: KafkaJsBus, topic: string, groupId: string): Promise<string[]> {
  const size = (await bus.topicOffsets(topic)).reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
  const messages: IncomingMessage[] = [];
  const sub = bus.subscriber({ groupId, topics: [topic], fromBeginning: true, partitionsConsumedConcurrently: 3 });
  await sub.run(async (batch) => {
    messages.push(...batch.messages);
  });
  try {
    await eventually(`the ${size} messages of ${topic}`, () => messages.length >= size, { timeoutMs: 60_000, intervalMs: 200 });
  } finally {
    await sub.stop();
  }
  return messages.map((m) => (JSON.parse(m.value!.toString('utf8')) as { id: string }).id);
}

/** Publishes stored events on a context's topic as its relay would (for a consumer under test). */
export async function publishAsRelay(bus: KafkaJsBus, topic: string, events: readonly StoredEvent[]): Promise<void> {
  const publisher = bus.publisher();
  try {
    await publisher.publish(
      topic,
      events.map((e) => toMessage(e, CONTEXT)),
    );
  } finally {
    await publisher.close();
  }
}

/** A stored event of `type` at version 1 of its own stream, with a fresh id. */
export function firstEvent(streamId: string, type: string, data: Record<string, unknown>): StoredEvent {
  return {
    streamId,
    streamVersion: 1,
    position: 1,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      eventId: randomUUID(),
      time: new Date().toISOString(),
      actor: { subject: 'fault-suite', username: 'fault-suite' },
      correlationId: randomUUID(),
    },
  };
}
