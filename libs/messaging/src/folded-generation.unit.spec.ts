import type { StoredEvent } from '@hrp/contracts';
import { FoldedGeneration, type ProjectionHandler, type ProjectionUpdate } from './projection';
import { UpdateRefusedError } from './update-applier';

const event = (
  streamId: string,
  streamVersion: number,
  position: number,
  type = 'ItemCounted',
  data: unknown = { n: streamVersion },
): StoredEvent => ({
  streamId,
  streamVersion,
  position,
  type,
  schemaVersion: 1,
  data,
  metadata: {
    eventId: `${streamId}-${streamVersion}`,
    time: '2026-01-01T00:00:00.000Z',
    actor: { subject: 's', username: 'u' },
    correlationId: 'c',
  },
});

const handlers: Record<string, ProjectionHandler> = {
  ItemCreated: (e) => ({ $set: { name: (e.data as { name: string }).name, totals: { n: 0 } } }),
  ItemCounted: (e) => {
    const n = (e.data as { n: number }).n;
    if (n < 0) throw new Error('negative');
    return { $inc: { count: 1, 'totals.n': n }, $push: { ns: n }, $set: { last: n } } as unknown as ProjectionUpdate;
  },
  Ignored: () => null,
  Broken: () => ({ $inc: { name: 1 } }),
};

describe('FoldedGeneration (a rebuild folding the log in memory)', () => {
  it('builds each stream’s document as the live updates do, bookkeeping included', () => {
    const fold = new FoldedGeneration(handlers);
    const r = fold.add(
      [event('s1', 1, 10, 'ItemCreated', { name: 'one' }), event('s1', 2, 11), event('s2', 1, 12), event('s1', 3, 13)],
      't:0',
    );
    expect(r).toEqual({ applied: 4, skipped: 0, position: 13, failed: [] });
    const [s1, s2] = fold.documents();
    expect(JSON.stringify(s1)).toBe('{"_id":"s1","_version":3,"_position":13,"name":"one","totals":{"n":5},"count":2,"last":3,"ns":[2,3]}');
    expect(s2).toEqual({ _id: 's2', _version: 1, _position: 12, count: 1, last: 1, ns: [1], totals: { n: 1 } });
  });

  it('applies an event only above the document’s version: redelivered ones count once', () => {
    const fold = new FoldedGeneration(handlers);
    const once = [event('s1', 1, 1), event('s1', 2, 2), event('s1', 3, 3)];
    fold.add([once[0], once[0], once[1]], 't:0');
    const r = fold.add([once[1], once[2], once[0], once[2]], 't:0');
    expect(r).toMatchObject({ applied: 1, skipped: 3 });
    expect(fold.documents()).toEqual([{ _id: 's1', _version: 3, _position: 3, count: 3, last: 3, ns: [1, 2, 3], totals: { n: 6 } }]);
  });

  it('reports a handler that throws (for the dead-letter topic) and goes on with the next version', () => {
    const fold = new FoldedGeneration(handlers);
    const r = fold.add([event('s1', 1, 1), event('s1', 2, 2, 'ItemCounted', { n: -1 }), event('s1', 3, 3)], 't:0');
    expect(r.applied).toBe(2);
    expect(r.failed).toEqual([{ index: 1, error: new Error('negative') }]);
    expect(fold.documents()[0]).toMatchObject({ _version: 3, count: 2, ns: [1, 3] });
  });

  it('creates no document for events without an update, but still checkpoints their position', () => {
    const fold = new FoldedGeneration(handlers);
    fold.add([event('s1', 1, 7, 'Ignored'), event('s2', 1, 8, 'Unknown')], 't:1');
    expect(fold.size).toBe(0);
    expect([...fold.checkpoints()]).toEqual([['t:1', 8]]);
  });

  it('keeps the last position per source partition', () => {
    const fold = new FoldedGeneration(handlers);
    fold.add([event('s1', 1, 5)], 't:0');
    fold.add([event('s2', 1, 4)], 't:1');
    fold.add([event('s1', 2, 9)], 't:0');
    fold.add([event('s1', 1, 5)], 't:0');
    expect(new Map(fold.checkpoints())).toEqual(
      new Map([
        ['t:0', 9],
        ['t:1', 4],
      ]),
    );
  });

  it('throws on an update the store would refuse (the live write would fail too)', () => {
    const fold = new FoldedGeneration(handlers);
    fold.add([event('s1', 1, 1, 'ItemCreated', { name: 'one' })], 't:0');
    expect(() => fold.add([event('s1', 2, 2, 'Broken')], 't:0')).toThrow(UpdateRefusedError);
  });
});
