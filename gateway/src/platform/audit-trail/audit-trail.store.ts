import type { mongo } from 'mongoose';
import {
  BUCKET_FIELD,
  bucketDocsOf,
  bucketKey,
  entryWanted,
  listingKey,
  overlapsPeriod,
  planAuditQuery,
  type AuditBucketDoc,
  type AuditEntryDoc,
  type AuditFilter,
  type BucketKind,
} from './audit-entry';

export const AUDIT_ENTRIES = 'audit_entries';
export const AUDIT_BUCKETS = 'audit_buckets';

/** The fields a query reads by equality: the MongoDB indexes (with `_id`) and FerretDB's GIN indexes. */
export const AUDIT_ENTRY_KEYS = ['streamId', 'bAll', 'bCtx', 'bActor', 'bType'] as const;
export const AUDIT_BUCKET_KEYS = ['k'] as const;

/** Inserts, leaving the documents already there as they are (an `_id` is the same event, or the same bucket). */
async function insertNew<D extends { _id: string }>(col: mongo.Collection<D>, docs: readonly D[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await col.insertMany(docs as mongo.OptionalUnlessRequiredId<D>[], { ordered: false });
  } catch (e) {
    const errors = (e as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
    const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
    const code = (e as { code?: number }).code;
    if (list.length > 0 ? list.every((w) => w.code === 11000) : code === 11000) return;
    throw e;
  }
}

/** Most bucket reads in flight for one page. */
const BUCKET_WINDOW = 8;

export interface AuditPage {
  entries: AuditEntryDoc[];
  hasNextPage: boolean;
}

/**
 * The trail's documents in the gateway's database: written by the projector (idempotent: insert
 * only, by deterministic ids), read a page at a time by walking buckets.
 */
export class AuditTrailStore {
  readonly entries: mongo.Collection<AuditEntryDoc>;
  readonly buckets: mongo.Collection<AuditBucketDoc>;
  /** Bucket documents this process knows exist (most batches add none). */
  private readonly known = new Set<string>();

  constructor(readonly db: mongo.Db) {
    this.entries = db.collection<AuditEntryDoc>(AUDIT_ENTRIES);
    this.buckets = db.collection<AuditBucketDoc>(AUDIT_BUCKETS);
  }

  /**
   * Writes a batch: the listings first, then the entries, so that an entry is never stored in a
   * bucket no listing names. A crash in between leaves listings of buckets not filled yet, which
   * redelivery fills.
   */
  async write(entries: readonly AuditEntryDoc[]): Promise<void> {
    const fresh = new Map<string, AuditBucketDoc>();
    for (const e of entries) for (const b of bucketDocsOf(e)) if (!this.known.has(b._id)) fresh.set(b._id, b);
    await insertNew(this.buckets, [...fresh.values()]);
    if (this.known.size > 200_000) this.known.clear();
    for (const id of fresh.keys()) this.known.add(id);
    const unique = new Map(entries.map((e) => [e._id, e]));
    await insertNew(this.entries, [...unique.values()]);
  }

  /** The subjects an actor filter means: the subject itself, or those its username was seen with. */
  async subjectsOf(actor: string): Promise<string[]> {
    const seen = await this.buckets.find({ k: `username|${actor}` }).toArray();
    return seen.length > 0 ? seen.map((d) => d.b) : [actor];
  }

  /** The first `first` entries after the cursor (an entry id), in the filter's order. */
  async page(filter: AuditFilter, first: number, after: string | null): Promise<AuditPage> {
    const desc = filter.newestFirst === true;
    const order = (a: string, b: string) => (a === b ? 0 : a < b !== desc ? -1 : 1);
    const want = first + 1;
    const plan = planAuditQuery(filter, filter.actor ? await this.subjectsOf(filter.actor) : []);
    const out: AuditEntryDoc[] = [];
    const take = (docs: AuditEntryDoc[]) => {
      for (const d of docs.sort((x, y) => order(x._id, y._id))) if (entryWanted(d, filter, after)) out.push(d);
    };
    if (plan.by === 'stream') {
      take(await this.entries.find(plan.where as mongo.Filter<AuditEntryDoc>).toArray());
    } else {
      // The instant of the cursor bounds the buckets still to read.
      const cursorAt = after?.slice(0, 24) ?? null;
      const inRange = (prefix: string) =>
        overlapsPeriod(prefix, filter.from, filter.to) &&
        (cursorAt === null || (desc ? prefix <= cursorAt.slice(0, prefix.length) : prefix >= cursorAt.slice(0, prefix.length)));
      const kind: BucketKind = plan.by;
      const months = await this.listing(plan.values.map((v) => [v, listingKey(kind, v)]));
      for (const month of [...months.keys()].filter(inRange).sort(order)) {
        if (out.length >= want) break;
        const buckets = await this.listing(months.get(month)!.map((v) => [v, `${listingKey(kind, v)}|${month}`]));
        const names = [...buckets.keys()].filter(inRange).sort(order);
        // One bucket first (a dense one fills the page); then, while the page is not full, up to
        // BUCKET_WINDOW at once: a sparse filter costs round trips, not documents.
        for (let i = 0, width = 1; i < names.length && out.length < want; i += width, width = Math.min(width * 2, BUCKET_WINDOW)) {
          const reads = names
            .slice(i, i + width)
            .flatMap((bucket) =>
              buckets
                .get(bucket)!
                .map((v) =>
                  this.entries
                    .find({ ...plan.where, [BUCKET_FIELD[kind]]: bucketKey(kind, v, bucket) } as mongo.Filter<AuditEntryDoc>)
                    .toArray(),
                ),
            );
          take((await Promise.all(reads)).flat());
        }
      }
    }
    return { entries: out.slice(0, first), hasNextPage: out.length > first };
  }

  /** The months (or buckets) listed under each key, with the filter values that have them. */
  private async listing(keys: readonly (readonly [string | null, string])[]): Promise<Map<string, (string | null)[]>> {
    const found = new Map<string, (string | null)[]>();
    const lists = await Promise.all(keys.map(([, k]) => this.buckets.find({ k }).toArray()));
    keys.forEach(([value], i) => {
      for (const d of lists[i]) found.set(d.b, [...(found.get(d.b) ?? []), value]);
    });
    return found;
  }
}
