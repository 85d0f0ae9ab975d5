import type { StoredEvent } from '@hrp/contracts';
import {
  type Command,
  ConcurrencyError,
  type Decider,
  type DomainEvent,
  fold,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
} from '@hrp/domain-kit';
import { type EventStore, IdempotencyKeyTakenError } from './event-store';
import { KeyedQueue } from './keyed-queue';
import { encodePosition } from './position';
import type { IdempotencyRecord, IdempotentCommit } from './types';

/**
 * The write-side view of an event registry (libs/contracts `EventRegistry` fits): what a decider
 * emits is checked against the current schema of its type and stamped with that version.
 */
export interface EventSchemas {
  currentVersion(type: string): number;
  /** Throws, listing every problem, when `data` breaks the current schema of `type`. */
  validate(type: string, data: unknown): void;
}

/** A decider emitted an event that breaks its registered schema: a bug, refused before the append. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    readonly type: string,
    cause: unknown,
  ) {
    super(`refused to append a malformed ${type} event (nothing was stored): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Options of an {@link EventSourcedHandler} (per decider). */
export interface EventSourcedHandlerOptions {
  /**
   * How long a command without an expected version keeps retrying after losing a race to
   * another instance, with jittered exponential backoff (ms). Default 3 000. Then CONFLICT,
   * marked retryable.
   */
  readonly conflictRetryMs?: number;
  /**
   * Take a snapshot once this many events were appended since the last one (0 / absent: never).
   * Needs `decider.stateSchemaVersion`: snapshots are stamped with it and ignored when it differs.
   */
  readonly snapshotEvery?: number;
  /** Validates events before an append and gives the schema version to stamp (default: none, v1). */
  readonly schemas?: EventSchemas;
  /** How long a request waits for an earlier one with the same idempotency key (ms). Default 10 000. */
  readonly idempotencyWaitMs?: number;
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
  /**
   * The request's idempotency key and fingerprint. The key is stored in the commit it produces;
   * a later command with the same key gets that commit's outcome and writes nothing.
   */
  readonly idempotency?: IdempotencyRecord;
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
  /** The stream the command went to (for a replayed key: the original's). */
  readonly streamId: string;
  readonly state: S;
  /** Stream version after the command (unchanged for a no-op). */
  readonly version: number;
  /** The events appended ([] for a no-op or a replay). */
  readonly events: StoredEvent<E['type'], E['data']>[];
  /** Position token of the last event of the stream (null for an empty stream). */
  readonly position: string | null;
  /** False when nothing was written (a no-op, or a replayed idempotency key). */
  readonly appended: boolean;
  /** True when an idempotency key named an earlier commit: its outcome, nothing written. */
  readonly replayed: boolean;
}

/**
 * The generic, framework-free command handler (docs/conventions.md, habit 3): load (snapshot + tail) → fold
 * → decide → validate → append with the expected version.
 *
 * - Commands on one stream run one at a time in this process (a per-stream queue), so an
 *   instance never races itself; different streams run in parallel.
 * - Without an expected version, a race lost to another instance is retried on the fresh state
 *   with jittered backoff, within `conflictRetryMs`; then a retryable ConcurrencyError.
 * - With one, a mismatch is a ConcurrencyError at once and nothing is written.
 * - `decide` returning [] appends nothing.
 * - With an idempotency key, the key is written in the commit itself; the same key again returns
 *   that commit's outcome (the state at its version) and writes nothing; with another request
 *   fingerprint it is refused. Refusals write nothing, so they are never remembered.
 */
export class EventSourcedHandler<C extends Command, E extends DomainEvent, S> {
  private readonly snapshotEvery: number;
  private readonly conflictRetryMs: number;
  private readonly streams = new KeyedQueue();
  private readonly inFlight = new Map<string, { requestHash: string; done: Promise<unknown> }>();

