import type { EventRegistry, StoredEvent } from '@hrp/contracts';
import type { Command, CommandMetadata, Decider, DomainEvent } from '@hrp/domain-kit';
import type { HandleResult } from '@hrp/event-store';
import type { ProjectionHandler } from '@hrp/messaging';
import type { mongo } from 'mongoose';
import type { CommandInput } from './commands';
import type { Clock } from './jobs';

/** A policy's verdict: allowed, or refused with a reason (FORBIDDEN). */
export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The caller as a policy sees it (a subset of @hrp/auth's Principal). */
export interface PolicyPrincipal {
  readonly roles: readonly string[];
  readonly region?: string;
}

/**
 * One aggregate of a context: its decider, where its commands go, and who may run them.
 * `U` is the part of `C` that users may send (the rest are system commands run by reactions).
 */
export interface AggregateDefinition<C extends Command = Command, E extends DomainEvent = DomainEvent, S = unknown, U extends C = C> {
  /** The entity's name in NOT_FOUND errors and in the command's class name, e.g. `Campaign`. */
  readonly name: string;
  readonly decider: Decider<C, E, S>;
  /** The stream a command goes to (a field of its data). */
  streamOf(command: C): string;
  /** Command types that start a stream: they expect no stream; the others expect one to exist. */
  readonly creates: readonly U['type'][];
  /** Whether a stream's state is an existing entity (a non-creating command on nothing is NOT_FOUND). */
  exists(state: S): boolean;
  /** The policy, run on the state the handler loads (undefined before a creation). */
  authorize(principal: PolicyPrincipal, command: U, state: S | undefined): Authorization;
  /** Take a snapshot every this many events (needs `decider.stateSchemaVersion`). */
  readonly snapshotEvery?: number;
  /** What every stream id of the aggregate starts with, e.g. `campaign-`: the audit finds a stream's aggregate by it. */
  readonly streamPrefix: string;
}

/** An aggregate of any command, event and state types (what a context holds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAggregate = AggregateDefinition<any, any, any, any>;

/** A read model fed by the context's own topic, or by other contexts' topics (`from`). */
export interface ProjectionDefinition {
  /** Collections are `<name>__v<generation>`. */
  readonly name: string;
  /**
   * Contexts whose topics feed it instead of the context's own, e.g. `['partnerships']` for the
   * partner ids a campaign may name. Its positions are theirs, not this context's store's: a
   * read of it cannot wait for a `minPosition` of this context (ContextRuntime.waitFor refuses).
   */
  readonly from?: readonly string[];
  readonly handlers: Readonly<Record<string, ProjectionHandler>>;
  /**
   * Revision of the handlers (default 1). Raise it when they change what they store (a new field,
   * a new shape): at start, a service whose read model was built by an older revision rebuilds it
   * from the topic before its consumer starts (seconds for 100,000 events; see bench/README.md).
   */
  readonly revision?: number;
  /**
   * When the read model is listed (`ReadModels.page`): its handlers store the position of the
   * stream's first event as `sortKey` and `listBucket(that position)` as `listBucket` (paging.ts).
   */
  readonly list?: {
    readonly sortKey: string;
    /** Fields filtered by equality often enough to deserve an index on MongoDB (e.g. `status`). */
    readonly indexed?: readonly string[];
  };
}

/**
 * A process manager: events of other contexts become commands of this one (e.g. finance's
 * funding decision becomes a campaign's RecordFundingDecision). `on` is pure; the kit consumes
 * the topics, runs the command through the command bus, and commits the offset only after it.
 */
export interface ReactionDefinition<C extends Command = Command> {
  /** The consumer group's last part, e.g. `funding-decisions`. */
  readonly name: string;
  /** Contexts whose topics it reads, e.g. `['finance']`. */
  readonly from: readonly string[];
  /** The actor recorded on the commands it runs. */
  readonly actor: { readonly subject: string; readonly username: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly aggregate: AggregateDefinition<C, any, any, any>;
  /**
   * Commands that go to another aggregate of the context, by command type (a process whose
   * events become commands of several aggregates, e.g. finance's budget and commitment). One
   * reaction keeps the order of its topics' partitions across all of them.
   */
  readonly routes?: Readonly<Record<string, AnyAggregate>>;
  /**
   * Per event type: the command to run, or null to ignore the event. Throwing means the event
   * can never become a command (malformed): it goes to the dead-letter topic. The metadata given
   * is the reaction's actor's; a process may record the event's actor instead (who asked).
   */
  readonly on: Readonly<Record<string, (event: StoredEvent, metadata: CommandMetadata) => C | null>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyReaction = ReactionDefinition<any>;

/** What a scheduled job is given when it runs. */
export interface JobContext {
  /** The context's clock (tests drive it: `CLOCK_FILE`). */
  readonly clock: Clock;
  /** Runs a system command as the job's actor (no user policy, the latest state, conflicts retried). */
  readonly run: <C extends Command>(aggregate: AnyAggregate, command: CommandInput<C>) => Promise<HandleResult<DomainEvent, unknown>>;
  /** A list read model's collection (the active generation, indexed). */
  readonly collection: (view: string) => Promise<mongo.Collection>;
}

/**
 * A scheduled job of the context (e.g. the daily check of agreements' expiry): run at start and
 * then every `everyMs` by each instance, logged, restarted when it fails or hangs, and shown in
 * /health. It must be idempotent across instances: it decides through commands on event streams,
 * so a second instance running it on the same day writes nothing.
 */
export interface JobDefinition {
  readonly name: string;
  /** The actor recorded on the commands it runs. */
  readonly actor: { readonly subject: string; readonly username: string };
  /** Milliseconds between runs (`JOBS_EVERY_MS` overrides it, for tests). */
  readonly everyMs: number;
  /** A run longer than this is abandoned and the job restarted (default 5 minutes). */
  readonly timeoutMs?: number;
  /** One run: what it returns (counts, the day) is shown in /health. Throwing marks the job failing. */
  run(job: JobContext): Promise<Record<string, unknown> | void>;
}

/** Everything that is a context's own; the kit provides the rest. */
export interface ContextDefinition {
  /** Lowercase, e.g. `campaigns`: topics `hrp.<name>.events`, database `hrp_<name>`. */
  readonly name: string;
  /** Every event type of the context, every version, with upcasters. */
  readonly registry: EventRegistry;
  readonly aggregates: readonly AnyAggregate[];
  /** The subgraph's SDL files (the shared SDL of graphql-kit comes first). */
  readonly sdl: readonly string[];
  readonly projections?: readonly ProjectionDefinition[];
  readonly reactions?: readonly AnyReaction[];
  readonly jobs?: readonly JobDefinition[];
}

/** Typed identity: lets TypeScript infer an aggregate's command, event and state types. */
export function defineAggregate<C extends Command, E extends DomainEvent, S, U extends C = C>(
  definition: AggregateDefinition<C, E, S, U>,
): AggregateDefinition<C, E, S, U> {
  return definition;
}

export function defineReaction<C extends Command>(definition: ReactionDefinition<C>): ReactionDefinition<C> {
  return definition;
}

export function defineJob(definition: JobDefinition): JobDefinition {
  return definition;
}

export function defineContext(definition: ContextDefinition): ContextDefinition {
  return definition;
}
