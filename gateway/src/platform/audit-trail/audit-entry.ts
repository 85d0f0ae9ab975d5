import type { StoredEvent } from '@hrp/contracts';

/*
 * The audit trail's read model (issue 15 item 2): one document per event of every context (and of
 * the gateway's admin stream), shaped so that each filter — stream, actor, event type, context,
 * period — is an *equality* on one field. MongoDB answers those from `{field: 1, _id: 1}` indexes;
 * FerretDB pushes equalities down to SQL, where a GIN expression index on the field serves them
 * (ferret-indexes.ts). A query never scans the trail: it walks the *buckets* (a day or an hour of
 * one actor, type, context, or of everything) that hold entries, newest or oldest first, and reads
 * one bucket at a time.
 *
 * Pure: no I/O here.
 */

/** The entry's `_id` sorts in the trail's order: time, then context, then the context's global position. */
export function entryId(at: string, context: string, position: number): string {
  return `${at}|${context}|${String(position).padStart(12, '0')}`;
}

/** How fine each kind of bucket is: an hour where there are many events (all, one context), a day otherwise. */
export type BucketKind = 'all' | 'context' | 'actor' | 'type';
const HOURLY: ReadonlySet<BucketKind> = new Set(['all', 'context']);

/** The entry field that holds each kind's bucket key. */
export const BUCKET_FIELD: Readonly<Record<BucketKind, keyof AuditEntryDoc>> = {
  all: 'bAll',
  context: 'bCtx',
  actor: 'bActor',
  type: 'bType',
};

/** `2026-12-01` (day buckets) or `2026-12-01T13` (hour buckets) of an ISO instant. */
export function bucketOf(kind: BucketKind, at: string): string {
  return HOURLY.has(kind) ? at.slice(0, 13) : at.slice(0, 10);
}

/** A bucket's key: the kind, the value filtered on (absent for `all`), the bucket. */
export function bucketKey(kind: BucketKind, value: string | null, bucket: string): string {
  return value === null ? `${kind}|${bucket}` : `${kind}|${value}|${bucket}`;
}

/** The listing key of a kind and value: `k` of its month documents; `<k>|<month>` lists a month's buckets. */
export function listingKey(kind: BucketKind, value: string | null): string {
  return value === null ? kind : `${kind}|${value}`;
}

/** One event of the trail, as stored. */
export interface AuditEntryDoc {
  _id: string;
  context: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  schemaVersion: number;
  eventId: string;
  /** ISO instant of the command (the event's `time`). */
  at: string;
  subject: string;
  username: string;
  correlationId: string;
  causationId: string | null;
  /** The event's data as JSON, personal data sealed (see sealPersonalData). */
  data: string;
  bAll: string;
  bCtx: string;
  bActor: string;
  bType: string;
}

/**
 * A document of the bucket listings: `k` = a listing key (its months) or a listing key and a month
 * (its buckets), `b` = the month or bucket. Insert-only, so redelivery and concurrent writers
 * (FerretDB updates are not atomic) cannot lose one.
 */
export interface AuditBucketDoc {
  _id: string;
  k: string;
  b: string;
}

/** Personal data as every context stores it (libs/personal-data's EncryptedPii). */
function isSealed(v: unknown): v is { keyId: string; ciphertext: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { keyId?: unknown }).keyId === 'string' &&
    typeof (v as { ciphertext?: unknown }).ciphertext === 'string'
  );
}

/**
 * The data as an auditor sees it: each sealed personal-data value becomes a marker naming its
 * person. The trail keeps no ciphertext — not a second copy of anyone's data — so an erased
 * person stays erased here without anything to do.
 */
export function sealPersonalData(data: unknown): unknown {
  if (isSealed(data)) return { personalData: 'sealed', personId: data.keyId };
  if (Array.isArray(data)) return data.map(sealPersonalData);
  if (typeof data === 'object' && data !== null)
    return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, sealPersonalData(v)]));
  return data;
}

