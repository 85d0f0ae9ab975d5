/**
 * @hrp/event-store — the event store on the MongoDB-compatible store (FerretDB 1.x subset):
 * one atomic commit document per append, optimistic concurrency on a unique index, a gap-safe
 * global order, snapshots stamped with the decider's state schema version, the generic command
 * handler and its NestJS wiring; a hash chain per stream and anchors over the global order
 * (tamper evidence, verified by AuditTrail and `npm run audit:verify`).
 */
export { EventStore, IdempotencyKeyTakenError } from './event-store';
export { KeyedQueue } from './keyed-queue';
export { isDuplicateKeyError } from './errors';
export { encodePosition, decodePosition } from './position';
export { SnapshotStore, type Snapshot } from './snapshots';
export { walkContiguous, type CommitSpan, type Walk } from './gaps';
export {
  positionKey,
  type AnchorDoc,
  type AuditDoc,
  type ChainMigrationDoc,
  type CommitDoc,
  type EventDoc,
  type MetaDoc,
  type SnapshotDoc,
} from './documents';
export { canonicalJson, commitHash, anchorHash, GENESIS, UNCHAINED, CHAIN_FORMAT, type ChainedFields } from './chain';
export { AuditTrail, type AuditReport, type BadPosition, type ChainMigration, type MigrationResult, type TamperReason } from './audit';
export * from './types';
export * from './command-handler';
export * from './nest/event-store.module';
