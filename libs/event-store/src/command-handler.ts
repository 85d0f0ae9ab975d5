import type { StoredEvent } from '@hrp/contracts';
import { type Command, ConcurrencyError, type Decider, type DomainEvent, fold } from '@hrp/domain-kit';
import type { EventStore } from './event-store';
import { encodePosition } from './position';

/** Options of an {@link EventSourcedHandler} (per decider). */
export interface EventSourcedHandlerOptions {
  /** Attempts after the first when no expected version was given and a racer won. Default 3. */
  readonly retries?: number;
  /**
   * Take a snapshot once this many events were appended since the last one (0 / absent: never).
   * Needs `decider.stateSchemaVersion`: snapshots are stamped with it and ignored when it differs.
   */
  readonly snapshotEvery?: number;
  /** Schema version written for an event type. Default 1 for all. */
  readonly schemaVersionOf?: (type: string) => number;
  /** Snapshot writes never fail a command; their errors go here. Default: ignored. */
  readonly onSnapshotError?: (error: unknown, streamId: string) => void;
}

/** Per call: the version the caller saw. Absent = "latest": conflicts are retried. */
export interface HandleOptions<S = unknown> {
  readonly expectedVersion?: number | 'no-stream';
  /**
   * Runs on the freshly loaded state before anything else (and again on every retry); throw to
   * refuse. Lets an adapter authorize against the state without loading the stream twice.
   */
  readonly beforeDecide?: (state: S) => void;
}

/** A stream folded to its current state. */
export interface LoadedStream<S> {
  readonly state: S;
  readonly version: number;
  /** Global position of the last event (0 for an empty stream). */
  readonly position: number;
  /** Version of the snapshot the state started from (0 when none was used). */
  readonly snapshotVersion: number;
}

/** Outcome of a handled command. */
export interface HandleResult<E extends DomainEvent, S> {
  readonly state: S;
  /** Stream version after the command (unchanged for a no-op). */
  readonly version: number;
  /** The events appended ([] for a no-op). */
  readonly events: StoredEvent<E['type'], E['data']>[];
  /** Position token of the last event of the stream (null for an empty stream). */
  readonly position: string | null;
  /** False when `decide` returned [] (nothing was written). */
  readonly appended: boolean;
}

/**
 * The generic, framework-free command handler (STYLE.md habit 3): load (snapshot + tail) → fold
 * → decide → append with the expected version. Without an expected version from the caller, a
 * lost race is retried a bounded number of times (reload, re-decide); with one, a mismatch is a
 * ConcurrencyError at once and nothing is written. `decide` returning [] appends nothing.
 */
export class EventSourcedHandler<C extends Command, E extends DomainEvent, S> {
  private readonly retries: number;
  private readonly snapshotEvery: number;

  constructor(
    readonly store: EventStore,
    readonly decider: Decider<C, E, S>,
    private readonly options: EventSourcedHandlerOptions = {},
  ) {
    this.retries = options.retries ?? 3;
    this.snapshotEvery = options.snapshotEvery ?? 0;
    if (this.snapshotEvery > 0 && decider.stateSchemaVersion === undefined) {
      throw new Error('snapshots need decider.stateSchemaVersion (stale snapshots could not be told apart)');
    }
  }

  /** Loads and folds a stream, from a matching snapshot when there is one. */
  async load(streamId: string): Promise<LoadedStream<S>> {
    const stamp = this.decider.stateSchemaVersion;
    const snap = this.snapshotEvery > 0 ? await this.store.snapshots.read<S>(streamId) : null;
    const usable = snap !== null && snap.stateSchemaVersion === stamp;
    const base: LoadedStream<S> = usable
      ? { state: snap.state, version: snap.version, position: snap.position, snapshotVersion: snap.version }
      : { state: this.decider.initialState(), version: 0, position: 0, snapshotVersion: 0 };
    const tail = await this.store.readStream(streamId, { fromVersion: base.version + 1 });
    const last = tail.at(-1);
    const loaded: LoadedStream<S> = {
      state: fold(this.decider, tail as unknown as E[], base.state),
      version: last?.streamVersion ?? base.version,
      position: last?.position ?? base.position,
      snapshotVersion: base.snapshotVersion,
    };
    // A snapshot with another stamp is never used, and rebuilt right away.
    if (snap !== null && !usable && loaded.version > 0) return this.snapshot(streamId, loaded);
    return this.maybeSnapshot(streamId, loaded);
  }

  /** Handles one command on one stream; see the class comment for the rules. */
  async handle(streamId: string, command: C, options: HandleOptions<S> = {}): Promise<HandleResult<E, S>> {
    const expected = options.expectedVersion === 'no-stream' ? 0 : options.expectedVersion;
    const attempts = expected === undefined ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId);
      options.beforeDecide?.(loaded.state);
      if (expected !== undefined && loaded.version !== expected) throw new ConcurrencyError(streamId, expected, loaded.version);
      const events = this.decider.decide(command, loaded.state);
      if (events.length === 0) {
        return {
          state: loaded.state,
          version: loaded.version,
          events: [],
          position: loaded.version > 0 ? encodePosition(loaded.position) : null,
          appended: false,
        };
      }
      const m = command.metadata;
      try {
        const r = await this.store.append(
          streamId,
          loaded.version,
          events.map((e) => ({ type: e.type, data: e.data, schemaVersion: this.options.schemaVersionOf?.(e.type) ?? 1 })),
          {
            time: m.now,
            actor: m.actor,
            correlationId: m.correlationId,
            ...(m.causationId !== undefined ? { causationId: m.causationId } : {}),
          },
        );
        const after = await this.maybeSnapshot(streamId, {
          state: fold(this.decider, events, loaded.state),
          version: r.nextExpectedVersion,
          position: r.lastPosition,
          snapshotVersion: loaded.snapshotVersion,
        });
        return {
          state: after.state,
          version: after.version,
          events: r.events,
          position: r.position,
          appended: true,
        };
      } catch (e) {
        if (e instanceof ConcurrencyError && attempt < attempts) continue;
        throw e;
      }
    }
  }

  private async maybeSnapshot(streamId: string, s: LoadedStream<S>): Promise<LoadedStream<S>> {
    if (this.snapshotEvery <= 0 || s.version - s.snapshotVersion < this.snapshotEvery) return s;
    return this.snapshot(streamId, s);
  }

  private async snapshot(streamId: string, s: LoadedStream<S>): Promise<LoadedStream<S>> {
    try {
      await this.store.snapshots.write({
        streamId,
        version: s.version,
        position: s.position,
        stateSchemaVersion: this.decider.stateSchemaVersion as number,
        state: s.state,
      });
      return { ...s, snapshotVersion: s.version };
    } catch (e) {
      this.options.onSnapshotError?.(e, streamId);
      return s;
    }
  }
}

/** One-shot form of {@link EventSourcedHandler.handle}. */
export function handleCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: HandleOptions<S> & EventSourcedHandlerOptions = {},
): Promise<HandleResult<E, S>> {
  return new EventSourcedHandler(store, decider, options).handle(streamId, command, options);
}
