/**
 * HRP's own view of the event log. Everything else in the platform talks to these interfaces;
 * the kafkajs implementation (kafkajs-transport.ts) is the only file that knows the client
 * library, so that the unmaintained kafkajs can be swapped without touching callers.
 */

/** A message to publish. `key` is the stream id and nothing else: never personal data. */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer | string;
  /** Technical headers only (content type, reasons, source coordinates): never personal data. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Publishes batches; resolves once the log acknowledged every message (acks = all). */
export interface EventPublisher {
  /**
   * Messages with the same key keep their relative order. Rejects if any message may not have
   * been written; the caller then retries (at-least-once).
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  /** Offset as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface IncomingBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /** The partition's high watermark when the batch was fetched (next offset to be written). */
  readonly highWatermark: string;
}

export interface BatchContext {
  /** Keeps the group membership alive during long batches. */
  heartbeat(): Promise<void>;
  /** False once the subscriber is stopping: a handler may stop early (nothing is committed). */
  isRunning(): boolean;
}

/** Where a supervised subscriber stands (for /health, /metrics and logs). */
export interface SubscriberStatus {
  readonly groupId: string;
  /** `running` in its group; `restarting` after a crash or a stall; `stopped` by stop(); `idle` before run(). */
  readonly state: 'idle' | 'running' | 'restarting' | 'stopped';
  /** Restarts since run(): crashes, handler failures past the retries, stalls. */
  readonly restarts: number;
  readonly lastError?: string;
  /** When the last batch was handled (or the member (re)joined its group), ms since the epoch. */
  readonly lastProgressAt: number;
}

/**
 * A consumer-group member, supervised: the handler runs per batch of one partition; the
 * subscriber commits the batch's offsets only after the handler resolved. A handler that rejects
 * or outlives its time bound gets the same messages again; a crashed member is restarted with
 * backoff, and every failure is reported (never silent).
 */
export interface Subscriber {
  run(handler: (batch: IncomingBatch, ctx: BatchContext) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  status(): SubscriberStatus;
  /** Leaves the group and joins again (a watchdog's remedy for a member that stopped progressing). */
  restart(reason: string): Promise<void>;
}

export interface SubscriberOptions {
  groupId: string;
  topics: readonly string[];
  /** Where a group without committed offsets starts (default true: the log is the source). */
  fromBeginning?: boolean;
  /** How many partitions are handled at once (default 1). */
  partitionsConsumedConcurrently?: number;
  /** Longest wait of a fetch for new messages (default 100 ms, for low latency). */
  maxWaitTimeMs?: number;
  /**
   * Most messages handed to the handler at once (default 250: each slice is bounded in time and
   * committed). A handler that is cheap per message, like a rebuild's in-memory fold, takes more.
   */
  sliceSize?: number;
}

export interface TopicSpec {
  topic: string;
  /** Default 3. */
  partitions?: number;
  /** Retention in ms; -1 (the default) keeps messages for ever. */
  retentionMs?: number;
}

export interface PartitionOffsets {
  partition: number;
  /** First offset still in the log. */
  low: string;
  /** Next offset to be written. */
  high: string;
}

/** Where the bus reports what must not pass silently: client warnings, crashes, restarts. */
export type BusLog = (level: 'error' | 'warn' | 'info', message: string, extra?: Record<string, unknown>) => void;

/** Creates publishers, subscribers and topics on one cluster. */
export interface MessageBus {
  publisher(): EventPublisher;
  subscriber(opts: SubscriberOptions): Subscriber;
  /** Creates the topics that do not exist yet (idempotent) and waits for their leaders. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Committed offsets of a group (offset "-1" = nothing committed yet). */
  groupOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]>;
  close(): Promise<void>;
}
