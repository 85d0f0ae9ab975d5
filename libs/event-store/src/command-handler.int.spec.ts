import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventRegistry } from '@hrp/contracts';
import {
  type Command,
  type CommandMetadata,
  ConcurrencyError,
  type Decider,
  IdempotencyKeyReusedError,
  IllegalStateError,
} from '@hrp/domain-kit';
import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection } from 'mongoose';
import { EventSourcedHandler, handleCommand, MalformedEventError } from './command-handler';
import { EventStore } from './event-store';
import { EVENT_STORE_CONNECTION, EventStoreModule } from './nest/event-store.module';

jest.setTimeout(60_000);

// ---------------------------------------------------------------- a small counter aggregate

type CounterCommand = Command<'Add', { by: number }> | Command<'Close', Record<string, never>>;
type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'Closed'; data: Record<string, never> };
interface CounterState {
  total: number;
  closed: boolean;
  evolved: number;
}

const metadata: CommandMetadata = {
  now: '2030-01-01T00:00:00.000Z',
  actor: { subject: 'sub-1', username: 'tester' },
  correlationId: 'corr-1',
};
const add = (by: number): CounterCommand => ({ type: 'Add', data: { by }, metadata });
const close = (): CounterCommand => ({ type: 'Close', data: {}, metadata });

const counter = (stateSchemaVersion = 1): Decider<CounterCommand, CounterEvent, CounterState> => ({
  stateSchemaVersion,
  initialState: () => ({ total: 0, closed: false, evolved: 0 }),
  decide(cmd, s) {
    switch (cmd.type) {
      case 'Add':
        if (s.closed) throw new IllegalStateError('counter.closed', 'closed');
        return cmd.data.by === 0 ? [] : [{ type: 'Added', data: { by: cmd.data.by } }];
      case 'Close':
        return s.closed ? [] : [{ type: 'Closed', data: {} }];
    }
  },
  evolve(s, e) {
    switch (e.type) {
      case 'Added':
        return { ...s, total: s.total + e.data.by, evolved: s.evolved + 1 };
      case 'Closed':
        return { ...s, closed: true, evolved: s.evolved + 1 };
    }
  },
});

const iso = isolation();
let connection: Connection;
let store: EventStore;

