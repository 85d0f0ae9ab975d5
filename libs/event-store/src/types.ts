import type { EventMetadata, StoredEvent } from '@hrp/contracts';

/**
 * What an append expects the stream to be at: a version number (0 = empty stream),
 * `'no-stream'` (same as 0) or `'any'` (no check; the store reads the head and retries internally).
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

/** An event to append: the store adds versions, positions, the event id and the metadata. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  /** Schema version of `data` as written now; defaults to 1. */
  readonly schemaVersion?: number;
}

/** Metadata of an event to append; `eventId` is generated (crypto.randomUUID) when absent. */
export type NewEventMetadata = Omit<EventMetadata, 'eventId'> & { readonly eventId?: string };

/** The stored shape of one event's schema-dependent part, as handed to an upcaster. */
export interface UpcastInput {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Rewrites an old event shape into the current one when read; must be pure and total. */
export type Upcaster = (event: UpcastInput) => UpcastInput;

/** An idempotency key recorded with a commit (see CommitDoc.idempotencyKey). */
export interface IdempotencyRecord {
  /** Unique per caller, e.g. `<subject>:<Idempotency-Key>`. */
  readonly key: string;
  /** Fingerprint of the request; the same key with another fingerprint is refused. */
  readonly requestHash: string;
}

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  /** Records the key in the commit itself (one insert). */
  readonly idempotency?: IdempotencyRecord;
}

/** The commit that an idempotency key names. */
export interface IdempotentCommit {
  readonly streamId: string;
  readonly lastVersion: number;
  readonly lastPosition: number;
  readonly requestHash: string;
  readonly committedAt: Date;
}

/** Outcome of a successful append. */
export interface AppendResult {
  /** The stream's version after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** Token of `lastPosition` for clients (see encodePosition). */
  readonly position: string;
  /** The events as written (not upcast: they are already current). */
  readonly events: StoredEvent[];
}

/** Options of {@link EventStore}. */
export interface EventStoreOptions {
  /** Prefix of the store's collections: `<prefix>commits`, `<prefix>meta`, `<prefix>snapshots`. Default `es_`. */
  readonly collectionPrefix?: string;
  /** Applied to every event read back (readStream, readAll). */
  readonly upcast?: Upcaster;
  /**
   * Accepted for compatibility and ignored: positions are claimed by the commit itself (see
   * EventStore), so the store never leaves a hole that would need a timeout.
   * @deprecated
   */
  readonly gapTimeoutMs?: number;
  /** Attempts of an `'any'` append when racing writers keep moving the stream. Default 10. */
  readonly anyRetries?: number;
  /** Streams whose last known head is cached in memory to save a read per append. Default 10 000; 0 disables. */
  readonly headCacheSize?: number;
  /** How long an idempotency key is honoured after its commit (ms). Default 24 h. */
  readonly idempotencyTtlMs?: number;
  /**
   * After a commit reaching a multiple of this many positions, the appending instance seals the
   * global order up to its contiguous head with an anchor, in the background. Default 0 (off):
   * the context kit's `audit-anchor` job runs `AuditTrail.anchor()` instead, off the append path
   * (an anchor reads the log since the last one; on FerretDB that is a scan).
   */
  readonly anchorEvery?: number;
  /** Errors of background work (anchoring) go here; they never fail an append. Default: ignored. */
  readonly onBackgroundError?: (error: unknown) => void;
  /** Clock used for `committedAt` (tests). Default `() => new Date()`. */
  readonly clock?: () => Date;
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /** First version to return (1-based, inclusive). Default 1. */
  readonly fromVersion?: number;
  /** Last version to return (inclusive). */
  readonly toVersion?: number;
  /**
   * "State as of": only commits with `committedAt <= until`, and only the prefix of the stream
   * up to the first commit after `until` (so the result is always a consistent prefix).
   */
  readonly until?: Date | string;
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /** Events wanted; whole commits are returned, so the last one may take the page past it. Default 1 000. */
  readonly limit?: number;
}

/** A page of the global order. */
export interface ReadAllResult {
  /** Events in position order, none past the first position not committed. */
  readonly events: StoredEvent[];
  /** Where the next read starts (inclusive): store it as the checkpoint. */
  readonly nextPosition: number;
}
