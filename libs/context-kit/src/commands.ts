import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type Type } from '@nestjs/common';
import { Command as CqrsCommand, CommandBus, CommandHandler, EventBus, type ICommandHandler, type IEvent } from '@nestjs/cqrs';
import type { Principal } from '@hrp/auth';
import type { StoredEvent } from '@hrp/contracts';
import { type Command, type CommandMetadata, type Decider, type DomainEvent, NotFoundError } from '@hrp/domain-kit';
import { EventSourcedHandler, EventStore, type HandleOptions, type HandleResult } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { currentContext, metrics } from '@hrp/service-kit';
import type { ContextConfig } from './config';
import type { AggregateDefinition, AnyAggregate, ContextDefinition } from './definition';

/** What a resolver hands over: the command without its metadata (the kit stamps it). */
export type CommandInput<C extends Command> = C extends Command ? { readonly type: C['type']; readonly data: C['data'] } : never;

/** Published on the EventBus in process right after an append (wakes the relay; read models may listen). */
export class EventsAppended implements IEvent {
  constructor(
    readonly context: string,
    readonly events: readonly StoredEvent[],
  ) {}
}

/**
 * The message a command travels in on the CommandBus. Each aggregate has its own subclass
 * (`CampaignCommand`, …), so the bus takes it straight to that aggregate's handler.
 */
export abstract class AggregateCommand<C extends Command = Command, E extends DomainEvent = DomainEvent, S = unknown> extends CqrsCommand<
  HandleResult<E, S>
> {
  constructor(
    readonly streamId: string,
    readonly command: C,
    readonly options: HandleOptions<S>,
  ) {
    super();
  }
}

type AggregateCommandClass = new (streamId: string, command: Command, options: HandleOptions) => AggregateCommand;

/** The command class and handler of one aggregate, made for the context module. */
export interface AggregateWiring {
  readonly aggregate: AnyAggregate;
  readonly Message: AggregateCommandClass;
  readonly Handler: Type<ICommandHandler>;
}

/**
 * Makes an aggregate's command class and its @CommandHandler: load → fold → decide → validate
 * against the registry → append (libs/event-store's EventSourcedHandler, serialised per stream),
 * then the appended events go on the EventBus.
 */
