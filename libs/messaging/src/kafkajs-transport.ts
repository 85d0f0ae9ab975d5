import { Kafka, logLevel as KafkaLogLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type {
  BatchContext,
  EventPublisher,
  IncomingBatch,
  MessageBus,
  OutgoingMessage,
  PartitionOffsets,
  Subscriber,
  SubscriberOptions,
  TopicSpec,
} from './transport';

export interface KafkaJsBusOptions {
  brokers: readonly string[];
  clientId?: string;
  /** kafkajs log level: 'nothing' (default), 'error', 'warn', 'info', 'debug'. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
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
    this.kafka = new Kafka({
      clientId: opts.clientId ?? 'hrp',
      brokers: [...opts.brokers],
      logLevel: LEVELS[opts.logLevel ?? 'nothing'],
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
    const s = new KafkaJsSubscriber(this.kafka, opts, this.opts.sessionTimeoutMs ?? 6000);
    this.track({ close: () => s.stop() });
    return s;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
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

class KafkaJsSubscriber implements Subscriber {
  private consumer?: Consumer;
  private running = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: SubscriberOptions,
    private readonly sessionTimeoutMs: number,
  ) {}

  async run(handler: (batch: IncomingBatch, ctx: BatchContext) => Promise<void>): Promise<void> {
    if (this.consumer) throw new Error('subscriber already running');
    const consumer = this.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: this.sessionTimeoutMs,
      rebalanceTimeout: Math.max(this.sessionTimeoutMs, 10000),
      heartbeatInterval: Math.min(1000, Math.floor(this.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: this.opts.maxWaitTimeMs ?? 100,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    this.consumer = consumer;
    this.running = true;
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
        const incoming: IncomingBatch = {
          topic: batch.topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          messages: batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value,
            headers: headersToStrings(m.headers),
          })),
        };
        await handler(incoming, { heartbeat, isRunning: () => this.running && isRunning() && !isStale() });
        // Only after the handler resolved: commit the offset after the batch's last message.
        const last = batch.lastOffset();
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    const c = this.consumer;
    this.consumer = undefined;
    if (c) await c.disconnect().catch(() => undefined);
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
