import { Kafka, logLevel as KafkaLogLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type {
  BatchContext,
  BusLog,
  EventPublisher,
  IncomingBatch,
  MessageBus,
  OutgoingMessage,
  PartitionOffsets,
  Subscriber,
  SubscriberOptions,
  SubscriberStatus,
  TopicSpec,
} from './transport';

export interface KafkaJsBusOptions {
  brokers: readonly string[];
  clientId?: string;
  /** kafkajs log level: 'nothing' (default without `log`), 'error', 'warn' (default with `log`), 'info', 'debug'. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Receives the client's own logs (at `logLevel`) and the subscribers' crashes and restarts. */
  log?: BusLog;
  /** Longest a batch handler may run before it counts as hung and the batch is retried (default 60 s). */
  handlerTimeoutMs?: number;
  /** Per-request timeout (default 10 s): bounds how long a paused broker can block a call. */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Consumer session timeout (default 6 s, the broker's minimum: quick rebalances in tests). */
  sessionTimeoutMs?: number;
}

const LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
} as const;

/** The kafkajs 2.2.4 implementation of {@link MessageBus}. */
export class KafkaJsBus implements MessageBus {
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private readonly closables = new Set<{ close(): Promise<void> }>();

  constructor(private readonly opts: KafkaJsBusOptions) {
    const log = opts.log;
    this.kafka = new Kafka({
      clientId: opts.clientId ?? 'hrp',
      brokers: [...opts.brokers],
      logLevel: LEVELS[opts.logLevel ?? (log ? 'warn' : 'nothing')],
      ...(log
        ? {
            logCreator:
              () =>
              ({ level, log: entry }: { level: KafkaLogLevel; log: { message: string; [k: string]: unknown } }) => {
                const { message, timestamp: _t, logger: _l, ...extra } = entry;
                log(level <= KafkaLogLevel.ERROR ? 'error' : level === KafkaLogLevel.WARN ? 'warn' : 'info', `kafka: ${message}`, extra);
              },
          }
        : {}),
      requestTimeout: opts.requestTimeoutMs ?? 10000,
      connectionTimeout: opts.connectionTimeoutMs ?? 3000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    });
  }

  publisher(): EventPublisher {
    const p = new KafkaJsPublisher(this.kafka);
    this.track(p);
    return p;
  }

  subscriber(opts: SubscriberOptions): Subscriber {
    const s = new KafkaJsSubscriber(this.kafka, opts, {
      sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 6000,
      handlerTimeoutMs: this.opts.handlerTimeoutMs ?? 60_000,
      log: this.opts.log ?? (() => undefined),
    });
    this.track({ close: () => s.stop() });
    return s;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    // Each topic once (Kafka refuses a request naming one twice).
    const missing = [...new Map(specs.filter((s) => !existing.has(s.topic)).map((s) => [s.topic, s])).values()];
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions ?? 3,
        replicationFactor: -1,
        configEntries: [{ name: 'retention.ms', value: String(s.retentionMs ?? -1) }],
      })),
    });
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length) await admin.deleteTopics({ topics: present });
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = await this.getAdmin();
    const r = await admin.fetchTopicOffsets(topic);
    return r.map((o) => ({ partition: o.partition, low: o.low, high: o.high })).sort((a, b) => a.partition - b.partition);
  }

  async groupOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
    const admin = await this.getAdmin();
    const r = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (r[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
  }

  /** Deletes consumer groups (test clean-up); unknown groups are ignored. */
  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    if (groupIds.length === 0) return;
    const admin = await this.getAdmin();
    await admin.deleteGroups([...groupIds]).catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const c of [...this.closables]) await c.close().catch(() => undefined);
    this.closables.clear();
    if (this.admin) {
      const a = this.admin;
      this.admin = undefined;
      await (await a.catch(() => undefined))?.disconnect().catch(() => undefined);
    }
  }

  private track(c: { close(): Promise<void> }): void {
    this.closables.add(c);
  }

  private getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }
}

