import type { mongo } from 'mongoose';

/**
 * Global positions per list bucket. A list read model stores `listBucket = listBucket(position of
 * the stream's first event)` beside the same position as its sort key: a page is then read bucket
 * by bucket with an *equality* on `listBucket` — which FerretDB 1.x pushes down to SQL (it pushes
 * down no range, sort or limit with a filter) and MongoDB answers from the
 * `{listBucket, <sortKey>}` index — instead of sorting and counting the whole collection.
 */
export const LIST_BUCKET_SIZE = 64;

export function listBucket(position: number): number {
  return Math.floor(position / LIST_BUCKET_SIZE);
}

/** Buckets read at once while walking towards a full page (sparse filters skip many buckets). */
const WINDOW = 6;

/**
 * Reads the first `want` documents matching `where` in `sortKey` order after `after` (exclusive),
 * walking the buckets from the cursor's up to `lastBucket`, a window at a time.
 */
export async function walkBuckets<D extends Record<string, unknown>>(
  col: mongo.Collection<D>,
  where: mongo.Filter<D>,
  sortKey: keyof D & string,
  want: number,
  after: number | undefined,
  lastBucket: number,
): Promise<D[]> {
  const out: D[] = [];
  for (let b = after === undefined ? 0 : listBucket(after); b <= lastBucket && out.length < want; b += WINDOW) {
    const buckets = Array.from({ length: Math.min(WINDOW, lastBucket - b + 1) }, (_, i) => b + i);
    const pages = await Promise.all(
      buckets.map((bucket) =>
        col
          .find({ ...where, listBucket: bucket, ...(after !== undefined ? { [sortKey]: { $gt: after } } : {}) } as mongo.Filter<D>)
          .toArray(),
      ),
    );
    for (const docs of pages) {
      docs.sort((x, y) => (x[sortKey] as number) - (y[sortKey] as number));
      out.push(...(docs as D[]));
      if (out.length >= want) break;
    }
  }
  return out.slice(0, want);
}

/** Creates the indexes a list needs on MongoDB, one at a time and only when missing (FerretDB 1.x crashes on re-creating several). */
export async function ensureListIndexes(col: mongo.Collection, sortKey: string, fields: readonly string[]): Promise<void> {
  const wanted: mongo.IndexDescription[] = [
    { key: { listBucket: 1, [sortKey]: 1 }, name: `listBucket_${sortKey}` },
    ...fields.map((f) => ({ key: { [f]: 1, listBucket: 1, [sortKey]: 1 }, name: `${f}_listBucket_${sortKey}` })),
  ];
  const existing = new Set(
    (
      await col
        .listIndexes()
        .toArray()
        .catch(() => [] as { name?: unknown }[])
    ).map((i: { name?: unknown }) => String(i.name)),
  );
  for (const spec of wanted) if (!existing.has(spec.name!)) await col.createIndexes([spec]);
}

/**
 * Readies a list read model's collection: documents written before it had `listBucket` get it
 * from their sort key (a one-time backfill, run before its consumer starts), and the indexes exist.
 */
export async function prepareList(col: mongo.Collection, sortKey: string, fields: readonly string[]): Promise<number> {
  const missing = await col
    .find({ listBucket: { $exists: false }, [sortKey]: { $exists: true } }, { projection: { _id: 1, [sortKey]: 1 } })
    .toArray();
  for (const d of missing) await col.updateOne({ _id: d._id }, { $set: { listBucket: listBucket(d[sortKey] as number) } });
  await ensureListIndexes(col, sortKey, fields);
  return missing.length;
}
