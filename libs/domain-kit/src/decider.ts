/**
 * The functional core of every aggregate (docs/conventions.md habit 1): `decide` turns a command and the
 * current state into new events, `evolve` folds one event into the state. Both are pure: time,
 * ids and the actor arrive in the command's metadata, never from `Date.now()` or a random source.
 */

/** A domain event as the decider sees it: a discriminated union member with a `type` and `data`. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who asked, when, and why: carried by every command into the events it produces. */
export interface CommandMetadata {
  /** Instant the command was accepted (ISO 8601). */
  readonly now: string;
  /** Keycloak subject and username of the actor. */
  readonly actor: { readonly subject: string; readonly username: string };
  readonly correlationId: string;
  /** Id of the message that caused this command (a request id, or a consumed event's id). */
  readonly causationId?: string;
  /** Fresh ids the decider may use for new entities (e.g. an activity id), in order. */
  readonly ids?: readonly string[];
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

export interface Decider<C extends Command, E extends DomainEvent, S> {
  /** Returns the events the command produces; throws a DomainError to refuse; [] for a no-op. */
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
  /**
   * Bumped whenever `evolve` or the state's shape changes, so that stale snapshots are ignored
   * and rebuilt instead of silently corrupting state.
   */
  readonly stateSchemaVersion?: number;
}

/** Folds a history into a state. */
export function fold<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: readonly E[], from?: S): S {
  return events.reduce((s, e) => decider.evolve(s, e), from ?? decider.initialState());
}

/** Compile-time exhaustiveness check for `decide`'s switch: `default: return assertNever(cmd)`. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