/**
 * Idempotent producer (acks = all, one request in flight, so a retried request can never
 * overtake a later one: per-key order holds). After a failure the producer is replaced, which
 * resets its producer id and sequence numbers; the caller republishes (at-least-once).
 */
class KafkaJsPublisher implements EventPublisher {
  private producer?: Promise<Producer>;

  constructor(private readonly kafka: Kafka) {}

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const payload = messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ? { ...m.headers } : undefined }));
    try {
      await (await this.connect()).send({ topic, acks: -1, messages: payload });
    } catch {
      // A kafkajs producer can stay broken (e.g. it keeps refreshing metadata of a deleted
      // topic): retry once with a fresh one. A partial first attempt means duplicates, which
      // at-least-once allows.
      await this.reset();
      try {
        await (await this.connect()).send({ topic, acks: -1, messages: payload });
      } catch (e) {
        await this.reset();
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private connect(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Bounded: the caller owns the outer retry loop (and must renew leases meanwhile).
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      const connecting = producer.connect().then(() => producer);
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
      this.producer = connecting;
    }
    return this.producer;
  }

  private async reset(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await (await p.catch(() => undefined))?.disconnect().catch(() => undefined);
  }
}

/** Messages handed to a handler at once (a fetch can bring thousands): each slice is bounded in time and committed. */
const HANDLER_SLICE = 250;

/** A batch handler that ran past its time bound (it is treated as failed; the batch comes again). */
export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

interface SupervisorSettings {
  sessionTimeoutMs: number;
  handlerTimeoutMs: number;
  log: BusLog;
}

/**
 * kafkajs consumer under supervision. kafkajs retries a failed batch, then crashes the member and
 * restarts it only for errors it deems retriable; here every crash is logged at error and a member
 * kafkajs would leave dead is restarted with exponential backoff. A batch keeps heartbeating while
 * its handler runs, and a handler past `handlerTimeoutMs` fails the batch (retried, not skipped).
 */
