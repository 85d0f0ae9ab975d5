import type { StoredEvent } from '@hrp/contracts';
import { fromMessageValue } from './envelope';
import type {
  BatchContext,
  EventPublisher,
  IncomingBatch,
  IncomingMessage,
  MessageBus,
  Subscriber,
  SubscriberOptions,
  SubscriberStatus,
} from './transport';

/**
 * Thrown by a handler for a message that will never succeed (bad data, broken invariant):
 * the message goes to the dead-letter topic and consumption goes on. Any other error is
 * retried (in place, then by redelivery): it may be transient.
 */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/** Where a message came from; handlers get it beside the event. */
export interface MessageMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type EventHandler = (event: StoredEvent, meta: MessageMeta) => Promise<void> | void;

/** A handler plus the schema versions it understands (others go to the dead-letter topic). */
export interface HandlerSpec {
  handle: EventHandler;
  schemaVersions?: readonly number[];
}

/** Why a message went to the dead-letter topic (header `dlq-reason-code`). */
export type DeadLetterCode = 'unparseable' | 'unknown-schema-version' | 'handler-failed';

export interface DeadLetter {
  message: IncomingMessage;
  code: DeadLetterCode;
  reason: string;
}

/** Header names of dead letters: the source coordinates and the reason; no payload data. */
export const DLQ_HEADERS = {
  reasonCode: 'dlq-reason-code',
  reason: 'dlq-reason',
  topic: 'dlq-source-topic',
  partition: 'dlq-source-partition',
  offset: 'dlq-source-offset',
  group: 'dlq-group',
  time: 'dlq-time',
} as const;

/** Publishes a message that could not be handled, unchanged, to the dead-letter topic. */
export async function sendToDeadLetter(
  publisher: EventPublisher,
  dlqTopic: string,
  groupId: string,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await publisher.publish(
    dlqTopic,
    letters.map(({ message, code, reason }) => ({
      key: message.key ?? '',
      value: message.value ?? '',
      headers: {
        ...message.headers,
        [DLQ_HEADERS.reasonCode]: code,
        [DLQ_HEADERS.reason]: reason.slice(0, 500),
        [DLQ_HEADERS.topic]: message.topic,
        [DLQ_HEADERS.partition]: String(message.partition),
        [DLQ_HEADERS.offset]: message.offset,
        [DLQ_HEADERS.group]: groupId,
        [DLQ_HEADERS.time]: new Date().toISOString(),
      },
    })),
  );
}

export type Parsed = { ok: true; message: IncomingMessage; event: StoredEvent } | { ok: false; letter: DeadLetter };

/** Parses a message; the reason of a failure never quotes the payload (it may hold personal data). */
export function parseMessage(message: IncomingMessage): Parsed {
  try {
    const event = fromMessageValue(message.value);
    if (typeof event?.streamId !== 'string' || typeof event.type !== 'string' || typeof event.streamVersion !== 'number') {
      throw new Error('not a stored event');
    }
    return { ok: true, message, event };
  } catch (e) {
    const kind = e instanceof SyntaxError ? 'invalid JSON' : e instanceof Error ? `${e.name}: ${e.message}` : 'invalid envelope';
    return { ok: false, letter: { message, code: 'unparseable', reason: `unparseable message (${kind.slice(0, 200)})` } };
  }
}

export interface SubscriptionOptions {
  bus: MessageBus;
  groupId: string;
  topics: readonly string[];
  /** Handler per event type; types without a handler are skipped (and committed). */
  handlers: Readonly<Record<string, EventHandler | HandlerSpec>>;
  /** `deadLetterTopic(prefix)`. */
  dlqTopic: string;
  /** Attempts of a handler that throws a retryable error before the batch is redelivered (default 3). */
  maxAttempts?: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
  onError?: (error: unknown) => void;
}

/**
 * What every consumer of the bus shares: its supervised subscriber (status, restart), the
 * publisher of its dead letters, and stopping both.
 */
export abstract class BusConsumer {
  readonly groupId: string;
  protected readonly subscriber: Subscriber;
  protected readonly dlq: EventPublisher;

