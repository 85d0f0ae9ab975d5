import { graphQLError } from '@hrp/graphql-kit';
import { CONTEXTS } from '../../config';
import { decodeAuditCursor, encodeAuditCursor, type AuditEntryDoc, type AuditFilter } from './audit-entry';
import type { AuditTrailStore } from './audit-trail.store';

const TRAIL_CONTEXTS: readonly string[] = [...CONTEXTS, 'gateway'];
const MAX_FIRST = 200;

/** The filter as the query took it, checked: anything wrong is BAD_USER_INPUT naming the field. */
export function checkAuditArgs(args: { filter: AuditFilter; first?: number | null; after?: string | null }): {
  filter: AuditFilter;
  first: number;
  after: string | null;
} {
  const f = args.filter ?? {};
  for (const field of ['streamId', 'actor', 'eventType', 'context'] as const) {
    const v = f[field];
    if (v != null && (typeof v !== 'string' || v.trim() === '' || v.length > 300))
      throw graphQLError('BAD_USER_INPUT', `filter.${field}: 1 to 300 characters`, { field: `filter.${field}` });
  }
  if (f.context != null && !TRAIL_CONTEXTS.includes(f.context))
    throw graphQLError('BAD_USER_INPUT', `filter.context: one of ${TRAIL_CONTEXTS.join(', ')}`, { field: 'filter.context' });
  // DateTime arrives checked; the trail compares UTC ISO strings.
  const from = f.from != null ? new Date(f.from).toISOString() : null;
  const to = f.to != null ? new Date(f.to).toISOString() : null;
  if (from && to && from >= to) throw graphQLError('BAD_USER_INPUT', 'filter.from must be before filter.to', { field: 'filter.from' });
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST)
    throw graphQLError('BAD_USER_INPUT', `first: 1 to ${MAX_FIRST}`, { field: 'first' });
  let after: string | null = null;
  if (args.after != null) {
    after = decodeAuditCursor(args.after);
    if (after === null) throw graphQLError('BAD_USER_INPUT', 'after: not a cursor of the audit trail', { field: 'after' });
  }
  return { filter: { ...f, from, to }, first, after };
}

/** An entry as the API shows it. */
export function auditEntryView(d: AuditEntryDoc) {
  return {
    id: d.eventId,
    context: d.context,
    streamId: d.streamId,
    version: d.version,
    position: d.position,
    type: d.type,
    schemaVersion: d.schemaVersion,
    at: d.at,
    actorSubject: d.subject,
    actorUsername: d.username,
    correlationId: d.correlationId,
    causationId: d.causationId,
    data: d.data,
  };
}

/** `auditTrail(filter, first, after)`: a page of the trail as a connection. */
export async function auditTrailPage(store: AuditTrailStore, args: { filter: AuditFilter; first?: number | null; after?: string | null }) {
  const { filter, first, after } = checkAuditArgs(args);
  const page = await store.page(filter, first, after);
  const edges = page.entries.map((d) => ({ node: auditEntryView(d), cursor: encodeAuditCursor(d._id) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