class KafkaJsSubscriber implements Subscriber {
  private consumer?: Consumer;
  private handler?: (batch: IncomingBatch, ctx: BatchContext) => Promise<void>;
  private running = false;
  private state: SubscriberStatus['state'] = 'idle';
  private restarts = 0;
  private failures = 0;
  private lastError?: string;
  private lastProgressAt = Date.now();
  private restartTimer?: NodeJS.Timeout;
  /** Messages per handler call: halved after a timeout, doubled back after each success. */
  private slice: number;
  private readonly maxSlice: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: SubscriberOptions,
    private readonly settings: SupervisorSettings,
  ) {
    this.maxSlice = Math.max(1, opts.sliceSize ?? HANDLER_SLICE);
    this.slice = this.maxSlice;
  }

  async run(handler: (batch: IncomingBatch, ctx: BatchContext) => Promise<void>): Promise<void> {
    if (this.handler) throw new Error('subscriber already running');
    this.handler = handler;
    this.running = true;
    await this.startConsumer();
  }

  status(): SubscriberStatus {
    return {
      groupId: this.opts.groupId,
      state: this.state,
      restarts: this.restarts,
      lastProgressAt: this.lastProgressAt,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  async restart(reason: string): Promise<void> {
    if (!this.running) return;
    this.settings.log('error', `consumer ${this.opts.groupId} restarting: ${reason}`, { groupId: this.opts.groupId });
    this.lastError = reason;
    this.restarts++;
    await this.replace().catch((e: unknown) => this.restartFailed(e));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    const c = this.consumer;
    this.consumer = undefined;
    if (c) await c.disconnect().catch(() => undefined);
  }

  private async startConsumer(): Promise<void> {
    const { sessionTimeoutMs } = this.settings;
    const consumer = this.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: sessionTimeoutMs,
      rebalanceTimeout: Math.max(sessionTimeoutMs, 10000),
      heartbeatInterval: Math.min(1000, Math.floor(sessionTimeoutMs / 3)),
      maxWaitTimeInMs: this.opts.maxWaitTimeMs ?? 100,
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.consumer !== consumer) return;
      this.state = 'running';
      this.lastProgressAt = Date.now();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer || !this.running) return;
      this.lastError = `${payload.error.name}: ${payload.error.message}`;
      this.restarts++;
      this.state = 'restarting';
      this.settings.log('error', `consumer ${this.opts.groupId} crashed: ${this.lastError}`, {
        groupId: this.opts.groupId,
        kafkajsRestarts: payload.restart,
      });
      // kafkajs restarts the member itself after a retriable crash; otherwise it would stay dead.
      if (!payload.restart) this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 1,
      // kafkajs hands these as closures over the batch, not methods: destructuring is safe.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (batch.messages.length === 0 || !isRunning() || isStale()) return;
        const ctx = { heartbeat, isRunning: () => this.running && isRunning() && !isStale() };
        // A large fetch (a backlog) is handled in slices, each bounded in time and committed as it
        // completes: progress is kept, and a slow store never turns one huge batch into a retry loop.
        for (let i = 0; i < batch.messages.length;) {
          if (!ctx.isRunning()) return;
          const slice = batch.messages.slice(i, i + this.slice);
          i += slice.length;
          const incoming: IncomingBatch = {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            messages: slice.map((m) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key ? m.key.toString('utf8') : null,
              value: m.value,
              headers: headersToStrings(m.headers),
            })),
          };
          await this.handleBatch(incoming, ctx);
          // Only after the handler resolved: commit the offset after the slice's last message.
          const last = slice[slice.length - 1].offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          this.lastProgressAt = Date.now();
          this.failures = 0;
          this.slice = Math.min(this.maxSlice, this.slice * 2);
        }
      },
    });
  }

  /** Runs the handler, heartbeating meanwhile, bounded in time; a failure is logged and rethrown (the batch comes again). */
  private async handleBatch(batch: IncomingBatch, ctx: BatchContext): Promise<void> {
    const beat = setInterval(
      () => void ctx.heartbeat().catch(() => undefined),
      Math.max(200, Math.floor(this.settings.sessionTimeoutMs / 4)),
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.handler!(batch, ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new HandlerTimeoutError(`batch handler ran past ${this.settings.handlerTimeoutMs} ms`)),
            this.settings.handlerTimeoutMs,
          );
        }),
      ]);
    } catch (e) {
      this.failures++;
      // Too slow for its bound (a loaded store): smaller slices, so that progress is still made.
      if (e instanceof HandlerTimeoutError) this.slice = Math.max(10, Math.floor(this.slice / 2));
      this.lastError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.settings.log('error', `consumer ${this.opts.groupId} failed a batch of ${batch.topic}[${batch.partition}]: ${this.lastError}`, {
        groupId: this.opts.groupId,
        failures: this.failures,
      });
      throw e;
    } finally {
      clearTimeout(timer);
      clearInterval(beat);
    }
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    const delay = Math.min(30_000, 500 * 2 ** Math.min(6, this.restarts - 1));
    this.restartTimer = setTimeout(() => {
      if (!this.running) return;
      this.replace().catch((e: unknown) => this.restartFailed(e));
    }, delay);
  }

  /** A restart that failed (e.g. the broker still down) is tried again later, with more backoff. */
  private restartFailed(e: unknown): void {
    this.lastError = e instanceof Error ? e.message : String(e);
    this.settings.log('error', `consumer ${this.opts.groupId} could not restart: ${this.lastError}`, { groupId: this.opts.groupId });
    this.restarts++;
    this.scheduleRestart();
  }

  /** Disconnects the member (bounded: a hung one is abandoned) and starts a fresh one. */
  private async replace(): Promise<void> {
    const old = this.consumer;
    this.consumer = undefined;
    this.state = 'restarting';
    // A fresh member gets its own time to join and make progress before it counts as stalled.
    this.lastProgressAt = Date.now();
    if (old) await Promise.race([old.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    if (!this.running) return;
    await this.startConsumer();
  }
}

function headersToStrings(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined || v === null) continue;
    const one: unknown = Array.isArray(v) ? (v as unknown[])[v.length - 1] : v;
    out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : typeof one === 'string' ? one : JSON.stringify(one);
  }
  return out;
}
