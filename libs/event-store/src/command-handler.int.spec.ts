import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { type Command, type CommandMetadata, ConcurrencyError, type Decider, IllegalStateError } from '@hrp/domain-kit';
import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection } from 'mongoose';
import { EventSourcedHandler, handleCommand } from './command-handler';
import { EventStore } from './event-store';
import { DecideCommand, EVENT_STORE_CONNECTION, EventSourcedHandlers, EventStoreModule } from './nest/event-store.module';

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

  describe('when racers handle commands without an expected version', () => {
    it('retries the losers so that every command lands once', async () => {
      const racers = Array.from({ length: 5 }, () =>
        new EventSourcedHandler(new EventStore(connection), counter(), { retries: 10 }).handle('race-1', add(1)),
      );
      const results = await Promise.all(racers);
      expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
      const events = await store.readStream('race-1');
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    });

    it('gives up with a ConcurrencyError after the bounded retries', async () => {
      await handleCommand(store, counter(), 'race-2', add(1));
      const h = new EventSourcedHandler(store, counter(), { retries: 1 });
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
        await expect(h.handle('race-2', add(1))).rejects.toBeInstanceOf(ConcurrencyError);
        expect(spy).toHaveBeenCalledTimes(2);
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

describe('EventStoreModule', () => {
  it('wires the store, the handlers and the CommandBus in a few lines, and closes its connection', async () => {
    @Module({
      imports: [
        EventStoreModule.forRoot({
          context: 'tests',
          mongoUrl: testInfra.mongoUrl,
          dbName: iso.dbName,
          collectionPrefix: 'nest_',
          handlers: { retries: 2 },
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const bus = app.get(CommandBus);
    const decider = counter();
    const r = await bus.execute(new DecideCommand(decider, 'nest-1', add(3)));
    expect(r).toMatchObject({ appended: true, version: 1, state: { total: 3 } });
    await expect(bus.execute(new DecideCommand(decider, 'nest-1', add(1), { expectedVersion: 0 }))).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(bus.execute(new DecideCommand(decider, 'nest-1', close(), { expectedVersion: 1 }))).resolves.toMatchObject({ version: 2 });
    expect(app.get(EventSourcedHandlers).for(decider)).toBe(app.get(EventSourcedHandlers).for(decider));
    expect((await app.get(EventStore).readStream('nest-1')).map((e) => e.type)).toEqual(['Added', 'Closed']);
    const conn = app.get<Connection>(EVENT_STORE_CONNECTION);
    await app.close();
    expect(conn.readyState).toBe(mongoose.ConnectionStates.disconnected);
  });
});
