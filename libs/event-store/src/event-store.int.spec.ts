import { createHash } from 'node:crypto';
import { ConcurrencyError } from '@hrp/domain-kit';
import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection } from 'mongoose';
import { EventStore } from './event-store';
import type { NewEventMetadata, UpcastInput } from './types';

jest.setTimeout(60_000);
const iso = isolation();
let connection: Connection;
let store: EventStore;

const meta = (time = new Date().toISOString()): NewEventMetadata => ({
  time,
  actor: { subject: 'sub-1', username: 'tester' },
  correlationId: 'corr-1',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  connection = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  store = new EventStore(connection);
  await store.init();
  await store.init(); // idempotent
}, 30_000);

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
}, 30_000);

describe('EventStore', () => {
  describe('when 50 writers append with the same expected version', () => {
    it('lets exactly one win and gives the others a ConcurrencyError with both versions', async () => {
      const stream = 'race-1';
      await store.append(stream, 'no-stream', [{ type: 'Opened', data: { n: 0 } }], meta());
      // Fresh stores (no head cache), as if 50 service instances raced.
      const racers = Array.from({ length: 50 }, (_, i) =>
        new EventStore(connection).append(
          stream,
          1,
          [
            { type: 'Counted', data: { i } },
            { type: 'Counted', data: { i } },
          ],
          meta(),
        ),
      );
      const results = await Promise.allSettled(racers);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const l of lost) {
        expect(l.reason).toBeInstanceOf(ConcurrencyError);
        expect(l.reason).toMatchObject({ streamId: stream, expectedVersion: 1, actualVersion: 3, code: 'CONFLICT' });
      }
      const events = await store.readStream(stream);
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('refuses a stale expected version before writing anything', async () => {
      await store.append('stale-1', 0, [{ type: 'A', data: {} }], meta());
      await expect(store.append('stale-1', 0, [{ type: 'A', data: {} }], meta())).rejects.toMatchObject({
        expectedVersion: 0,
        actualVersion: 1,
      });
      await expect(new EventStore(connection).append('stale-1', 5, [{ type: 'A', data: {} }], meta())).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(await store.readStream('stale-1')).toHaveLength(1);
    });

    it("appends with 'any' whatever the version, retrying lost races", async () => {
      const writers = Array.from({ length: 10 }, (_, i) =>
        new EventStore(connection).append('any-1', 'any', [{ type: 'A', data: { i } }], meta()),
      );
      const rs = await Promise.all(writers);
      expect(rs.map((r) => r.nextExpectedVersion).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await store.readStream('any-1')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });

  describe('when a stream holds 100,000 events', () => {
    it('appends them in batches and folds them back exactly', async () => {
      const stream = 'big-1';
      // A collection of its own: on FerretDB every non-_id query parses the whole collection.
      const store = new EventStore(connection, { collectionPrefix: 'big_' });
      await store.init();
      const batch = 5000;
      const total = 100_000;
      const expectedHash = createHash('sha256');
      let version = 0;
      const m = meta();
      for (let b = 0; b < total / batch; b++) {
        const events = Array.from({ length: batch }, (_, i) => {
          const n = b * batch + i + 1;
          return { type: n % 2 ? 'Credited' : 'Debited', data: { n, amount: n % 97 } };
        });
        const r = await store.append(stream, version, events, m);
        version = r.nextExpectedVersion;
      }
      expect(version).toBe(total);
      const events = await store.readStream(stream);
      let balance = 0;
      let count = 0;
      const hash = createHash('sha256');
      for (const e of events) {
        const d = e.data as { n: number; amount: number };
        expect(e.streamVersion).toBe(++count);
        balance += e.type === 'Credited' ? d.amount : -d.amount;
        hash.update(`${e.streamVersion}:${e.type}:${d.n}:${d.amount};`);
      }
      for (let n = 1; n <= total; n++) {
        expectedHash.update(`${n}:${n % 2 ? 'Credited' : 'Debited'}:${n}:${n % 97};`);
      }
      let expectedBalance = 0;
      for (let n = 1; n <= total; n++) expectedBalance += n % 2 ? n % 97 : -(n % 97);
      expect(count).toBe(total);
      expect(balance).toBe(expectedBalance);
      expect(hash.digest('hex')).toBe(expectedHash.digest('hex'));
      expect(await store.readHead(stream)).toBe(total);
    }, 300_000);
  });

  describe('when reading the global order across pages of commits', () => {
    it('gives every event once, in order, from any position, also over commits written before pages existed', async () => {
      const iso2 = isolation('pages');
      const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso2.dbName }).asPromise();
      try {
        const s = new EventStore(conn);
        await s.init();
        // 700 events in commits of 1 to 7 events (some across page boundaries), over 40 streams.
        const heads = new Map<string, number>();
        for (let n = 0, i = 0; n < 700; i++) {
          const size = Math.min(1 + (i % 7), 700 - n);
          const stream = `p-${i % 40}`;
          const events = Array.from({ length: size }, (_, k) => ({ type: 'Counted', data: { n: n + k } }));
          const r = await s.append(stream, heads.get(stream) ?? 0, events, meta());
          heads.set(stream, r.nextExpectedVersion);
          n += size;
        }
        // The oldest commits as an earlier version wrote them: no page.
        const commits = conn.db!.collection('es_commits');
        expect((await commits.updateMany({ position: { $lte: 300 } }, { $unset: { page: '' } })).modifiedCount).toBeGreaterThan(50);
        const expected = Array.from({ length: 700 }, (_, i) => i);
        for (const from of [1, 2, 255, 256, 257, 301, 512, 699]) {
          const seen: number[] = [];
          for (let next = from; ;) {
            const r = await s.readAll(next, { limit: 100 });
            seen.push(...r.events.map((e) => (e.data as { n: number }).n));
            if (r.events.length === 0) break;
            expect(r.events.map((e) => e.position)).toEqual(r.events.map((_, k) => next + k));
            next = r.nextPosition;
          }
          expect(seen).toEqual(expected.slice(from - 1));
        }
      } finally {
        await conn.dropDatabase();
        await conn.close();
      }
    });
  });

  describe('when reading a stream', () => {
    it('returns a version range', async () => {
      await store.append(
        'range-1',
        0,
        [1, 2, 3, 4, 5].map((n) => ({ type: 'N', data: { n } })),
        meta(),
      );
      const r = await store.readStream('range-1', { fromVersion: 2, toVersion: 4 });
      expect(r.map((e) => e.streamVersion)).toEqual([2, 3, 4]);
    });

    it('gives the state as of a past moment with until', async () => {
      await store.append('asof-1', 0, [{ type: 'Renamed', data: { name: 'first' } }], meta());
      await sleep(20);
      const between = new Date();
      await sleep(20);
      await store.append('asof-1', 1, [{ type: 'Renamed', data: { name: 'second' } }], meta());
      const asOf = await store.readStream('asof-1', { until: between });
      expect(asOf.map((e) => (e.data as { name: string }).name)).toEqual(['first']);
      const now = await store.readStream('asof-1', { until: new Date().toISOString() });
      expect(now.map((e) => (e.data as { name: string }).name)).toEqual(['first', 'second']);
    });

    it('upcasts events stored in an old schema version', async () => {
      await store.append('upcast-1', 0, [{ type: 'Named', schemaVersion: 1, data: { fullName: 'Ada Lovelace' } }], meta());
      await store.append('upcast-1', 1, [{ type: 'Named', schemaVersion: 2, data: { first: 'Alan', last: 'Turing' } }], meta());
      const upcast = (e: UpcastInput): UpcastInput => {
        if (e.type !== 'Named' || e.schemaVersion !== 1) return e;
        const [first, last] = (e.data as { fullName: string }).fullName.split(' ');
        return { type: 'Named', schemaVersion: 2, data: { first, last } };
      };
      const reader = new EventStore(connection, { upcast });
      const events = await reader.readStream('upcast-1');
      expect(events.map((e) => [e.schemaVersion, e.data])).toEqual([
        [2, { first: 'Ada', last: 'Lovelace' }],
        [2, { first: 'Alan', last: 'Turing' }],
      ]);
      const all = await reader.readAll(1, { limit: 1_000_000 });
      expect(all.events.filter((e) => e.streamId === 'upcast-1').every((e) => e.schemaVersion === 2)).toBe(true);
    });

    it('generates event ids and keeps the metadata', async () => {
      const r = await store.append(
        'meta-1',
        'no-stream',
        [
          { type: 'A', data: {} },
          { type: 'B', data: {} },
        ],
        [{ ...meta('2030-01-01T00:00:00.000Z'), eventId: 'given-id', causationId: 'cause-1' }, meta('2030-01-01T00:00:01.000Z')],
      );
      const [a, b] = await store.readStream('meta-1');
      expect(a?.metadata).toEqual({
        eventId: 'given-id',
        time: '2030-01-01T00:00:00.000Z',
        actor: { subject: 'sub-1', username: 'tester' },
        correlationId: 'corr-1',
        causationId: 'cause-1',
      });
      expect(b?.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.position).toBe(String(r.lastPosition));
      expect(b?.position).toBe(r.lastPosition);
    });
  });
});