beforeAll(async () => {
  connection = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  store = new EventStore(connection);
  await store.init();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('EventSourcedHandler', () => {
  describe('when decide returns no event', () => {
    it('appends nothing and returns the current state', async () => {
      await handleCommand(store, counter(), 'noop-1', add(2));
      const r = await handleCommand(store, counter(), 'noop-1', add(0));
      expect(r).toMatchObject({ appended: false, version: 1, events: [], state: { total: 2 } });
      expect(r.position).not.toBeNull();
      expect(await store.readStream('noop-1')).toHaveLength(1);
    });
  });

  describe('when the caller gives a stale expected version', () => {
    it('refuses with a ConcurrencyError and writes nothing', async () => {
      const h = new EventSourcedHandler(store, counter());
      await h.handle('stale-1', add(1));
      await h.handle('stale-1', add(1));
      await expect(h.handle('stale-1', add(5), { expectedVersion: 1 })).rejects.toMatchObject({
        constructor: ConcurrencyError,
        expectedVersion: 1,
        actualVersion: 2,
      });
      expect(await store.readStream('stale-1')).toHaveLength(2);
      const ok = await h.handle('stale-1', add(5), { expectedVersion: 2 });
      expect(ok).toMatchObject({ appended: true, version: 3, state: { total: 7 } });
      expect(ok.events.map((e) => [e.type, e.streamVersion])).toEqual([['Added', 3]]);
      expect(ok.position).toBe(String(ok.events[0]?.position));
    });
  });

  describe('when a command expects no stream (a creation)', () => {
    it('decides without reading the store, and on an existing stream gets a ConcurrencyError with its version, writing nothing', async () => {
      const h = new EventSourcedHandler(store, counter(), { snapshotEvery: 5 });
      const reads = jest.spyOn(store, 'readStream');
      const snapshots = jest.spyOn(store.snapshots, 'read');
      try {
        const created = await h.handle('created-1', add(3), { expectedVersion: 'no-stream' });
        expect(created).toMatchObject({ appended: true, version: 1, state: { total: 3 } });
        expect(reads).not.toHaveBeenCalled();
        expect(snapshots).not.toHaveBeenCalled();
      } finally {
        reads.mockRestore();
        snapshots.mockRestore();
      }
      await h.handle('created-1', add(1));
      await expect(h.handle('created-1', add(5), { expectedVersion: 'no-stream' })).rejects.toMatchObject({
        constructor: ConcurrencyError,
        expectedVersion: 0,
        actualVersion: 2,
      });
      expect((await store.readStream('created-1')).map((e) => e.data)).toEqual([{ by: 3 }, { by: 1 }]);
    });
  });

  describe('when racers handle commands without an expected version', () => {
    const versions = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.streamVersion);
    const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    it('serialises the commands of one stream in one instance: all 30 land, versions dense', async () => {
      const h = new EventSourcedHandler(store, counter(), { conflictRetryMs: 0 });
      const results = await Promise.all(Array.from({ length: 30 }, () => h.handle('serial-1', add(1))));
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(oneToN(30));
      expect(await versions('serial-1')).toEqual(oneToN(30));
    });

    it('retries races lost to other instances on the fresh state: all 30 land across two instances', async () => {
      const one = new EventSourcedHandler(new EventStore(connection), counter());
      const two = new EventSourcedHandler(new EventStore(connection), counter());
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).handle('race-1', add(1))));
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(oneToN(30));
      expect(await versions('race-1')).toEqual(oneToN(30));
    });

    it('keeps streams in parallel: a slow stream does not hold another one up', async () => {
      const h = new EventSourcedHandler(store, counter());
      const slow = jest.spyOn(store, 'readStream');
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      slow.mockImplementationOnce(async (...args) => {
        await gate;
        return EventStore.prototype.readStream.apply(store, args);
      });
      try {
        const held = h.handle('parallel-slow', add(1));
        await expect(h.handle('parallel-fast', add(1))).resolves.toMatchObject({ version: 1 });
        release();
        await expect(held).resolves.toMatchObject({ version: 1 });
      } finally {
        slow.mockRestore();
      }
    });

    it('with one expected version, exactly one of 30 succeeds and the others get CONFLICT at once', async () => {
      const h = new EventSourcedHandler(store, counter());
      await h.handle('exact-1', add(1));
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => h.handle('exact-1', add(1), { expectedVersion: 1 })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as ConcurrencyError);
      expect(refused).toHaveLength(29);
      for (const e of refused)
        expect(e).toMatchObject({ constructor: ConcurrencyError, expectedVersion: 1, actualVersion: 2, retryable: false });
      expect(await versions('exact-1')).toEqual([1, 2]);
    });

    it('gives up with a retryable ConcurrencyError once its time bound has passed', async () => {
      await handleCommand(store, counter(), 'race-2', add(1));
      const h = new EventSourcedHandler(store, counter(), { conflictRetryMs: 1500 });
      // A racer slips in between every load and append.
      const original = store.append.bind(store);
      const spy = jest.spyOn(store, 'append').mockImplementation(async (...args) => {
        await new EventStore(connection).append('race-2', 'any', [{ type: 'Added', data: { by: 100 } }], {
          time: metadata.now,
          actor: metadata.actor,
          correlationId: 'racer',
        });
        return original(...args);
      });
      try {
        // Without a bound this would retry for ever (and the test time out).
        await expect(h.handle('race-2', add(1))).rejects.toMatchObject({ constructor: ConcurrencyError, retryable: true });
        expect(spy.mock.calls.length).toBeGreaterThan(1);
      } finally {
        spy.mockRestore();
      }
    });

    it('lets domain errors through without retrying', async () => {
      await handleCommand(store, counter(), 'closed-1', close());
      await expect(handleCommand(store, counter(), 'closed-1', add(1))).rejects.toBeInstanceOf(IllegalStateError);
    });
  });

  describe('with snapshots', () => {
    it('starts from a snapshot whose stamp matches', async () => {
      const h = new EventSourcedHandler(store, counter(1), { snapshotEvery: 3 });
      for (let i = 0; i < 7; i++) await h.handle('snap-1', add(1));
      const snap = await store.snapshots.read<CounterState>('snap-1');
      expect(snap).toMatchObject({ version: 6, stateSchemaVersion: 1, state: { total: 6, evolved: 6 } });
      // Tamper with the snapshot: a load that uses it shows the tampered total.
      await store.snapshots.collection.updateOne({ _id: 'snap-1' }, { $set: { 'state.total': 1000 } });
      const loaded = await h.load('snap-1');
      expect(loaded).toMatchObject({ version: 7, snapshotVersion: 6, state: { total: 1001 } });
    });

    it('ignores and rebuilds a snapshot stamped with another state schema version', async () => {
      const v1 = new EventSourcedHandler(store, counter(1), { snapshotEvery: 2 });
      for (let i = 0; i < 4; i++) await v1.handle('snap-2', add(1));
      await store.snapshots.collection.updateOne({ _id: 'snap-2' }, { $set: { 'state.total': 1000 } });
      const v2 = new EventSourcedHandler(store, counter(2), { snapshotEvery: 2 });
      const loaded = await v2.load('snap-2');
      expect(loaded.state).toEqual({ total: 4, closed: false, evolved: 4 });
      expect(await store.snapshots.read('snap-2')).toMatchObject({ version: 4, stateSchemaVersion: 2, state: { total: 4 } });
      const r = await v2.handle('snap-2', add(1));
      expect(r.state.total).toBe(5);
    });

    it('refuses snapshots for a decider without a state schema version', () => {
      const { stateSchemaVersion: _unused, ...unstamped } = counter();
      expect(() => new EventSourcedHandler(store, unstamped, { snapshotEvery: 5 })).toThrow(/stateSchemaVersion/);
    });
  });
});

