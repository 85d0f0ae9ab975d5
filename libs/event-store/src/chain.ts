import { createHash } from 'node:crypto';
import type { CommitDoc } from './documents';

/** `previousHash` of a stream's first commit. */
export const GENESIS = 'genesis';

/**
 * `previousHash` of a commit appended after a commit that had no hash yet (written before the
 * chain existed, or by an older instance during a rolling deployment). Verification accepts it
 * only when that predecessor was chained later by a migration.
 */
export const UNCHAINED = 'unchained';

/** Version of the canonical form below; part of every hash, so the form can evolve. */
export const CHAIN_FORMAT = 1;

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), `undefined` as `null` (what the
 * driver stores for it with its default `ignoreUndefined: false`), bigints as decimal strings,
 * Dates as ISO strings (their `toJSON`). Same rules as context-kit's request fingerprints
 * (libs/context-kit/src/commands.ts), mirrored because context-kit depends on this library.
 */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === undefined) return null;
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && !Array.isArray(v))
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      return v;
    }) ?? 'null'
  );
}

/** What a commit's hash covers: everything the audit trail states, and its link. */
export type ChainedFields = Pick<
  CommitDoc,
  'streamId' | 'firstVersion' | 'lastVersion' | 'position' | 'lastPosition' | 'committedAt' | 'events'
> & { previousHash: string };

/**
 * SHA-256 (hex) of the canonical form of a commit: stream, versions, global positions, commit
 * time, every stored field of every event (id, type, schema version, data, metadata) and the
 * previous commit's hash. Not covered: `_id` (checked against `position` instead), the
 * idempotency key (released in place after its time to live), `requestHash` and `page`.
 */
export function commitHash(c: ChainedFields): string {
  const committedAt = c.committedAt instanceof Date ? c.committedAt.toISOString() : String(c.committedAt);
  return createHash('sha256')
    .update(
      canonicalJson({
        chain: CHAIN_FORMAT,
        streamId: c.streamId,
        firstVersion: c.firstVersion,
        lastVersion: c.lastVersion,
        position: c.position,
        lastPosition: c.lastPosition,
        committedAt,
        events: c.events,
        previousHash: c.previousHash,
      }),
    )
    .digest('hex');
}

/**
 * Hash of an anchor: the previous anchor's hash, the range it seals and the hashes of the
 * commits in it, in position order.
 */
export function anchorHash(a: {
  previousAnchorHash: string;
  fromPosition: number;
  position: number;
  commitHashes: readonly string[];
}): string {
  const h = createHash('sha256').update(`anchor/${CHAIN_FORMAT}\n${a.previousAnchorHash}\n${a.fromPosition}..${a.position}\n`);
  for (const c of a.commitHashes) h.update(c).update('\n');
  return h.digest('hex');
}
