/**
 * The shapes events take once written: what the event store returns, what the relay publishes
 * (as a CloudEvents 1.0 envelope, see envelope.ts) and what consumers receive.
 */

/** Metadata stored with every event (never personal data beyond the actor's Keycloak ids). */
export interface EventMetadata {
  /** Unique id of the event (CloudEvents `id`); consumers deduplicate on it. */
  readonly eventId: string;
  /** Instant of the command that produced it (ISO 8601). */
  readonly time: string;
  readonly actor: { readonly subject: string; readonly username: string };
  readonly correlationId: string;
  readonly causationId?: string;
}

/** An event as read back from the event store: upcast to the current schema version. */
export interface StoredEvent<Type extends string = string, Data = unknown> {
  readonly streamId: string;
  /** 1-based version of the event within its stream (no gaps, no duplicates). */
  readonly streamVersion: number;
  /** Position of the event in the context's global order (gap-safe, see libs/event-store). */
  readonly position: number;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}