export function wireAggregate(aggregate: AnyAggregate, context: ContextDefinition, config: ContextConfig): AggregateWiring {
  const Message = { [`${aggregate.name}Command`]: class extends AggregateCommand {} }[`${aggregate.name}Command`];

  @CommandHandler(Message)
  class Handler implements ICommandHandler<AggregateCommand> {
    private readonly handler: EventSourcedHandler<Command, DomainEvent, unknown>;

    constructor(
      @Inject(EventStore) store: EventStore,
      @Inject(EventBus) private readonly events: EventBus,
    ) {
      this.handler = new EventSourcedHandler<Command, DomainEvent, unknown>(
        store,
        aggregate.decider as Decider<Command, DomainEvent, unknown>,
        {
          schemas: context.registry,
          conflictRetryMs: config.COMMAND_CONFLICT_RETRY_MS,
          ...(aggregate.snapshotEvery ? { snapshotEvery: aggregate.snapshotEvery } : {}),
        },
      );
    }

    async execute(m: AggregateCommand): Promise<HandleResult<DomainEvent, unknown>> {
      const done = metrics.commands.startTimer({ command: m.command.type });
      try {
        const r = await this.handler.handle(m.streamId, m.command, m.options);
        done({ outcome: r.appended ? 'ok' : r.replayed ? 'replayed' : 'noop' });
        if (r.appended) this.events.publish(new EventsAppended(context.name, r.events));
        return r;
      } catch (e) {
        const code = (e as { code?: unknown; extensions?: { code?: unknown } }).extensions?.code ?? (e as { code?: unknown }).code;
        done({ outcome: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
        throw e;
      }
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${aggregate.name}CommandHandler` });
  Injectable()(Handler);
  return { aggregate, Message, Handler };
}

/** Injection token: aggregate definition → its command class. */
export const AGGREGATE_COMMANDS = Symbol('AGGREGATE_COMMANDS');

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Canonical JSON (sorted keys, bigints as strings) for request fingerprints. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}

/** Fingerprint of a request: what it runs and with which arguments. */
export function requestFingerprint(operation: string, args: unknown): string {
  return createHash('sha256').update(operation).update('\0').update(canonicalJson(args)).digest('hex');
}

/**
 * The application service every context shares: stamps a command with its metadata (who, when,
 * correlation, fresh ids), checks the stream exists and runs the context's policy on the state
 * the handler loads, honours the request's Idempotency-Key, and sends the command on the
 * CommandBus. Resolvers call `execute`; reactions call `run`.
 */
@Injectable()
export class CommandService {
  constructor(
    private readonly bus: CommandBus,
    @Inject(AGGREGATE_COMMANDS) private readonly classes: ReadonlyMap<AnyAggregate, AggregateCommandClass>,
  ) {}

  /**
   * Runs a user's command. `expectedVersion` (commands on an existing stream): the version the
   * client saw; absent, the command applies to the latest state. `ids`: fresh ids the decider
   * may use (e.g. a new activity's).
   */
  async execute<C extends Command, E extends DomainEvent, S, U extends C>(
    aggregate: AggregateDefinition<C, E, S, U>,
    principal: Principal,
    input: CommandInput<U>,
    opts: { expectedVersion?: number | null; ids?: readonly string[] } = {},
  ): Promise<HandleResult<E, S> & { readonly state: S }> {
    const v = opts.expectedVersion;
    if (v != null && (!Number.isInteger(v) || v < 0))
      throw graphQLError('BAD_USER_INPUT', 'expectedVersion must be a non-negative integer', { field: 'expectedVersion' });
    const command = { ...input, metadata: commandMetadata(principal, opts.ids) } as unknown as U;
    const streamId = aggregate.streamOf(command);
    const creating = (aggregate.creates as readonly string[]).includes(command.type);
    const beforeDecide = (state: S) => {
      if (!creating && !aggregate.exists(state)) throw new NotFoundError(aggregate.name, streamId);
      const verdict = aggregate.authorize(principal, command, creating ? undefined : state);
      if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    };
    const idempotency = idempotencyOf(principal, command);
    const r = await this.send(aggregate, streamId, command, {
      beforeDecide,
      ...(creating ? { expectedVersion: 'no-stream' as const } : v != null ? { expectedVersion: v } : {}),
      ...(idempotency ? { idempotency } : {}),
    });
    if (!aggregate.exists(r.state)) throw new Error(`${aggregate.name} ${r.streamId} has no state after a successful command`);
    return r;
  }

  /** Runs a system command (a reaction's): no user policy, the latest state. */
  run<C extends Command, E extends DomainEvent, S>(aggregate: AggregateDefinition<C, E, S>, command: C): Promise<HandleResult<E, S>> {
    return this.send(aggregate, aggregate.streamOf(command), command, {});
  }

  private send<C extends Command, E extends DomainEvent, S>(
    aggregate: AggregateDefinition<C, E, S>,
    streamId: string,
    command: C,
    options: HandleOptions<S>,
  ): Promise<HandleResult<E, S>> {
    const Message = this.classes.get(aggregate);
    if (!Message) throw new Error(`aggregate ${aggregate.name} is not part of this context (ContextModule.forRoot)`);
    return this.bus.execute(new Message(streamId, command, options as HandleOptions)) as Promise<HandleResult<E, S>>;
  }
}

/** Who, when, under which correlation, and fresh ids: what a command carries into its events. */
export function commandMetadata(actor: { subject: string; username: string }, ids: readonly string[] = []): CommandMetadata {
  const ctx = currentContext();
  return {
    now: new Date().toISOString(),
    actor: { subject: actor.subject, username: actor.username },
    correlationId: ctx?.correlationId ?? randomUUID(),
    ...(ctx?.correlationId ? { causationId: ctx.correlationId } : {}),
    ids,
  };
}

/** The request's idempotency key, scoped to the caller, with the request's fingerprint. */
function idempotencyOf(principal: Principal, command: Command): { key: string; requestHash: string } | undefined {
  const ctx = currentContext();
  const key = ctx?.idempotencyKey;
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key))
    throw graphQLError('BAD_USER_INPUT', 'Idempotency-Key must be 1 to 255 visible ASCII characters', { field: 'Idempotency-Key' });
  return {
    key: `${principal.subject}:${key}`,
    requestHash: ctx?.requestHash ?? requestFingerprint(command.type, command.data),
  };
}
