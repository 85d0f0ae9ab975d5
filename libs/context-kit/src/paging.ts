import type { mongo } from 'mongoose';

/**
 * List paging on a store that pushes down nothing but equality (FerretDB 1.x: no range, sort or
 * limit with a filter) and on MongoDB (indexes).
 *
 * A list read model stores, beside its sort key (the global position of the stream's first
 * event), two coarser keys of that position: `listBucket` (64 positions) and `listBlock` (4,096
 * positions). A page is read with *equalities* on them — which FerretDB pushes down to SQL and
 * MongoDB answers from the `{listBucket, <sortKey>}` / `{listBlock, <sortKey>}` indexes (and
 * `{<field>, listBlock, <sortKey>}` for an indexed filter field) — instead of sorting and
 * counting the whole collection. So a page costs what its buckets hold, not the collection.
 */
export const LIST_BUCKET_SIZE = 64;
export const LIST_BLOCK_SIZE = LIST_BUCKET_SIZE * 64;

export function listBucket(position: number): number {
  return Math.floor(position / LIST_BUCKET_SIZE);
}

export function listBlock(position: number): number {
  return Math.floor(position / LIST_BLOCK_SIZE);
}

/** The paging keys a list read model's handler stores with its sort key: `{ ...listKeys(e.position) }`. */
export function listKeys(position: number): { listBucket: number; listBlock: number } {
  return { listBucket: listBucket(position), listBlock: listBlock(position) };
}

/**
 * Most buckets read at once. On FerretDB 1.x every read is a scan of the table (even by `_id`: its
 * SQL is `_jsonb->$1 @> $2`, which no index serves), so what a page costs is mostly its number of
 * reads, and then the documents they return.
 */
const BUCKET_WINDOW = 8;
/** Buckets read for each one the density seen so far says is needed (a margin for variance). */
const MARGIN = 1.5;

/**
 * Whether the store narrows `where` by itself: it has an equality on a scalar (a field, not an
 * operator), which FerretDB pushes down to SQL and MongoDB answers from an index. Then reading a
 * whole block fetches only the matching documents; otherwise it would fetch the whole block.
 */
export function narrowed(where: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(where).some(
    ([k, v]) => !k.startsWith('$') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
  );
}

/**
 * Reads the first `want` documents matching `where` in `sortKey` order after `after` (exclusive)
 * and up to `last` (the read model's position: nothing is above it).
 *
 * It reads one bucket first, which fills a page of a dense list (no filter) in one read. Then it
 * reads as many buckets at once as the matches per bucket seen so far say the page needs (up to
 * {@link BUCKET_WINDOW}): a common status or a region takes one or two more reads. A sparse
 * filter that the store narrows (`narrowed`: a search word, a rare status) goes on block by
 * block, each read fetching only the block's matches; one it cannot narrow goes on 8 buckets at
 * a time.
 */
export async function walkBuckets<D extends Record<string, unknown>>(
  col: mongo.Collection<D>,
  where: mongo.Filter<D>,
  sortKey: keyof D & string,
  want: number,
  after: number | undefined,
  last: number,
): Promise<D[]> {
  const out: D[] = [];
  const lastBucket = listBucket(last);
  const read = (key: 'listBucket' | 'listBlock', value: number, from: number | undefined) =>
    col
      .find({ ...where, [key]: value, ...(from !== undefined ? { [sortKey]: { $gt: from } } : {}) } as mongo.Filter<D>)
      .toArray()
      .then((docs) => docs.sort((x, y) => (x[sortKey] as number) - (y[sortKey] as number)) as D[]);
  const coarse = narrowed(where);
  let b = after === undefined ? 0 : listBucket(after);
  let width = 1;
  let bucketsRead = 0;
  while (b <= lastBucket && out.length < want) {
    const n = Math.min(width, lastBucket - b + 1);
    const pages = await Promise.all(Array.from({ length: n }, (_, i) => read('listBucket', b + i, after)));
    b += n;
    bucketsRead += n;
    for (const docs of pages) out.push(...docs);
    // Buckets the rest of the page needs at the density seen so far.
    const needed = out.length === 0 ? Infinity : Math.ceil((MARGIN * (want - out.length) * bucketsRead) / out.length);
    if (coarse && needed > BUCKET_WINDOW) break;
    width = Math.min(needed, BUCKET_WINDOW);
  }
  if (out.length < want && b <= lastBucket) {
    // Block mode, from the first position not read yet (a block may be partly read already).
    const from = Math.max(after ?? 0, b * LIST_BUCKET_SIZE - 1);
    const lastBlock = listBlock(last);
    for (let k = listBlock(from + 1); k <= lastBlock && out.length < want; k++) out.push(...(await read('listBlock', k, from)));
  }
  return out.slice(0, want);
}

/** The indexes a list needs on MongoDB (by bucket and by block; each filter field before them). */
export function listIndexes(sortKey: string, fields: readonly string[]): mongo.IndexDescription[] {
  return ['listBucket', 'listBlock'].flatMap((key) => [
    { key: { [key]: 1, [sortKey]: 1 }, name: `${key}_${sortKey}` },
    ...fields.map((f) => ({ key: { [f]: 1, [key]: 1, [sortKey]: 1 }, name: `${f}_${key}_${sortKey}` })),
  ]);
}

const servedByIndexes = new WeakMap<mongo.Db, Promise<boolean>>();

/**
 * Whether the store answers list reads from indexes: MongoDB does; FerretDB 1.x never does (its
 * pushed-down SQL is `_jsonb->$1 @> $2` with the field as a parameter, which no expression index
 * matches: every read scans the table), so there an index would only slow the projection's writes.
 */
export function listIndexesServe(db: mongo.Db): Promise<boolean> {
  let known = servedByIndexes.get(db);
  if (!known) {
    known = db.command({ buildInfo: 1 }).then((info) => !('ferretdbVersion' in info));
    known.catch(() => servedByIndexes.delete(db));
    servedByIndexes.set(db, known);
  }
  return known;
}

/**
 * Creates the indexes a list needs where the store uses them ({@link listIndexesServe}), one at a
 * time and only when missing (FerretDB 1.x crashes on re-creating several).
 */
export async function ensureListIndexes(db: mongo.Db, col: mongo.Collection, sortKey: string, fields: readonly string[]): Promise<void> {
  if (!(await listIndexesServe(db))) return;
  const existing = new Set(
    (
      await col
        .listIndexes()
        .toArray()
        .catch(() => [] as { name?: unknown }[])
    ).map((i: { name?: unknown }) => String(i.name)),
  );
  for (const spec of listIndexes(sortKey, fields)) if (!existing.has(spec.name!)) await col.createIndexes([spec]);
}

/**
 * Readies a list read model's collection: documents written before it had `listBucket` or
 * `listBlock` get them from their sort key (a one-time backfill, run before its consumer starts),
 * and the indexes exist.
 */
export async function prepareList(db: mongo.Db, col: mongo.Collection, sortKey: string, fields: readonly string[]): Promise<number> {
  const missing = await col
    .find({ listBlock: { $exists: false }, [sortKey]: { $exists: true } }, { projection: { _id: 1, [sortKey]: 1 } })
    .toArray();
  for (const d of missing) await col.updateOne({ _id: d._id }, { $set: listKeys(d[sortKey] as number) });
  await ensureListIndexes(db, col, sortKey, fields);
  return missing.length;
}