  protected constructor(bus: MessageBus, options: SubscriberOptions) {
    this.groupId = options.groupId;
    this.subscriber = bus.subscriber(options);
    this.dlq = bus.publisher();
  }

  /** The topics this consumer reads. */
  abstract get topics(): readonly string[];

  status(): SubscriberStatus {
    return this.subscriber.status();
  }

  restart(reason: string): Promise<void> {
    return this.subscriber.restart(reason);
  }

  async stop(): Promise<void> {
    await this.subscriber.stop();
    await this.dlq.close();
  }
}

/**
 * A consumer-group subscription that dispatches events by type, sends what it cannot handle
 * to the dead-letter topic and commits offsets only after handling. Delivery is at-least-once:
 * handlers must be idempotent (the projection helper is; `streamVersion`/`eventId` help others).
 */
export class Subscription extends BusConsumer {
  private runPromise?: Promise<void>;

  constructor(private readonly opts: SubscriptionOptions) {
    super(opts.bus, {
      groupId: opts.groupId,
      topics: opts.topics,
      fromBeginning: opts.fromBeginning ?? true,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently,
    });
  }

  /** Joins the group and starts consuming (resolves once running). */
  async start(): Promise<void> {
    this.runPromise = this.subscriber.run((batch, ctx) => this.handleBatch(batch, ctx));
    await this.runPromise;
  }

  get topics(): readonly string[] {
    return this.opts.topics;
  }

  private async handleBatch(batch: IncomingBatch, ctx: BatchContext): Promise<void> {
    const letters: DeadLetter[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(message);
      if (!parsed.ok) {
        letters.push(parsed.letter);
        continue;
      }
      const entry = this.opts.handlers[parsed.event.type];
      if (!entry) continue;
      const spec: HandlerSpec = typeof entry === 'function' ? { handle: entry } : entry;
      if (spec.schemaVersions && !spec.schemaVersions.includes(parsed.event.schemaVersion)) {
        letters.push({
          message,
          code: 'unknown-schema-version',
          reason: `${parsed.event.type} schema version ${parsed.event.schemaVersion} is not one of ${spec.schemaVersions.join(', ')}`,
        });
        continue;
      }
      const letter = await this.handleOne(spec, parsed.event, message);
      if (letter) letters.push(letter);
      await ctx.heartbeat();
    }
    // Dead letters are written before the offsets are committed (by the subscriber, after this).
    await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.opts.groupId, letters);
    for (const l of letters) this.opts.onDeadLetter?.(l);
  }

  private async handleOne(spec: HandlerSpec, event: StoredEvent, message: IncomingMessage): Promise<DeadLetter | undefined> {
    const meta: MessageMeta = { topic: message.topic, partition: message.partition, offset: message.offset };
    const attempts = this.opts.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await spec.handle(event, meta);
        return undefined;
      } catch (e) {
        if (e instanceof NonRetryableError) return { message, code: 'handler-failed', reason: `${event.type}: ${e.message}` };
        this.opts.onError?.(e);
        // Out of attempts: fail the batch; it is redelivered (nothing was committed).
        if (attempt >= attempts) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }
}

/**
 * Events on `topics` that a consumer group has not handled yet: per partition, the end of the log
 * minus the group's committed offset (everything, when it committed nothing yet). `ends` caches
 * the topics' offsets across the groups of one report.
 */
export async function consumerLag(
  bus: MessageBus,
  groupId: string,
  topics: readonly string[],
  ends: Map<string, { partition: number; high: string }[]> = new Map(),
): Promise<number> {
  let lag = 0;
  for (const topic of topics) {
    if (!ends.has(topic)) ends.set(topic, await bus.topicOffsets(topic));
    const committed = new Map((await bus.groupOffsets(groupId, topic)).map((p) => [p.partition, BigInt(p.offset)]));
    for (const p of ends.get(topic)!) {
      const done = committed.get(p.partition) ?? -1n;
      const high = BigInt(p.high);
      lag += Number(done < 0n ? high : high - done > 0n ? high - done : 0n);
    }
  }
  return lag;
}