  constructor(
    readonly store: EventStore,
    readonly decider: Decider<C, E, S>,
    private readonly options: EventSourcedHandlerOptions = {},
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 0;
    this.conflictRetryMs = options.conflictRetryMs ?? 3000;
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
  handle(streamId: string, command: C, options: HandleOptions<S> = {}): Promise<HandleResult<E, S>> {
    const key = options.idempotency;
    if (!key) return this.streams.run(streamId, () => this.decideAndAppend(streamId, command, options));
    return this.once(key, () => this.streams.run(streamId, () => this.decideAndAppend(streamId, command, options)));
  }

  /**
   * One execution per idempotency key in this process: a second request with the key waits for
   * the first (bounded) and then finds its commit. Across instances the unique key in the
   * commit decides.
   */
  private async once(key: IdempotencyRecord, run: () => Promise<HandleResult<E, S>>): Promise<HandleResult<E, S>> {
    for (;;) {
      const running = this.inFlight.get(key.key);
      if (!running) break;
      if (running.requestHash !== key.requestHash) throw new IdempotencyKeyReusedError();
      const waitMs = this.options.idempotencyWaitMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        running.done.then(
          () => false,
          () => false,
        ),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), waitMs))),
      ]);
      clearTimeout(timer);
      if (timedOut) throw new IdempotencyKeyInFlightError();
    }
    const done = (async () => {
      const original = await this.store.findIdempotent(key.key);
      if (original) return this.replay(original, key);
      try {
        return await run();
      } catch (e) {
        if (e instanceof IdempotencyKeyTakenError) return this.replay(e.commit, key);
        throw e;
      }
    })();
    this.inFlight.set(key.key, { requestHash: key.requestHash, done });
    try {
      return await done;
    } finally {
      this.inFlight.delete(key.key);
    }
  }

  /** The outcome of the commit an idempotency key names: the state at its version. */
  private async replay(original: IdempotentCommit, key: IdempotencyRecord): Promise<HandleResult<E, S>> {
    if (original.requestHash !== key.requestHash) throw new IdempotencyKeyReusedError();
    const events = await this.store.readStream(original.streamId, { toVersion: original.lastVersion });
    return {
      streamId: original.streamId,
      state: fold(this.decider, events as unknown as E[]),
      version: original.lastVersion,
      events: [],
      position: encodePosition(original.lastPosition),
      appended: false,
      replayed: true,
    };
  }

  private async decideAndAppend(streamId: string, command: C, options: HandleOptions<S>): Promise<HandleResult<E, S>> {
    const expected = options.expectedVersion === 'no-stream' ? 0 : options.expectedVersion;
    const deadline = Date.now() + this.conflictRetryMs;
    for (let attempt = 1; ; attempt++) {
      // A command that expects no stream decides on the initial state without reading the store:
      // if the stream exists after all, the append collides and says so (ConcurrencyError with
      // the actual version, as the read would have).
      // (A client's numeric 0 on a command for an existing stream loads it: CONFLICT, not NOT_FOUND.)
      const loaded: LoadedStream<S> =
        options.expectedVersion === 'no-stream'
          ? { state: this.decider.initialState(), version: 0, position: 0, snapshotVersion: 0 }
          : await this.load(streamId);
      options.beforeDecide?.(loaded.state);
      if (expected !== undefined && loaded.version !== expected) throw new ConcurrencyError(streamId, expected, loaded.version);
      const events = this.decider.decide(command, loaded.state);
      if (events.length === 0) {
        return {
          streamId,
          state: loaded.state,
          version: loaded.version,
          events: [],
          position: loaded.version > 0 ? encodePosition(loaded.position) : null,
          appended: false,
          replayed: false,
        };
      }
      const m = command.metadata;
      try {
        const r = await this.store.append(
          streamId,
          loaded.version,
          events.map((e) => ({ type: e.type, data: e.data, schemaVersion: this.checkedVersion(e) })),
          {
            time: m.now,
            actor: m.actor,
            correlationId: m.correlationId,
            ...(m.causationId !== undefined ? { causationId: m.causationId } : {}),
          },
          options.idempotency ? { idempotency: options.idempotency } : {},
        );
        const after = await this.maybeSnapshot(streamId, {
          state: fold(this.decider, events, loaded.state),
          version: r.nextExpectedVersion,
          position: r.lastPosition,
          snapshotVersion: loaded.snapshotVersion,
        });
        return {
          streamId,
          state: after.state,
          version: after.version,
          events: r.events,
          position: r.position,
          appended: true,
          replayed: false,
        };
      } catch (e) {
        if (!(e instanceof ConcurrencyError) || expected !== undefined) throw e;
        // Another instance won: retry on its state, with full jitter, while time is left.
        const pause = Math.random() * Math.min(250, 10 * 2 ** attempt);
        if (Date.now() + pause >= deadline) throw new ConcurrencyError(streamId, e.expectedVersion, e.actualVersion, true);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /** Validates an event against its registered schema; returns the version to stamp. */
  private checkedVersion(e: E): number {
    const schemas = this.options.schemas;
    if (!schemas) return 1;
    try {
      schemas.validate(e.type, e.data);
      return schemas.currentVersion(e.type);
    } catch (cause) {
      throw new MalformedEventError(e.type, cause);
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