describe('EventSourcedHandler with an event registry', () => {
  const registry = () =>
    new EventRegistry('counting')
      .register({
        type: 'Added',
        currentVersion: 2,
        schemas: {
          1: { type: 'object', required: ['by'], properties: { by: { type: 'integer' } } },
          2: { type: 'object', required: ['by'], properties: { by: { type: 'integer', maximum: 1000 } } },
        },
        upcasters: { 1: (d: { by: number }) => d },
      })
      .register({ type: 'Closed', currentVersion: 1, schemas: { 1: { type: 'object', properties: {} } } });

  it('stamps what it appends with the current schema version', async () => {
    const r = await handleCommand(store, counter(), 'schema-1', add(3), { schemas: registry() });
    expect(r.events.map((e) => [e.type, e.schemaVersion])).toEqual([['Added', 2]]);
    const [commit] = await store.commits.find({ streamId: 'schema-1' }).toArray();
    expect(commit?.events.map((e) => e.schemaVersion)).toEqual([2]);
  });

  it('refuses an event that breaks its schema with a clear error, and stores nothing', async () => {
    await expect(handleCommand(store, counter(), 'schema-2', add(5000), { schemas: registry() })).rejects.toThrow(MalformedEventError);
    await expect(handleCommand(store, counter(), 'schema-2', add(5000), { schemas: registry() })).rejects.toThrow(
      /malformed Added event \(nothing was stored\).*\$\.by/s,
    );
    expect(await store.readStream('schema-2')).toEqual([]);
  });
});

