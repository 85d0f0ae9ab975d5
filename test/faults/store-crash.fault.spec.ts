import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { ConcurrencyError } from '@hrp/domain-kit';
import { EventStore, IdempotencyKeyTakenError, positionKey, type CommitDoc } from '@hrp/event-store';
import { eventually, isolation, startStore, type StartedStore } from '@hrp/testing';
import { note, sleep } from './fixtures';

/*
 * The store killed -9 (FerretDB and its PostgreSQL at once, the whole container) in the middle of a
 * burst of appends from four writers (four EventStore instances, as four service instances), then
 * restarted with its data. Each append carries three events with ids chosen here and an
 * idempotency key; a writer retries an append that failed with the same key until the store
 * either acknowledges it or answers that the key is taken (it had been written, the
 * acknowledgement lost). Counted by id afterwards: every append is there exactly once and whole,
 * and the global order has no gap.
 */
jest.setTimeout(300_000);

const WRITERS = 4;
const STREAMS_PER_WRITER = 4;
const APPENDS_PER_WRITER = 40;
const EVENTS_PER_APPEND = 3;

interface Intent {
  key: string;
  writer: number;
  streamId: string;
  version: number;
  eventIds: string[];
  /** First position, when the store acknowledged the append. */
  acked?: number;
  /** The store had written it although the attempt failed: the retry found its key taken. */
  foundOnRetry?: boolean;
  /** Failed attempts, as the event store reported them. */
  failures: string[];
}

