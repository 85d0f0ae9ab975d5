import type { mongo } from 'mongoose';
import type { SnapshotDoc } from './documents';
import { isDuplicateKeyError } from './errors';

/** A folded state saved at a stream version, stamped with the decider's `stateSchemaVersion`. */
export interface Snapshot<S = unknown> {
  readonly streamId: string;
  readonly version: number;
  /** Global position of the event at `version` (for the position token of a no-op). */
  readonly position: number;
  readonly stateSchemaVersion: number;
  readonly state: S;
  readonly takenAt: Date;
}

/**
 * Snapshots, one document per stream (`_id` = stream id). The state is stored as BSON, so it
 * must be plain data (objects, arrays, strings, numbers, booleans, null, Dates), and on FerretDB
 * without nested arrays or keys containing `.` or starting with `$`.
 */
export class SnapshotStore {
  constructor(readonly collection: mongo.Collection<SnapshotDoc>) {}

  async read<S>(streamId: string): Promise<Snapshot<S> | null> {
    const d = await this.collection.findOne({ _id: streamId });
    if (!d) return null;
    return {
      streamId,
      version: d.version,
      position: d.position,
      stateSchemaVersion: d.stateSchemaVersion,
      state: d.state as S,
      takenAt: d.takenAt,
    };
  }

  /**
   * Saves a snapshot unless a newer one with the same stamp is already there (then it is a no-op).
   * A snapshot with another stamp is always replaced.
   */
  async write<S>(s: Omit<Snapshot<S>, 'takenAt'> & { takenAt?: Date }): Promise<void> {
    const doc: SnapshotDoc = {
      _id: s.streamId,
      version: s.version,
      position: s.position,
      stateSchemaVersion: s.stateSchemaVersion,
      state: s.state,
      takenAt: s.takenAt ?? new Date(),
    };
    try {
      await this.collection.replaceOne(
        { _id: s.streamId, $or: [{ version: { $lt: s.version } }, { stateSchemaVersion: { $ne: s.stateSchemaVersion } }] },
        doc,
        { upsert: true },
      );
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e; // a newer snapshot with the same stamp exists
    }
  }
}
