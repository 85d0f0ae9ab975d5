import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import type { Connection } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { type Command, type CommandMetadata, ConcurrencyError, isDomainError } from '@hrp/domain-kit';
import { EVENT_STORE_CONNECTION, EventStore } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import {
  deadLetterTopic,
  eventsTopic,
  type EventHandler,
  KafkaJsBus,
  MongoProjection,
  NonRetryableError,
  Relay,
  Subscription,
  waitForPosition,
} from '@hrp/messaging';
import { CommandService, commandMetadata, EventsAppended } from './commands';
import type { ContextConfig } from './config';
import type { AnyReaction, ContextDefinition } from './definition';

/** Injection token of the context's definition and configuration. */
export const CONTEXT = Symbol('CONTEXT');
export interface ContextSettings {
  readonly definition: ContextDefinition;
  readonly config: ContextConfig;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The moving parts of a context around its event store: the relay (store → Kafka, woken by each
 * append), the read models (Kafka → MongoDB) and the reactions (other contexts' events →
 * commands). Safe with several instances: the relay holds a lease, consumers are group members,
 * every write is idempotent.
 */
@Injectable()
export class ContextRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ContextRuntime');
  readonly bus: KafkaJsBus;
  readonly topic: string;
  readonly dlq: string;
  private readonly views = new Map<string, MongoProjection>();
  private relay?: Relay;
  private readonly reactions: Subscription[] = [];

  constructor(
    @Inject(CONTEXT) private readonly context: ContextSettings,
    private readonly store: EventStore,
    @Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection,
    private readonly commands: CommandService,
  ) {
    const { definition, config } = context;
    this.bus = new KafkaJsBus({ brokers: config.KAFKA_BROKERS, clientId: `hrp-${definition.name}` });
    this.topic = eventsTopic(definition.name, config.KAFKA_TOPIC_PREFIX);
    this.dlq = deadLetterTopic(config.KAFKA_TOPIC_PREFIX);
    for (const p of definition.projections ?? [])
      this.views.set(p.name, new MongoProjection({ name: p.name, db: connection.db!, handlers: p.handlers }));
  }

  /** A read model of this context, by name. */
  view(name: string): MongoProjection {
    const v = this.views.get(name);
    if (!v) throw new Error(`no projection named ${name} in context ${this.context.definition.name}`);
    return v;
  }

  /** Polls the relay now: new events were appended. */
  wake(): void {
    this.relay?.wake();
  }

  /**
   * Read-your-writes: waits (bounded) until `view` applied the event at `token` (for `streamId`, or
   * overall). Not reached in time: POSITION_NOT_REACHED, retryable, never a silent stale answer.
   */
  async waitFor(view: string, token: string | null | undefined, streamId?: string): Promise<void> {
    if (token == null) return;
    if (!/^\d{1,16}$/.test(token)) throw graphQLError('BAD_USER_INPUT', 'invalid minPosition token', { field: 'minPosition' });
    const reached = await waitForPosition(this.view(view), token, {
      timeoutMs: this.context.config.READ_WAIT_MS,
      ...(streamId ? { streamId } : {}),
    });
    if (!reached)
      throw graphQLError('POSITION_NOT_REACHED', `the read model has not reached position ${token} yet: retry shortly`, {
        position: token,
        retryable: true,
      });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { definition, config } = this.context;
    const prefix = config.KAFKA_TOPIC_PREFIX;
    const sources = [...new Set((definition.reactions ?? []).flatMap((r) => r.from))].map((c) => ({ topic: eventsTopic(c, prefix) }));
    await this.bus.ensureTopics([{ topic: this.topic }, ...sources, { topic: this.dlq, partitions: 1 }]);
    this.relay = new Relay({
      context: definition.name,
      source: this.store,
      publisher: this.bus.publisher(),
      db: this.connection.db!,
      topicPrefix: prefix,
      onError: (e) => this.log.warn(`relay: ${message(e)}`),
    });
    this.relay.start();
    for (const [name, view] of this.views) {
      await view.start({
        bus: this.bus,
        topics: [this.topic],
        dlqTopic: this.dlq,
        groupPrefix: `${prefix}hrp.${definition.name}.`,
        onDeadLetter: (l) => this.log.error(`${name} dead letter: ${l.reason}`),
      });
    }
    for (const reaction of definition.reactions ?? []) {
      const subscription = new Subscription({
        bus: this.bus,
        groupId: `${prefix}hrp.${definition.name}.${reaction.name}`,
        topics: reaction.from.map((c) => eventsTopic(c, prefix)),
        dlqTopic: this.dlq,
        handlers: Object.fromEntries(Object.keys(reaction.on).map((type) => [type, this.react(reaction, type)])),
        onDeadLetter: (l) => this.log.error(`${reaction.name} dead letter: ${l.reason}`),
        onError: (e) => this.log.warn(`${reaction.name}: ${message(e)}`),
      });
      await subscription.start();
      this.reactions.push(subscription);
    }
  }

  /**
   * One event type of a reaction: the pure mapping gives the command, the command bus runs it. A
   * mapping that throws, or a command the domain refuses, fails the same way every time: dead
   * letter. Anything else (store down, a lost race) is retried, then redelivered.
   */
  private react(reaction: AnyReaction, type: string): EventHandler {
    const toCommand: (event: StoredEvent, metadata: CommandMetadata) => Command | null = reaction.on[type];
    return async (event: StoredEvent) => {
      let command: Command | null;
      try {
        command = toCommand(event, {
          ...commandMetadata(reaction.actor),
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.eventId,
        });
      } catch (e) {
        throw new NonRetryableError(`malformed ${type}: ${message(e)}`);
      }
      if (!command) return;
      try {
        await this.commands.run(reaction.aggregate, command);
      } catch (e) {
        if (isDomainError(e) && !(e instanceof ConcurrencyError)) throw new NonRetryableError(`${type} refused: ${e.message}`);
        throw e;
      }
    };
  }

  async onModuleDestroy(): Promise<void> {
    for (const r of this.reactions) await r.stop().catch(() => undefined);
    for (const v of this.views.values()) await v.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
  }
}

/** Each append wakes the relay at once (no poll interval between a commit and its publication). */
@EventsHandler(EventsAppended)
export class WakeRelayOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly runtime: ContextRuntime) {}

  handle(): void {
    this.runtime.wake();
  }
}
