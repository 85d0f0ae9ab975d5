import { anchorHash, canonicalJson, type ChainedFields, commitHash, GENESIS } from './chain';

const commit = (over: Partial<ChainedFields> = {}): ChainedFields => ({
  streamId: 'campaign-1',
  firstVersion: 1,
  lastVersion: 1,
  position: 7,
  lastPosition: 7,
  committedAt: new Date('2030-01-01T00:00:00.000Z'),
  events: [
    {
      eventId: 'e-1',
      type: 'CampaignDrafted',
      schemaVersion: 1,
      data: { title: { fr: 'Droits' }, regions: ['MA-01'] },
      metadata: { eventId: 'e-1', time: '2030-01-01T00:00:00.000Z', actor: { subject: 's', username: 'u' }, correlationId: 'c' },
    },
  ],
  previousHash: GENESIS,
  ...over,
});

describe('The canonical form', () => {
  it('sorts keys at every depth, so that key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 2 } })).toBe('{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('writes undefined as null (what the driver stores), bigints as strings and dates as ISO', () => {
    expect(canonicalJson({ a: undefined, b: 10n, c: new Date('2030-01-01T00:00:00Z'), d: [undefined] })).toBe(
      '{"a":null,"b":"10","c":"2030-01-01T00:00:00.000Z","d":[null]}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('A commit hash', () => {
  it('is SHA-256 hex and the same for the same commit, whatever the key order', () => {
    const a = commit();
    const b = {
      ...commit(),
      events: a.events.map((e) => ({ metadata: e.metadata, data: e.data, schemaVersion: 1, type: e.type, eventId: e.eventId })),
    };
    expect(commitHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(commitHash(b)).toBe(commitHash(a));
  });

  it('changes with the data, the metadata, the versions, the positions, the time and the link', () => {
    const base = commitHash(commit());
    const [e] = commit().events;
    const variants: Partial<ChainedFields>[] = [
      { events: [{ ...e, data: { title: { fr: 'Droit' }, regions: ['MA-01'] } }] },
      { events: [{ ...e, metadata: { ...e.metadata, actor: { subject: 's', username: 'other' } } }] },
      { events: [{ ...e, type: 'CampaignPlanned' }] },
      { events: [{ ...e, schemaVersion: 2 }] },
      { firstVersion: 2, lastVersion: 2 },
      { position: 8, lastPosition: 8 },
      { committedAt: new Date('2030-01-01T00:00:00.001Z') },
      { previousHash: 'f'.repeat(64) },
      { streamId: 'campaign-2' },
    ];
    const hashes = variants.map((v) => commitHash(commit(v)));
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  it('reads a stored date or its ISO string alike', () => {
    expect(commitHash(commit({ committedAt: '2030-01-01T00:00:00.000Z' as unknown as Date }))).toBe(commitHash(commit()));
  });
});

describe('An anchor hash', () => {
  const a = { previousAnchorHash: GENESIS, fromPosition: 1, position: 3, commitHashes: ['a', 'b'] };
  it('covers the commit hashes in order, the range and the previous anchor', () => {
    const h = anchorHash(a);
    expect(anchorHash({ ...a })).toBe(h);
    expect(anchorHash({ ...a, commitHashes: ['b', 'a'] })).not.toBe(h);
    expect(anchorHash({ ...a, commitHashes: ['a'] })).not.toBe(h);
    expect(anchorHash({ ...a, position: 4 })).not.toBe(h);
    expect(anchorHash({ ...a, previousAnchorHash: 'x' })).not.toBe(h);
  });
});
