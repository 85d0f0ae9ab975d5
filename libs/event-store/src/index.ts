/**
 * @hrp/event-store — the event store on the MongoDB-compatible store (FerretDB 1.x subset):
 * one atomic commit document per append, optimistic concurrency on a unique index, a gap-safe
 * global order, snapshots stamped with the decider's state schema version, the generic command
 * handler and its NestJS wiring.
 */
export { EventStore, IdempotencyKeyTakenError } from './event-store';
export { KeyedQueue } from './keyed-queue';
export { isDuplicateKeyError } from './errors';
export { encodePosition, decodePosition } from './position';
export { SnapshotStore, type Snapshot } from './snapshots';
export { walkContiguous, type CommitSpan, type Walk } from './gaps';
export { positionKey, type CommitDoc, type EventDoc, type MetaDoc, type SnapshotDoc } from './documents';
export * from './types';
export * from './command-handler';
export * from './nest/event-store.module';
