import { ConcurrencyError } from '@hrp/domain-kit';
import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection } from 'mongoose';
import { positionKey } from './documents';
import { EventStore } from './event-store';
import type { NewEventMetadata } from './types';

jest.setTimeout(60_000);
const iso = isolation();
let connection: Connection;
let store: EventStore;

const meta: NewEventMetadata = {
  time: '2030-01-01T00:00:00.000Z',
  actor: { subject: 'sub-1', username: 'tester' },
  correlationId: 'corr-1',
};

beforeAll(async () => {
  connection = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  store = new EventStore(connection);
  await store.init();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

async function allPositions(s: EventStore): Promise<number[]> {
  const out: number[] = [];
  let next = 1;
  for (;;) {
    const page = await s.readAll(next, { limit: 100 });
    out.push(...page.events.map((e) => e.position));
    if (page.events.length === 0) return out;
    next = page.nextPosition;
  }
}

describe('The global order', () => {
  describe('when many writers append to many streams at once', () => {
    it('gives every event its own position, with no hole and no duplicate', async () => {
      const writers = Array.from({ length: 30 }, (_, i) =>
        new EventStore(connection).append(
          `s-${i}`,
          'no-stream',
          [
            { type: 'A', data: { i } },
            { type: 'B', data: { i } },
          ],
          meta,
        ),
      );
      const results = await Promise.all(writers);
      const positions = await allPositions(store);
      expect(positions).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(
        results
          .map((r) => r.lastPosition)
          .sort((a, b) => a - b)
          .at(-1),
      ).toBe(60);
      expect(await store.headPosition()).toBe(60);
    });
  });

  describe('when writers conflict on a stream', () => {
    it('leaves no hole behind the losers', async () => {
      await store.append('conflicted', 0, [{ type: 'A', data: {} }], meta);
      const racers = Array.from({ length: 20 }, () => new EventStore(connection).append('conflicted', 1, [{ type: 'B', data: {} }], meta));
      const settled = await Promise.allSettled(racers);
      expect(settled.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof ConcurrencyError)).toBe(true);
      await store.append('after-conflict', 0, [{ type: 'C', data: {} }], meta);
      const positions = await allPositions(store);
      expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
      expect(await new EventStore(connection).headPosition()).toBe(positions.length);
    });
  });

  describe('when a position is not committed yet', () => {
    it('stops readers before it, and lets them pass once it is filled', async () => {
      const head = await store.headPosition();
      // Simulate a commit that is not visible yet at head+1 while a later one (head+2) is.
      const later = {
        _id: positionKey(head + 2),
        streamId: 'late-b',
        firstVersion: 1,
        lastVersion: 1,
        position: head + 2,
        lastPosition: head + 2,
        committedAt: new Date(),
        events: [{ eventId: 'e-b', type: 'B', schemaVersion: 1, data: {}, metadata: { ...meta, eventId: 'e-b' } }],
      };
      await store.commits.insertOne(later);
      const before = await store.readAll(head, { limit: 100 });
      expect(before.events.map((e) => e.position)).toEqual([head]);
      expect(before.nextPosition).toBe(head + 1);
      expect(await new EventStore(connection).headPosition()).toBe(head);

      // A writer racing into the hole gets it (the primary key makes head+2 unavailable to it).
      await new EventStore(connection).append('late-a', 'no-stream', [{ type: 'A', data: {} }], meta);
      const after = await store.readAll(before.nextPosition, { limit: 100 });
      expect(after.events.map((e) => [e.position, e.streamId])).toEqual([
        [head + 1, 'late-a'],
        [head + 2, 'late-b'],
      ]);
      expect(await new EventStore(connection).headPosition()).toBe(head + 2);
      // The next writer continues after the late commit, never inside it.
      const next = await new EventStore(connection).append('late-c', 'no-stream', [{ type: 'C', data: {} }], meta);
      expect(next.firstPosition).toBe(head + 3);
    });
  });

  describe('when a checkpoint falls inside a commit', () => {
    it('continues from that event', async () => {
      const r = await store.append(
        'multi',
        'no-stream',
        [1, 2, 3].map((n) => ({ type: 'N', data: { n } })),
        meta,
      );
      const page = await store.readAll(r.firstPosition + 1, { limit: 10 });
      expect(page.events.map((e) => e.position)).toEqual([r.firstPosition + 1, r.lastPosition]);
      expect(page.nextPosition).toBe(r.lastPosition + 1);
    });
  });
});
