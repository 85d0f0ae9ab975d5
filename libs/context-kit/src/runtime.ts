import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import type { Connection, mongo } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { revokedSubjects } from '@hrp/auth';
import type { StoredEvent } from '@hrp/contracts';
import { type Command, type CommandMetadata, ConcurrencyError, isDomainError } from '@hrp/domain-kit';
import { AuditTrail, EVENT_STORE_CONNECTION, EventStore } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { metrics } from '@hrp/service-kit';
import {
  consumerLag,
  deadLetterTopic,
  eventsTopic,
  type EventHandler,
  KafkaJsBus,
  MongoProjection,
  NonRetryableError,
  Relay,
  Subscription,
  type SubscriberStatus,
  waitForPosition,
} from '@hrp/messaging';
import { CommandService, commandMetadata, EventsAppended } from './commands';
import type { ContextConfig } from './config';
import type { AnyReaction, ContextDefinition, ProjectionDefinition } from './definition';
import { ensureFerretDbGinIndexes } from './equality-indexes';
import { ensureListIndexes, prepareList } from './paging';
import { RuntimeHealth, type RuntimeReport } from './health';
import { Clock, ScheduledJob } from './jobs';

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
 * commands) and the scheduled jobs. Safe with several instances: the relay holds a lease,
 * consumers are group members, every write is idempotent, jobs decide through commands.
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
  /** The deactivated users, from the gateway's admin events (every instance reads them all). */
  private revocations?: Subscription;
  private readonly jobs: ScheduledJob[] = [];
  private watchdog?: NodeJS.Timeout;
  private lags?: { at: number; value: Promise<Map<string, number | null>> };

  constructor(
    @Inject(CONTEXT) private readonly context: ContextSettings,
    private readonly store: EventStore,
    @Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection,
    private readonly commands: CommandService,
    private readonly health: RuntimeHealth,
    private readonly clock: Clock,
  ) {
    const { definition, config } = context;
    const kafkaLog = new Logger('Kafka');
    this.bus = new KafkaJsBus({
      brokers: config.KAFKA_BROKERS,
      clientId: `hrp-${definition.name}`,
      handlerTimeoutMs: config.CONSUMER_BATCH_TIMEOUT_MS,
      log: (level, msg, extra) => (level === 'error' ? kafkaLog.error({ msg, ...extra }) : kafkaLog.warn({ msg, ...extra })),
    });
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

  /** How a listed read model is paged (its definition's `list`). */
  listOf(view: string): NonNullable<ProjectionDefinition['list']> {
    const list = (this.context.definition.projections ?? []).find((p) => p.name === view)?.list;
    if (!list) throw new Error(`projection ${view} of ${this.context.definition.name} is not declared as a list`);
    return list;
  }

  private readonly indexedLists = new Set<string>();

  /**
   * The active generation's collection of a list read model, with its indexes (a rebuild makes a
   * new collection: its indexes are made at the first page read from it).
   */
  async listCollection(view: string): Promise<mongo.Collection> {
    const list = this.listOf(view);
    const col = (await this.view(view).collection()) as unknown as mongo.Collection;
    if (!this.indexedLists.has(col.collectionName)) {
      await ensureListIndexes(this.connection.db!, col, list.sortKey, list.indexed ?? []);
      this.indexedLists.add(col.collectionName);
    }
    return col;
  }

  /** Events this instance just appended: the relay publishes them without reading them back. */
  appended(events: readonly StoredEvent[]): void {
    this.relay?.offer(events);
  }

  /**
   * Read-your-writes: waits (bounded) until `view` applied the event at `token` (for `streamId`, or
   * overall). Not reached in time: POSITION_NOT_REACHED, retryable, never a silent stale answer.
   */
  async waitFor(view: string, token: string | null | undefined, streamId?: string): Promise<void> {
    if (token == null) return;
    if (!/^\d{1,16}$/.test(token)) throw graphQLError('BAD_USER_INPUT', 'invalid minPosition token', { field: 'minPosition' });
    if ((this.context.definition.projections ?? []).find((p) => p.name === view)?.from)
      throw new Error(`${view} is fed by other contexts' topics: a position of this context's store does not apply to it`);
    const timeoutMs = this.context.config.READ_WAIT_MS;
    let reached: boolean;
    if (streamId) {
      // The stream's own writes up to the token: a token from a write to another stream (a process
      // writing two streams) does not make a read of this one wait for what it will never get.
      const projection = this.view(view);
      const target = Number(token);
      reached =
        (await projection.streamPosition(streamId)) >= target ||
        (await waitForPosition(projection, await this.store.streamPositionAt(streamId, target), { timeoutMs, streamId }));
    } else reached = await waitForPosition(this.view(view), token, { timeoutMs });
    if (!reached)
      throw graphQLError('POSITION_NOT_REACHED', `the read model has not reached position ${token} yet: retry shortly`, {
        position: token,
        retryable: true,
      });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { definition, config } = this.context;
    const prefix = config.KAFKA_TOPIC_PREFIX;
    // Topics a reaction or a projection reads, the context's own excepted (a process may read its own events).
    const sources = [
      ...new Set([...(definition.reactions ?? []).flatMap((r) => r.from), ...(definition.projections ?? []).flatMap((p) => p.from ?? [])]),
    ]
      .filter((c) => c !== definition.name)
      .map((c) => ({ topic: eventsTopic(c, prefix) }));
    // The gateway's admin events (deactivated users).
    sources.push({ topic: eventsTopic('gateway', prefix) });
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
    const consume = {
      bus: this.bus,
      topics: [this.topic],
      dlqTopic: this.dlq,
      groupPrefix: `${prefix}hrp.${definition.name}.`,
    };
    for (const p of definition.projections ?? []) {
      if ((p.revision ?? 1) <= 1) continue;
      const rebuilt = await this.view(p.name).upgrade(p.revision!, {
        ...consume,
        topics: this.topicsOf(p),
        onDeadLetter: (l) => this.log.error(`${p.name} dead letter: ${l.reason}`),
      });
      if (rebuilt)
        this.log.log(
          `${p.name}: rebuilt for revision ${p.revision} (generation ${rebuilt.previous} → ${rebuilt.generation}, ${rebuilt.messages} events, ${rebuilt.documents} documents, ${rebuilt.ms} ms)`,
        );
    }
    for (const p of definition.projections ?? []) {
      if (!p.list) continue;
      const col = (await this.view(p.name).collection()) as unknown as mongo.Collection;
      const filled = await prepareList(this.connection.db!, col, p.list.sortKey, p.list.indexed ?? []);
      this.indexedLists.add(col.collectionName);
      if (filled > 0) this.log.log(`${p.name}: listBucket set on ${filled} documents written before lists were bucketed`);
    }
    for (const p of definition.projections ?? []) {
      const name = p.name;
      await this.view(name).start({
        ...consume,
        topics: this.topicsOf(p),
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
    // Deactivated users: each instance reads every admin event (a group of its own, from the
    // beginning), so a still-valid token of a deactivated user is refused here too.
    this.revocations = new Subscription({
      bus: this.bus,
      groupId: `${prefix}hrp.${definition.name}.deactivated-users.${randomUUID().slice(0, 8)}`,
      topics: [eventsTopic('gateway', prefix)],
      dlqTopic: this.dlq,
      handlers: { UserDeactivated: (e) => revokedSubjects.add((e.data as { userId: string }).userId) },
      onDeadLetter: (l) => this.log.error(`deactivated-users dead letter: ${l.reason}`),
      onError: (e) => this.log.warn(`deactivated-users: ${message(e)}`),
    });
    await this.revocations.start();
    for (const job of definition.jobs ?? []) {
      const scheduled = new ScheduledJob({
        name: job.name,
        everyMs: config.JOBS_EVERY_MS > 0 ? config.JOBS_EVERY_MS : job.everyMs,
        timeoutMs: job.timeoutMs ?? 300_000,
        run: () =>
          job.run({
            clock: this.clock,
            run: (aggregate, command) => this.commands.run(aggregate, { ...command, metadata: commandMetadata(job.actor) }),
            collection: (view) => this.listCollection(view),
          }),
      });
      scheduled.start();
      this.jobs.push(scheduled);
    }
    // Tamper evidence: an anchor over the commits since the last one, off the append path.
    const anchoring = new ScheduledJob({
      name: 'audit-anchor',
      everyMs: config.JOBS_EVERY_MS > 0 ? config.JOBS_EVERY_MS : config.AUDIT_ANCHOR_EVERY_MS,
      timeoutMs: 300_000,
      run: async () => {
        const anchor = await new AuditTrail(this.store).anchor();
        // None written (nothing new, or another instance was first): the log is sealed where the last anchor says.
        const last = anchor ?? (await this.store.anchors.find({ kind: 'anchor' }).sort({ seq: -1 }).limit(1).next());
        return { anchoredTo: last && 'position' in last ? last.position : null, wrote: anchor !== null };
      },
    });
    anchoring.start();
    this.jobs.push(anchoring);
    this.health.attach(() => this.report());
    void this.ensureGinIndexes();
    metrics.onScrape(async () => {
      const r = await this.report();
      for (const c of r.consumers) {
        if (c.lag !== null) metrics.consumerLag.set({ consumer: c.name }, c.lag);
        metrics.consumerRestarts.set({ consumer: c.name }, c.restarts);
        metrics.consumerUp.set({ consumer: c.name }, c.state === 'running' ? 1 : 0);
      }
      if (r.relay) {
        metrics.relayPublished.set(r.relay.published);
        metrics.relayPending.set(Math.max(0, (await this.store.headPosition()) - (await this.relay!.checkpoint())));
      }
    });
    const stall = config.CONSUMER_STALL_MS;
    this.watchdog = setInterval(() => void this.restartStalled(stall), Math.max(1000, Math.floor(stall / 3)));
    this.watchdog.unref();
  }

  /** Collections whose GIN indexes exist (FerretDB), by name. */
  private readonly ginIndexed = new Set<string>();

  /**
   * On the local store (FerretDB), GIN indexes in its PostgreSQL for the service's reads by
   * equality (equality-indexes.ts): the log by stream, page, position key and idempotency key,
   * snapshots, personal-data keys, and each read model's active generation by id and list keys.
   * Checked again by the watchdog, so a generation made by a rebuild gets them too. A no-op on
   * MongoDB, whose indexes the store and the lists make themselves.
   */
  private ginRun?: Promise<void>;
  /** Set once PostgreSQL refused: said once, not tried again (reads stay right, only slower). */
  private ginFailed = false;

  private ensureGinIndexes(): Promise<void> {
    this.ginRun ??= this.makeGinIndexes().finally(() => (this.ginRun = undefined));
    return this.ginRun;
  }

  private async makeGinIndexes(): Promise<void> {
    const { definition, config } = this.context;
    if (!config.FERRETDB_POSTGRES_URL || this.ginFailed) return;
    const wanted: [string, string[]][] = [
      ['es_commits', ['_id', 'streamId', 'page', 'idempotencyKey']],
      ['es_snapshots', ['_id']],
      ['es_meta', ['_id']],
      ['pd_people', ['_id', 'fingerprint']],
      ['pd_people_erasures', ['_id']],
    ];
    try {
      for (const p of definition.projections ?? []) {
        const col = (await this.view(p.name).collection()).collectionName;
        wanted.push([col, ['_id', ...(p.list ? ['listBucket', 'listBlock', ...(p.list.indexed ?? [])] : [])]]);
      }
      for (const [collection, fields] of wanted) {
        if (this.ginIndexed.has(collection)) continue;
        const done = await ensureFerretDbGinIndexes(this.connection.db!, collection, fields, {
          postgresUrl: config.FERRETDB_POSTGRES_URL,
          warn: (m) => {
            this.ginFailed = true;
            this.log.warn(`${m} (not tried again)`);
          },
        });
        if (this.ginFailed) return;
        if (done !== 'none') this.ginIndexed.add(collection);
      }
    } catch (e) {
      this.log.warn(`GIN indexes: ${message(e)}`);
    }
  }

  /** The topics that feed a read model: its `from` contexts', or the context's own. */
  private topicsOf(p: ProjectionDefinition): string[] {
    return p.from ? p.from.map((c) => eventsTopic(c, this.context.config.KAFKA_TOPIC_PREFIX)) : [this.topic];
  }

  /** Every consumer of the context: the read models (live generation) and the reactions. */
  private consumers(): {
    name: string;
    groupId: string;
    topics: readonly string[];
    status(): SubscriberStatus;
    restart(r: string): Promise<void>;
  }[] {
    const views = [...this.views.entries()].flatMap(([name, v]) => {
      const c = v.consumer();
      return c ? [{ name, groupId: c.groupId, topics: c.topics, status: () => c.status(), restart: (r: string) => c.restart(r) }] : [];
    });
    const reactions = this.reactions.map((r, i) => ({
      name: (this.context.definition.reactions ?? [])[i].name,
      groupId: r.groupId,
      topics: r.topics,
      status: () => r.status(),
      restart: (reason: string) => r.restart(reason),
    }));
    const r = this.revocations;
    const revocations = r
      ? [
          {
            name: 'deactivated-users',
            groupId: r.groupId,
            topics: r.topics,
            status: () => r.status(),
            restart: (x: string) => r.restart(x),
          },
        ]
      : [];
    return [...views, ...reactions, ...revocations];
  }

  /** Each consumer's lag in events: the topics' ends minus its group's committed offsets (cached 1 s). */
  private consumerLags(): Promise<Map<string, number | null>> {
    // /health must answer fast even when Kafka answers slowly: a known value is served at once
    // while a fresher one is fetched in the background.
    if (this.lags && Date.now() - this.lags.at < 1000) return this.lags.value;
    if (this.lags && !this.refreshing) {
      const stale = this.lags.value;
      this.refreshing = true;
      void this.fetchLags().finally(() => (this.refreshing = false));
      return stale;
    }
    if (this.lags) return this.lags.value;
    return this.fetchLags();
  }

  private refreshing = false;

  private fetchLags(): Promise<Map<string, number | null>> {
    const value = (async () => {
      const ends = new Map<string, { partition: number; high: string }[]>();
      const out = new Map<string, number | null>();
      for (const c of this.consumers()) {
        try {
          out.set(c.name, await consumerLag(this.bus, c.groupId, c.topics, ends));
        } catch {
          out.set(c.name, null);
        }
      }
      return out;
    })();
    this.lags = { at: Date.now(), value };
    return value;
  }

  /** What /health and `infra status` show: every consumer's state and lag, and the relay. */
  async report(): Promise<RuntimeReport> {
    const lags = await this.consumerLags();
    return {
      consumers: this.consumers().map((c) => ({ name: c.name, ...c.status(), lag: lags.get(c.name) ?? null })),
      jobs: this.jobs.map((j) => j.status()),
      ...(this.relay ? { relay: this.relay.status() } : {}),
    };
  }

  /** The watchdog: a consumer behind its topic with no progress for `stallMs` is restarted (and logged). */
  private async restartStalled(stallMs: number): Promise<void> {
    for (const job of this.jobs) job.checkStalled();
    void this.ensureGinIndexes();
    try {
      const lags = await this.consumerLags();
      for (const c of this.consumers()) {
        const s = c.status();
        const lag = lags.get(c.name);
        const idle = Date.now() - s.lastProgressAt;
        if (idle <= stallMs) continue;
        // Running but not progressing, or stuck restarting: either way, a fresh member.
        if (s.state === 'running' && lag)
          await c.restart(`stalled: ${lag} events behind with no progress for ${Math.round(idle / 1000)} s`);
        else if (s.state === 'restarting') await c.restart(`still restarting after ${Math.round(idle / 1000)} s`);
      }
    } catch (e) {
      this.log.error(`consumer watchdog: ${message(e)}`);
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
        await this.commands.run(reaction.routes?.[command.type] ?? reaction.aggregate, command);
      } catch (e) {
        if (isDomainError(e) && !(e instanceof ConcurrencyError)) throw new NonRetryableError(`${type} refused: ${e.message}`);
        throw e;
      }
    };
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.watchdog);
    for (const j of this.jobs) j.stop();
    for (const r of this.reactions) await r.stop().catch(() => undefined);
    await this.revocations?.stop().catch(() => undefined);
    for (const v of this.views.values()) await v.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
  }
}

/**
 * Each append goes to the relay at once: no poll interval between a commit and its publication,
 * and no read of the store when the relay is up to date.
 */
@EventsHandler(EventsAppended)
export class RelayOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly runtime: ContextRuntime) {}

  handle(e: EventsAppended): void {
    this.runtime.appended(e.events);
  }
}