describe('EventSourcedHandler with idempotency keys', () => {
  const key = (k: string, requestHash = 'hash-a') => ({ idempotency: { key: `sub-1:${k}`, requestHash } });

  it('runs a keyed command once: ten concurrent copies give one commit and ten equal outcomes', async () => {
    const h = new EventSourcedHandler(store, counter());
    const results = await Promise.all(Array.from({ length: 10 }, () => h.handle('idem-1', add(2), key('k1'))));
    expect(await store.readStream('idem-1')).toHaveLength(1);
    const outcome = (r: (typeof results)[number]) => ({ streamId: r.streamId, state: r.state, version: r.version, position: r.position });
    for (const r of results) expect(outcome(r)).toEqual(outcome(results[0]));
    expect(results.filter((r) => r.appended)).toHaveLength(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(9);
  });

  it('answers a later retry with the original outcome, even on another stream id and after other writes', async () => {
    const h = new EventSourcedHandler(store, counter());
    const first = await h.handle('idem-2', add(4), key('k2'));
    await h.handle('idem-2', add(10));
    // A retried create carries a fresh server-made stream id: the key still finds the original.
    const again = await new EventSourcedHandler(new EventStore(connection), counter()).handle('idem-2-other', add(4), key('k2'));
    expect(again).toMatchObject({ streamId: 'idem-2', version: 1, state: { total: 4 }, position: first.position, replayed: true });
    expect(await store.readStream('idem-2-other')).toEqual([]);
  });

  it('lets two instances race with one key: one commit, both get its outcome', async () => {
    const one = new EventSourcedHandler(new EventStore(connection), counter());
    const two = new EventSourcedHandler(new EventStore(connection), counter());
    const [a, b] = await Promise.all([one.handle('idem-3a', add(1), key('k3')), two.handle('idem-3b', add(1), key('k3'))]);
    expect(a.streamId).toBe(b.streamId);
    expect(a.position).toBe(b.position);
    const written = (await store.readStream('idem-3a')).length + (await store.readStream('idem-3b')).length;
    expect(written).toBe(1);
  });

  it('refuses the same key with another request, writing nothing', async () => {
    const h = new EventSourcedHandler(store, counter());
    await h.handle('idem-4', add(1), key('k4', 'hash-a'));
    await expect(h.handle('idem-4', add(7), key('k4', 'hash-b'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.readStream('idem-4')).toHaveLength(1);
  });

  it('does not remember a refusal: the same key runs again once the rule allows it', async () => {
    const h = new EventSourcedHandler(store, counter());
    await h.handle('idem-5', close());
    await expect(h.handle('idem-5', add(1), key('k5'))).rejects.toBeInstanceOf(IllegalStateError);
    expect(await store.findIdempotent('sub-1:k5')).toBeNull();
  });

  it('forgets keys after their time to live', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const clocked = new EventStore(connection, { clock: () => now, idempotencyTtlMs: 60_000 });
    const h = new EventSourcedHandler(clocked, counter());
    await h.handle('idem-6', add(1), key('k6'));
    now = new Date('2030-01-01T00:00:59Z');
    expect(await h.handle('idem-6', add(1), key('k6'))).toMatchObject({ replayed: true, version: 1 });
    now = new Date('2030-01-01T00:01:01Z');
    expect(await h.handle('idem-6', add(1), key('k6'))).toMatchObject({ appended: true, version: 2 });
  });
});

describe('EventStoreModule', () => {
  it('wires the store in a few lines, and closes its connection', async () => {
    @Module({
      imports: [
        EventStoreModule.forRoot({ context: 'tests', mongoUrl: testInfra.mongoUrl, dbName: iso.dbName, collectionPrefix: 'nest_' }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const r = await handleCommand(app.get(EventStore), counter(), 'nest-1', add(3));
    expect(r).toMatchObject({ appended: true, version: 1, state: { total: 3 } });
    expect((await app.get(EventStore).readStream('nest-1')).map((e) => e.type)).toEqual(['Added']);
    const conn = app.get<Connection>(EVENT_STORE_CONNECTION);
    await app.close();
    expect(conn.readyState).toBe(mongoose.ConnectionStates.disconnected);
  });
});
