import mongoose, { type Connection, type mongo } from 'mongoose';
import { isolation, testInfra } from '@hrp/testing';
import { LIST_BLOCK_SIZE, listKeys, walkBuckets } from './paging';

/*
 * The list walk on the real store, against the answer of a plain sort: every page of every filter
 * (none, a dense or a sparse equality the store narrows, a sparse `$in` it cannot) is exactly
 * the next documents in order, across buckets and blocks, whatever the cursor.
 */
jest.setTimeout(120_000);

interface Doc extends Record<string, unknown> {
  _id: string;
  p: number;
  kind: string;
  terms: string[];
  listBucket: number;
  listBlock: number;
}

describe('walkBuckets on the store', () => {
  let conn: Connection;
  let col: mongo.Collection<Doc>;
  const docs: Doc[] = [];
  // Positions spread over three blocks with gaps (other streams' events), as in a real topic.
  const LAST = 3 * LIST_BLOCK_SIZE - 7;

  beforeAll(async () => {
    const iso = isolation('paging');
    conn = await mongoose.createConnection(`${testInfra.mongoUrl}/${iso.dbName}`).asPromise();
    col = conn.db!.collection<Doc>('list');
    for (let p = 3, i = 0; p <= LAST; p += 1 + ((p * 7) % 5), i++) {
      const kind = i % 3 === 0 ? 'dense' : 'other';
      const terms = i % 97 === 0 ? ['rare', 'x'] : ['x'];
      docs.push({ _id: `d${p}`, p, kind, terms, ...listKeys(p) });
    }
    for (let i = 0; i < docs.length; i += 1000) await col.insertMany(docs.slice(i, i + 1000));
  });
  afterAll(async () => {
    await conn?.db?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  const cases: [string, mongo.Filter<Doc>, (d: Doc) => boolean][] = [
    ['no filter', {}, () => true],
    ['a dense equality (narrowed)', { kind: 'dense' }, (d) => d.kind === 'dense'],
    ['a sparse equality on an array (narrowed, block by block)', { terms: 'rare' }, (d) => d.terms.includes('rare')],
    ['a sparse $in (not narrowed, bucket by bucket)', { terms: { $in: ['rare'] } }, (d) => d.terms.includes('rare')],
    ['nothing matching', { kind: 'none' }, () => false],
  ];

  it.each(cases)('pages through %s exactly once, in order', async (_label, where, keep) => {
    const expected = docs.filter(keep).map((d) => d._id);
    for (const size of [20, 150]) {
      const seen: string[] = [];
      let after: number | undefined;
      for (let pages = 0; pages <= expected.length / size + 1; pages++) {
        const page = await walkBuckets(col, where, 'p', size + 1, after, LAST);
        seen.push(...page.slice(0, size).map((d) => d._id));
        if (page.length <= size) break;
        after = page[size - 1].p;
      }
      expect(seen).toEqual(expected);
    }
  });

  it('stops at the last position it is given', async () => {
    const page = await walkBuckets(col, {}, 'p', 10_000, undefined, LIST_BLOCK_SIZE);
    expect(page.map((d) => d._id)).toEqual(docs.filter((d) => d.listBucket <= LIST_BLOCK_SIZE / 64).map((d) => d._id));
  });
});
