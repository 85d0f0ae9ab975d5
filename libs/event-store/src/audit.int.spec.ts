import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection, type mongo } from 'mongoose';
import { AuditTrail } from './audit';
import { commitHash, UNCHAINED } from './chain';
import { type CommitDoc, positionKey } from './documents';
import { EventStore } from './event-store';
import type { EventStoreOptions, NewEventMetadata } from './types';

jest.setTimeout(60_000);

const meta: NewEventMetadata = {
  time: '2030-01-01T00:00:00.000Z',
  actor: { subject: 'sub-1', username: 'tester' },
  correlationId: 'corr-1',
};
const STREAMS = ['s-a', 's-b', 's-c'];

interface Fixture {
  connection: Connection;
  store: EventStore;
  trail: AuditTrail;
  commits: mongo.Collection<CommitDoc>;
}
const opened: Connection[] = [];

async function fresh(label: string, options: EventStoreOptions = { anchorEvery: 0 }): Promise<Fixture> {
  const connection = await mongoose.createConnection(testInfra.mongoUrl, { dbName: isolation(label).dbName }).asPromise();
  opened.push(connection);
  const store = new EventStore(connection, options);
  await store.init();
  return { connection, store, trail: new AuditTrail(store), commits: store.commits };
}

afterAll(async () => {
  for (const c of opened) {
    await c.dropDatabase();
    await c.close();
  }
}, 60_000);

/** Five rounds over three streams (interleaved in the global order); s-b's second commit holds two events. */
async function seed(f: Fixture): Promise<void> {
  const versions = new Map<string, number>();
  for (let round = 1; round <= 5; round++) {
    for (const s of STREAMS) {
      const n = s === 's-b' && round === 2 ? 2 : 1;
      const events = Array.from({ length: n }, (_, k) => ({ type: 'Counted', data: { s, round, k } }));
      const r = await f.store.append(s, versions.get(s) ?? 0, events, meta);
      versions.set(s, r.nextExpectedVersion);
    }
  }
}

const commitOf = async (f: Fixture, streamId: string, firstVersion: number) =>
  (await f.commits.findOne({ streamId, firstVersion })) as CommitDoc;

