import type { EventMetadata } from '@hrp/contracts';

/** One stored event inside a commit document. */
export interface EventDoc {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

/**
 * One append = one document (one atomic insert). `_id` is {@link positionKey} of the global
 * position of its first event: the primary key is the global-order guard (see EventStore).
 */
export interface CommitDoc {
  _id: string;
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  position: number;
  lastPosition: number;
  committedAt: Date;
  events: EventDoc[];
  /**
   * Unique: `<caller>:<Idempotency-Key>` when the command came with a key, else `commit:<_id>`
   * (every commit has one, so the unique index needs no sparse or partial option, which
   * FerretDB 1.x lacks). Written by the same insert as the events: a key never exists without
   * its commit, nor a commit without its key.
   */
  idempotencyKey?: string;
  /** Fingerprint of the request that carried the key (operation and variables). */
  requestHash?: string;
  /**
   * `floor(position / COMMIT_PAGE_SIZE)`: on a store that narrows only by equality (FerretDB 1.x)
   * the global order is read a page at a time. Absent on commits written before pages existed.
   */
  page?: number;
  /**
   * Tamper evidence (see chain.ts): SHA-256 of the commit's canonical form including
   * `previousHash`, the hash of the stream's previous commit (`genesis` for the first). Absent
   * on commits written before the chain existed, until a chain migration sets both.
   */
  hash?: string;
  previousHash?: string;
  /** `_id` of the chain migration that hashed this commit (absent when hashed at append). */
  chainedBy?: string;
}

/** Positions per page of commits (see CommitDoc.page). */
export const COMMIT_PAGE_SIZE = 256;

export function commitPage(position: number): number {
  return Math.floor(position / COMMIT_PAGE_SIZE);
}

/** Where the last known global head is kept (a hint, see EventStore). */
export interface MetaDoc {
  _id: string;
  value: number;
}

/**
 * `es_anchors`: seals of the global order and records of chain migrations. An anchor (`_id`
 * `anchor:<seq>`, unique, so concurrent anchorers cannot fork the sequence) covers the commits
 * from `fromPosition` to `position` (the previous anchor's `position` + 1 up to the last
 * position of its last commit).
 */
export interface AnchorDoc {
  _id: string;
  kind: 'anchor';
  seq: number;
  fromPosition: number;
  position: number;
  commits: number;
  hash: string;
  previousAnchorHash: string;
  createdAt: Date;
}

/** A one-time chaining of commits written before the chain existed (`_id` `migration:<time>:<id>`). */
export interface ChainMigrationDoc {
  _id: string;
  kind: 'migration';
  at: Date;
  /** Who ran it (the CLI's operator), free text. */
  by: string;
  streams: number;
  commits: number;
}

export type AuditDoc = AnchorDoc | ChainMigrationDoc;

export interface SnapshotDoc {
  _id: string;
  version: number;
  position: number;
  stateSchemaVersion: number;
  state: unknown;
  takenAt: Date;
}

/**
 * The `_id` of the commit starting at a global position: 16 zero-padded decimal digits, so that
 * string order is position order (and FerretDB 1.x, which only pushes down equality on string
 * `_id`s to SQLite, answers a lookup without a collection scan).
 */
export function positionKey(position: number): string {
  return String(position).padStart(16, '0');
}