/** The trail's document of an event of `context`. */
export function auditEntryOf(event: StoredEvent, context: string): AuditEntryDoc {
  const at = new Date(event.metadata.time).toISOString();
  const m = event.metadata;
  return {
    _id: entryId(at, context, event.position),
    context,
    streamId: event.streamId,
    version: event.streamVersion,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    eventId: m.eventId,
    at,
    subject: m.actor.subject,
    username: m.actor.username,
    correlationId: m.correlationId,
    causationId: m.causationId ?? null,
    data: JSON.stringify(sealPersonalData(event.data)),
    bAll: bucketKey('all', null, bucketOf('all', at)),
    bCtx: bucketKey('context', context, bucketOf('context', at)),
    bActor: bucketKey('actor', m.actor.subject, bucketOf('actor', at)),
    bType: bucketKey('type', event.type, bucketOf('type', at)),
  };
}

/** The listing documents an entry needs (its months and buckets, and its username's subject). */
export function bucketDocsOf(entry: AuditEntryDoc): AuditBucketDoc[] {
  const values: [BucketKind, string | null][] = [
    ['all', null],
    ['context', entry.context],
    ['actor', entry.subject],
    ['type', entry.type],
  ];
  const docs: AuditBucketDoc[] = [];
  for (const [kind, value] of values) {
    const k = listingKey(kind, value);
    const bucket = bucketOf(kind, entry.at);
    const month = entry.at.slice(0, 7);
    docs.push({ _id: `${k}|${month}`, k, b: month }, { _id: `${k}|${bucket}`, k: `${k}|${month}`, b: bucket });
  }
  // The actor filter takes a username too: the subjects it has been seen with.
  docs.push({ _id: `username|${entry.username}|${entry.subject}`, k: `username|${entry.username}`, b: entry.subject });
  return docs;
}

// ---------------------------------------------------------------- queries

export interface AuditFilter {
  streamId?: string | null;
  /** A Keycloak subject or a username. */
  actor?: string | null;
  eventType?: string | null;
  context?: string | null;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string | null;
  to?: string | null;
  newestFirst?: boolean | null;
}

/**
 * How a query is read: one stream's entries directly, or the buckets of the most selective filter
 * (actor, then type, then context, then everything), the other filters as equalities beside it.
 */
export type AuditPlan =
  | { readonly by: 'stream'; readonly where: Readonly<Record<string, string>> }
  | { readonly by: BucketKind; readonly values: readonly (string | null)[]; readonly where: Readonly<Record<string, string>> };

/** The plan of a filter; `subjects` are the actor's (a subject, or those its username was seen with). */
export function planAuditQuery(filter: AuditFilter, subjects: readonly string[] = []): AuditPlan {
  const where: Record<string, string> = {};
  if (filter.eventType) where.type = filter.eventType;
  if (filter.context) where.context = filter.context;
  if (filter.streamId) {
    if (filter.actor) where.subject = subjects[0] ?? filter.actor;
    return { by: 'stream', where: { ...where, streamId: filter.streamId } };
  }
  if (filter.actor) return { by: 'actor', values: subjects, where };
  if (filter.eventType) {
    delete where.type;
    return { by: 'type', values: [filter.eventType], where };
  }
  if (filter.context) {
    delete where.context;
    return { by: 'context', values: [filter.context], where };
  }
  return { by: 'all', values: [null], where };
}

/** Whether a bucket or month (a prefix of an ISO instant) can hold instants of [from, to). */
export function overlapsPeriod(prefix: string, from?: string | null, to?: string | null): boolean {
  // The prefix covers [prefix, prefix + '\uffff'): compare on the common length.
  if (from && prefix < from.slice(0, prefix.length)) return false;
  if (to && prefix > to.slice(0, prefix.length)) return false;
  if (to && prefix === to.slice(0, prefix.length) && to.length === prefix.length) return false;
  return true;
}

/** An entry's place against the cursor and the period, in the query's order. */
export function entryWanted(e: Pick<AuditEntryDoc, '_id' | 'at'>, filter: AuditFilter, after: string | null): boolean {
  if (filter.from && e.at < filter.from) return false;
  if (filter.to && e.at >= filter.to) return false;
  if (after !== null && (filter.newestFirst ? e._id >= after : e._id <= after)) return false;
  return true;
}

/** Opaque cursors of the trail: the entry's `_id`. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(`a:${id}`, 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string): string | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('a:') && text.length > 2 && text.length < 400 ? text.slice(2) : null;
}