describe('The audit trail', () => {
  describe('when the log is untouched', () => {
    it('verifies, after concurrent appends of several instances to several streams', async () => {
      const f = await fresh('audit_ok');
      await seed(f);
      const writers = [new EventStore(f.connection), new EventStore(f.connection), new EventStore(f.connection)];
      await Promise.all(
        writers.flatMap((w, i) =>
          Array.from({ length: 8 }, (_, k) => w.append(`hot-${k % 4}`, 'any', [{ type: 'Counted', data: { i, k } }], meta)),
        ),
      );
      const all = await f.trail.verifyAll();
      expect(all).toMatchObject({ ok: true, streams: 7, commits: 15 + 24, migratedCommits: 0 });
      expect(all.firstBad).toBeUndefined();
      for (const s of [...STREAMS, 'hot-0', 'hot-3']) expect(await f.trail.verifyStream(s)).toMatchObject({ ok: true, streams: 1 });
      const hot = await f.commits.find({ streamId: 'hot-1' }).sort({ firstVersion: 1 }).toArray();
      expect(hot.map((c) => c.firstVersion)).toEqual([1, 2, 3, 4, 5, 6]);
      hot.forEach((c, i) => expect(c.previousHash).toBe(i === 0 ? 'genesis' : hot[i - 1]?.hash));
    });

    it('verifies data that the store does not keep as given: undefined, dates, nested keys in any order', async () => {
      const f = await fresh('audit_roundtrip');
      const data = {
        z: undefined,
        a: [undefined, 1.5, -0, 2 ** 40],
        when: new Date('2030-01-02T03:04:05.678Z'),
        m: { y: 'ⵜⴰⵎⴰⵣⵉⵖⵜ', b: 'عربية' },
      };
      await f.store.append('odd', 0, [{ type: 'Odd', data }], { ...meta, causationId: 'cause-1' });
      expect(await f.trail.verifyAll()).toMatchObject({ ok: true, commits: 1 });
    });
  });

  describe('when an event was edited in the store', () => {
    it('names the edited commit', async () => {
      const f = await fresh('audit_edit');
      await seed(f);
      const c3 = await commitOf(f, 's-a', 3);
      await f.commits.updateOne({ _id: c3._id }, { $set: { 'events.0.data.round': 99 } });
      const expected = { reason: 'edited', streamId: 's-a', version: 3, position: c3.position };
      expect((await f.trail.verifyStream('s-a')).firstBad).toMatchObject(expected);
      expect(await f.trail.verifyAll()).toMatchObject({ ok: false, firstBad: expected });
      expect((await f.trail.verifyStream('s-b')).ok).toBe(true);
    });

    it('names an edited actor in the metadata too', async () => {
      const f = await fresh('audit_edit_meta');
      await seed(f);
      const c2 = await commitOf(f, 's-c', 2);
      await f.commits.updateOne({ _id: c2._id }, { $set: { 'events.0.metadata.actor.username': 'someone-else' } });
      expect((await f.trail.verifyAll()).firstBad).toMatchObject({ reason: 'edited', streamId: 's-c', version: 2, position: c2.position });
    });
  });

  describe('when a commit was deleted from the middle of a stream', () => {
    it('names the hole in the global order and the missing version', async () => {
      const f = await fresh('audit_delete');
      await seed(f);
      const c3 = await commitOf(f, 's-a', 3);
      const c4 = await commitOf(f, 's-a', 4);
      await f.commits.deleteOne({ _id: c3._id });
      expect(await f.trail.verifyAll()).toMatchObject({
        ok: false,
        firstBad: { reason: 'deleted', streamId: 's-a', version: 3, position: c3.position },
      });
      expect((await f.trail.verifyStream('s-a')).firstBad).toMatchObject({ reason: 'deleted', version: 3, position: c4.position });
    });

    it('names it also when the later versions were renumbered to hide the gap', async () => {
      const f = await fresh('audit_delete_renumber');
      await seed(f);
      const c3 = await commitOf(f, 's-a', 3);
      const c4 = await commitOf(f, 's-a', 4);
      await f.commits.deleteOne({ _id: c3._id });
      for (const v of [4, 5])
        await f.commits.updateOne({ streamId: 's-a', firstVersion: v }, { $set: { firstVersion: v - 1, lastVersion: v - 1 } });
      expect((await f.trail.verifyStream('s-a')).firstBad).toMatchObject({ reason: 'deleted', version: 3, position: c4.position });
      expect((await f.trail.verifyAll()).firstBad).toMatchObject({ reason: 'deleted', position: c3.position });
    });
  });

  describe('when a forged commit was inserted into a stream', () => {
    it('names it, even when the forger linked and hashed it like the store does', async () => {
      const f = await fresh('audit_insert');
      await seed(f);
      const c2 = await commitOf(f, 's-a', 2);
      // Make room at version 3 (from the end, because of the unique index), then insert the forgery
      // at the end of the global order, linked to version 2 and hashed with the store's own function.
      for (const v of [5, 4, 3])
        await f.commits.updateOne({ streamId: 's-a', firstVersion: v }, { $set: { firstVersion: v + 1, lastVersion: v + 1 } });
      const head = await f.store.headPosition();
      const fields = {
        streamId: 's-a',
        firstVersion: 3,
        lastVersion: 3,
        position: head + 1,
        lastPosition: head + 1,
        committedAt: new Date(),
        events: [
          {
            eventId: 'forged',
            type: 'Counted',
            schemaVersion: 1,
            data: { s: 's-a', round: 3, k: 0 },
            metadata: { ...meta, eventId: 'forged' },
          },
        ],
        previousHash: c2.hash as string,
      };
      await f.commits.insertOne({ _id: positionKey(head + 1), ...fields, hash: commitHash(fields) });
      const expected = { reason: 'inserted', streamId: 's-a', version: 3, position: head + 1 };
      expect((await f.trail.verifyStream('s-a')).firstBad).toMatchObject(expected);
      expect((await f.trail.verifyAll()).firstBad).toMatchObject(expected);
    });

    it('names a forgery without a hash that the chain skips', async () => {
      const f = await fresh('audit_insert_naive');
      await seed(f);
      for (const v of [5, 4, 3])
        await f.commits.updateOne({ streamId: 's-a', firstVersion: v }, { $set: { firstVersion: v + 1, lastVersion: v + 1 } });
      const head = await f.store.headPosition();
      await f.commits.insertOne({
        _id: positionKey(head + 1),
        streamId: 's-a',
        firstVersion: 3,
        lastVersion: 3,
        position: head + 1,
        lastPosition: head + 1,
        committedAt: new Date(),
        events: [{ eventId: 'forged', type: 'Counted', schemaVersion: 1, data: {}, metadata: { ...meta, eventId: 'forged' } }],
      });
      expect((await f.trail.verifyAll()).firstBad).toMatchObject({ reason: 'inserted', streamId: 's-a', version: 3, position: head + 1 });
    });
  });

  describe('when two commits of a stream were swapped', () => {
    it('names the first position of the swap', async () => {
      const f = await fresh('audit_reorder');
      await seed(f);
      const c2 = await commitOf(f, 's-a', 2);
      const c3 = await commitOf(f, 's-a', 3);
      await f.commits.updateOne({ _id: c2._id }, { $set: { firstVersion: -2, lastVersion: -2 } });
      await f.commits.updateOne({ _id: c3._id }, { $set: { firstVersion: 2, lastVersion: 2 } });
      await f.commits.updateOne({ _id: c2._id }, { $set: { firstVersion: 3, lastVersion: 3 } });
      const expected = { reason: 'reordered', streamId: 's-a', version: 2, position: c2.position };
      expect((await f.trail.verifyStream('s-a')).firstBad).toMatchObject(expected);
      expect((await f.trail.verifyAll()).firstBad).toMatchObject(expected);
    });
  });

  describe('when the log was written before the chain existed', () => {
    it('reports it unchained, migrates it once (recorded), then verifies, also after more appends', async () => {
      const f = await fresh('audit_migrate');
      await seed(f);
      // As an earlier version wrote them: no hash, no link.
      await f.commits.updateMany({}, { $unset: { hash: '', previousHash: '' } });
      const before = await f.trail.verifyAll();
      expect(before).toMatchObject({ ok: false, firstBad: { reason: 'unchained', position: 1 } });
      // A new instance appends after an unchained tail (a rolling deployment): it links to "unchained".
      const during = await new EventStore(f.connection, { anchorEvery: 0 }).append('s-a', 5, [{ type: 'Counted', data: {} }], meta);
      expect((await f.commits.findOne({ position: during.firstPosition }))?.previousHash).toBe(UNCHAINED);

      const at = new Date('2031-02-03T04:05:06.000Z');
      const m = await f.trail.migrateChain('auditor-1', at);
      expect(m).toMatchObject({ streams: 3, commits: 15, migration: { by: 'auditor-1', at, streams: 3, commits: 15 } });
      const after = await f.trail.verifyAll();
      expect(after).toMatchObject({ ok: true, streams: 3, commits: 16, migratedCommits: 15 });
      expect(after.migrations).toEqual([expect.objectContaining({ id: m.migration?.id, at, commits: 15 })]);
      expect(await f.trail.migrateChain('auditor-1')).toEqual({ streams: 0, commits: 0 });

      // Appends continue the chain: from the store that saw the old tail, and from a fresh one.
      await f.store.append('s-b', 'any', [{ type: 'Counted', data: {} }], meta);
      const fresher = new EventStore(f.connection, { anchorEvery: 0 });
      await fresher.append('s-c', 5, [{ type: 'Counted', data: {} }], meta);
      await fresher.append('s-a', 'any', [{ type: 'Counted', data: {} }], meta);
      await fresher.append('s-new', 'no-stream', [{ type: 'Counted', data: {} }], meta);
      expect(await f.trail.verifyAll()).toMatchObject({ ok: true, streams: 4, commits: 20, migratedCommits: 15 });
      expect(await f.trail.anchor()).toMatchObject({ seq: 1, fromPosition: 1, commits: 20 });
      expect(await f.trail.verifyAll()).toMatchObject({ ok: true, anchors: 1 });
    });
  });

  describe('with anchors over the global order', () => {
    it('verifies them, and detects by them an edit that was re-hashed along the whole stream', async () => {
      const f = await fresh('audit_anchor');
      await seed(f);
      const first = await f.trail.anchor();
      expect(first).toMatchObject({ seq: 1, fromPosition: 1, position: 16, commits: 15, previousAnchorHash: 'genesis' });
      expect(await f.trail.anchor()).toBeNull(); // nothing new
      await f.store.append('s-a', 5, [{ type: 'Counted', data: {} }], meta);
      const second = await f.trail.anchor();
      expect(second).toMatchObject({ seq: 2, fromPosition: 17, position: 17, commits: 1, previousAnchorHash: first?.hash });
      expect(await f.trail.verifyAll()).toMatchObject({ ok: true, anchors: 2, anchoredTo: 17, lastAnchorHash: second?.hash });

      // A forger who knows the hash function edits s-b's version 2 and re-links the rest of s-b.
      const stream = await f.commits.find({ streamId: 's-b' }).sort({ firstVersion: 1 }).toArray();
      let previousHash = stream[0]?.hash as string;
      for (const c of stream.slice(1)) {
        if (c.firstVersion === 2) (c.events[0].data as { round: number }).round = 42;
        const hash = commitHash({ ...c, previousHash });
        await f.commits.updateOne({ _id: c._id }, { $set: { events: c.events, previousHash, hash } });
        previousHash = hash;
      }
      expect((await f.trail.verifyStream('s-b')).ok).toBe(true); // the stream alone cannot tell
      const r = await f.trail.verifyAll();
      expect(r).toMatchObject({ ok: false, anchoredTo: 0, firstBad: { reason: 'edited', position: 1 } });
      expect(r.firstBad?.detail).toContain('anchor 1');
    });

    it('lets a plain edit before an anchor be named by its commit, and fails the anchor too', async () => {
      const f = await fresh('audit_anchor_edit');
      await seed(f);
      await f.trail.anchor();
      const c4 = await commitOf(f, 's-c', 4);
      await f.commits.updateOne({ _id: c4._id }, { $set: { 'events.0.data.k': 1 } });
      const r = await f.trail.verifyAll();
      expect(r).toMatchObject({
        ok: false,
        anchors: 1,
        anchoredTo: 0,
        firstBad: { reason: 'edited', streamId: 's-c', version: 4, position: c4.position },
      });
    });

    it('are written by appends every anchorEvery positions', async () => {
      const f = await fresh('audit_anchor_auto', { anchorEvery: 4 });
      for (let v = 0; v < 10; v++) {
        await f.store.append('auto', v, [{ type: 'Counted', data: { v } }], meta);
        await f.store.anchored();
      }
      const anchors = await f.store.anchors.find({ kind: 'anchor' }).sort({ seq: 1 }).toArray();
      expect(anchors.map((a) => (a.kind === 'anchor' ? [a.fromPosition, a.position] : null))).toEqual([
        [1, 4],
        [5, 8],
      ]);
      expect(await f.trail.verifyAll()).toMatchObject({ ok: true, anchors: 2, anchoredTo: 8 });
    });
  });
});