describe('Fault: the store', () => {
  let store: StartedStore;
  let conn: Connection;
  const iso = isolation('store_crash');

  beforeAll(async () => {
    store = await startStore();
    // Short bounds: a write on a dead connection fails in seconds and is retried, not hung.
    conn = await mongoose
      .createConnection(store.url, {
        dbName: iso.dbName,
        serverSelectionTimeoutMS: 5000,
        socketTimeoutMS: 10_000,
        heartbeatFrequencyMS: 1000,
      })
      .asPromise();
    await new EventStore(conn).init();
  }, 120_000);
  afterAll(async () => {
    await conn?.close().catch(() => undefined);
    await store?.stop();
  }, 60_000);

  async function write(writer: number, intents: Intent[], deadline: number): Promise<void> {
    const es = new EventStore(conn);
    for (const intent of intents.filter((i) => i.writer === writer)) {
      const events = intent.eventIds.map((id, k) => ({ type: 'ItemAppended', data: { n: intent.version + k + 1, id } }));
      const metadata = intent.eventIds.map((eventId) => ({
        eventId,
        time: new Date().toISOString(),
        actor: { subject: 'fault-suite', username: `writer-${writer}` },
        correlationId: intent.key,
      }));
      for (;;) {
        try {
          const r = await es.append(intent.streamId, intent.version, events, metadata, {
            idempotency: { key: intent.key, requestHash: intent.key },
          });
          intent.acked = r.firstPosition;
          break;
        } catch (e) {
          if (e instanceof IdempotencyKeyTakenError) {
            intent.foundOnRetry = true;
            break;
          }
          // A retry may meet its own earlier, unacknowledged commit as a stream conflict.
          if (e instanceof ConcurrencyError && (await es.findIdempotent(intent.key).catch(() => null))) {
            intent.foundOnRetry = true;
            break;
          }
          if (e instanceof ConcurrencyError) throw e;
          intent.failures.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
          if (Date.now() > deadline) throw new Error(`${intent.key} still failing at the deadline: ${intent.failures.at(-1)}`);
          await sleep(250);
        }
      }
    }
  }

  it('killed -9 mid-append burst and restarted: every acknowledged append is there, failed ones are reported and retried to exactly one whole commit each, and the global order has no gap', async () => {
    const intents: Intent[] = [];
    for (let w = 0; w < WRITERS; w++)
      for (let k = 0; k < APPENDS_PER_WRITER; k++) {
        const s = k % STREAMS_PER_WRITER;
        intents.push({
          key: `append-${w}-${k}-${randomUUID()}`,
          writer: w,
          streamId: `crash-w${w}-s${s}`,
          version: Math.floor(k / STREAMS_PER_WRITER) * EVENTS_PER_APPEND,
          eventIds: Array.from({ length: EVENTS_PER_APPEND }, () => randomUUID()),
          failures: [],
        });
      }
    const deadline = Date.now() + 180_000;
    const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => write(w, intents, deadline)));
    writing.catch(() => undefined);

    await eventually(
      'a quarter of the burst acknowledged',
      () => intents.filter((i) => i.acked !== undefined).length >= intents.length / 4,
      {
        timeoutMs: 60_000,
        intervalMs: 20,
      },
    );
    await store.kill();
    const ackedBeforeKill = intents.filter((i) => i.acked !== undefined).map((i) => i.key);
    // Down until every writer still writing has seen an append fail (in flight at the kill, or refused after it).
    await eventually(
      'every writer still writing to report a failed append',
      () =>
        Array.from({ length: WRITERS }, (_, w) => intents.filter((i) => i.writer === w)).every(
          (own) => own.some((i) => i.failures.length > 0) || own.every((i) => i.acked !== undefined || i.foundOnRetry),
        ),
      { timeoutMs: 60_000 },
    );
    await store.restart();
    await writing;

    const failed = intents.filter((i) => i.failures.length > 0);
    note(
      `${ackedBeforeKill.length} appends acknowledged before the kill; ${failed.length} failed at least once ` +
        `(${failed.reduce((a, i) => a + i.failures.length, 0)} failures reported), ` +
        `${intents.filter((i) => i.foundOnRetry).length} found written by their retry`,
    );
    // The fault hit the burst: some appends failed and were reported.
    expect(failed.length).toBeGreaterThan(0);

    const commits = (await conn.db!.collection<CommitDoc>('es_commits').find({}).toArray()).sort((a, b) => a.position - b.position);
    const byKey = new Map(intents.map((i) => [i.key, i]));

    // Never half-written: every commit is one append, whole, with its own events in order.
    const notWhole = commits
      .filter((c) => {
        const intent = c.idempotencyKey === undefined ? undefined : byKey.get(c.idempotencyKey);
        return !intent || c.streamId !== intent.streamId || c.events.map((e) => e.eventId).join() !== intent.eventIds.join();
      })
      .map((c) => c._id);
    expect(notWhole).toEqual([]);

    // Every append exactly once, by id: acknowledged, or failed and retried until written.
    const ids = commits.flatMap((c) => c.events.map((e) => e.eventId));
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(intents.flatMap((i) => i.eventIds)));

    // Every acknowledged append is where the store said it put it.
    const at = new Map(commits.map((c) => [c.position, c.idempotencyKey]));
    const misplaced = intents.filter((i) => i.acked !== undefined && at.get(i.acked) !== i.key).map((i) => i.key);
    expect(misplaced).toEqual([]);

    // The global order is dense: positions 1…N, each commit right after the previous one.
    const gaps = commits.flatMap((c, n) => {
      const want = n === 0 ? 1 : commits[n - 1].lastPosition + 1;
      return c.position === want && c._id === positionKey(c.position) ? [] : [`${c._id} at ${c.position}, expected ${want}`];
    });
    expect(gaps).toEqual([]);
    expect(commits.at(-1)?.lastPosition).toBe(intents.length * EVENTS_PER_APPEND);

    // A reader of the global order (as the relay reads it) passes every position.
    const reader = new EventStore(conn);
    let next = 1;
    let read = 0;
    for (;;) {
      const page = await reader.readAll(next, { limit: 500 });
      if (page.events.length === 0) break;
      read += page.events.length;
      next = page.nextPosition;
    }
    expect(read).toBe(intents.length * EVENTS_PER_APPEND);

    // Each stream's versions are contiguous.
    const broken = [...new Set(intents.map((i) => i.streamId))].filter((s) => {
      const own = commits.filter((c) => c.streamId === s);
      return own.some((c, n) => c.firstVersion !== (n === 0 ? 1 : own[n - 1].lastVersion + 1));
    });
    expect(broken).toEqual([]);
  });
});
