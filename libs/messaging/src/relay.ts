import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { toMessage } from './envelope';
import { eventsTopic } from './topics';
import type { EventPublisher } from './transport';

/**
 * What the relay reads: the event store's global order (`EventStore.readAll`), from a position
 * (inclusive), gap-safe (never past a hole that could still be filled); `nextPosition` is
 * where to continue (it can jump over tombstones).
 */
export interface EventSource {
  readAll(
    fromPosition: number,
    opts: { limit: number },
  ): Promise<{ readonly events: readonly StoredEvent[]; readonly nextPosition: number }>;
}

export interface RelayOptions {
  context: string;
  source: EventSource;
  publisher: EventPublisher;
  /** Database holding the relay's lease + checkpoint document. */
  db: mongo.Db;
  /** Default `eventsTopic(context, topicPrefix)`. */
  topic?: string;
  topicPrefix?: string;
  /** Identity of this instance in the lease (default host-pid-random). */
  owner?: string;
  /** Events per read and per Kafka batch (default 500). */
  batchSize?: number;
  /** Pause when there is nothing to publish, or between lease attempts (default 200 ms). */
  pollIntervalMs?: number;
  /** Lease duration (default 10 s); renewed every quarter of it while holding it. */
  leaseMs?: number;
  /** Back-off after a failed publish (default 500 ms, doubling up to 5 s). */
  retryBackoffMs?: number;
  /** Collection of the lease/checkpoint documents (default `relay_leases`). */
  collection?: string;
  /** Test hook, called after Kafka acknowledged a batch and before the checkpoint write. */
  afterPublish?: (events: readonly StoredEvent[], relay: Relay) => void | Promise<void>;
  onError?: (error: unknown) => void;
}

/**
 * One document per lease *epoch* of a context: `relay:<context>#<epoch>`. Taking the lease over
 * is inserting the next epoch, so the unique `_id` decides between racing instances. (FerretDB
 * 1.x does not make conditional updates or findAndModify atomic under concurrency; only unique
 * inserts are reliable there.) Each epoch document is written by its owner only, which keeps
 * its checkpoint in it.
 */
interface LeaseDoc {
  _id: string;
  context: string;
  epoch: number;
  owner: string;
  expiresAt: Date;
  /** Global position up to which Kafka acknowledged everything (or the positions are tombstones). */
  position: number;
  updatedAt: Date;
}

export interface RelayStatus {
  owner: string;
  holdsLease: boolean;
  epoch: number;
  position: number;
  published: number;
  lastError?: string;
  /** When the relay last published or found nothing to publish (ms since the epoch). */
  lastProgressAt: number;
  /** Batches published from offered events, without reading the store. */
  batchesFromMemory: number;
}

/**
 * Transactional outbox without transactions: publishes a context's stored events, in global
 * position order, to its topic keyed by stream id; at-least-once.
 *
 * Safe with several instances: only the holder of the newest lease epoch publishes, renewing
 * its lease while alive. A lease expires when not renewed for `leaseMs`; another instance
 * then inserts the next epoch, starting from the checkpoint of the previous one. Before each
 * checkpoint write the holder checks that no newer epoch exists (fencing by owner/epoch); a
 * batch a deposed holder published anyway only causes duplicates, which consumers absorb.
 */
export class Relay {
  readonly owner: string;
  readonly topic: string;
  private readonly col: mongo.Collection<LeaseDoc>;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly backoffMs: number;
  private epoch = 0;
  private leaseUntil = 0;
  private position = 0;
  private published = 0;
  private lastError?: string;
  private lastProgressAt = Date.now();
  private running = false;
  private killed = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private renewTimer?: NodeJS.Timeout;
  /** Events this instance just appended, offered for publication without reading them back. */
  private offered: StoredEvent[] = [];
  private batchesFromMemory = 0;
  /** Serialises this instance's writes to its epoch document (renewal vs checkpoint). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: RelayOptions) {
    this.owner = opts.owner ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.topic = opts.topic ?? eventsTopic(opts.context, opts.topicPrefix ?? '');
    this.col = opts.db.collection<LeaseDoc>(opts.collection ?? 'relay_leases');
    this.batchSize = opts.batchSize ?? 500;
    this.pollMs = opts.pollIntervalMs ?? 200;
    this.leaseMs = opts.leaseMs ?? 10000;
    this.backoffMs = opts.retryBackoffMs ?? 500;
  }

  start(): void {
    if (this.loop) return;
    this.running = true;
    this.killed = false;
    // Renewal runs beside the loop so that a slow publish (e.g. Kafka down) keeps the lease.
    this.renewTimer = setInterval(
      () => {
        if (this.leaseUntil > Date.now()) this.renew().catch((e) => this.opts.onError?.(e));
      },
      Math.max(50, Math.floor(this.leaseMs / 4)),
    );
    this.renewTimer.unref();
    this.loop = this.run();
  }

  /** Finishes the batch in hand (publish + checkpoint), then releases the lease. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    clearInterval(this.renewTimer);
    this.loop = undefined;
    if (!this.killed && this.epoch > 0 && this.leaseUntil > 0) {
      await this.write({ expiresAt: new Date(0) }).catch(() => undefined);
    }
    this.leaseUntil = 0;
  }

  /** Simulates a crash: stops at once, writes no checkpoint, leaves the lease to expire. */
  kill(): void {
    this.killed = true;
    this.running = false;
    clearInterval(this.renewTimer);
    this.leaseUntil = 0;
    this.wake();
  }

  /** Polls now instead of after the poll interval (e.g. right after an append). */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Hands over events this instance has just appended, and wakes the relay: when they follow the
   * checkpoint without a gap, they are published as they are, without reading the store; anything
   * else (other instances' commits in between, a lost lease) is read back from the store as before.
   */
  offer(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    this.offered.push(...events);
    if (this.offered.length > this.batchSize * 20) this.offered = []; // far behind: the store has them
    this.wake();
  }

  status(): RelayStatus {
    return {
      owner: this.owner,
      holdsLease: this.holdsLease(),
      epoch: this.epoch,
      position: this.position,
      published: this.published,
      lastError: this.lastError,
      lastProgressAt: this.lastProgressAt,
      batchesFromMemory: this.batchesFromMemory,
    };
  }

  /** The durable checkpoint of the context (last position Kafka acknowledged), whoever wrote it. */
  async checkpoint(): Promise<number> {
    const docs = await this.col.find({ context: this.opts.context }).toArray();
    return docs.reduce((m, d) => Math.max(m, d.position ?? 0), 0);
  }

  private docId(epoch: number): string {
    return `relay:${this.opts.context}#${epoch}`;
  }

  private holdsLease(): boolean {
    // A safety margin: stop publishing a little before the lease could be taken over.
    return this.leaseUntil - Math.min(1000, this.leaseMs / 5) > Date.now();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.holdsLease() && !(await this.acquire())) {
          await this.sleep(this.pollMs);
          continue;
        }
        const full = await this.publishOnce();
        failures = 0;
        this.lastError = undefined;
        this.lastProgressAt = Date.now();
        if (!full) await this.sleep(this.pollMs);
      } catch (e) {
        if (this.killed) return;
        failures++;
        this.lastError = e instanceof Error ? e.message : String(e);
        this.opts.onError?.(e);
        await this.sleep(Math.min(this.backoffMs * 2 ** (failures - 1), 5000));
      }
    }
  }

  /** Reads one batch after the checkpoint and publishes it; true when the batch was full. */
  private async publishOnce(): Promise<boolean> {
    const from = this.position;
    const page = this.fromOffered(from) ?? (await this.opts.source.readAll(from + 1, { limit: this.batchSize }));
    const events = page.events.filter((e) => e.position > from);
    // Everything below nextPosition is published now, or a tombstone (a hole closed for ever).
    const last = Math.max(from, page.nextPosition - 1, ...events.map((e) => e.position));
    if (last === from || !this.running) return false;
    if (!this.holdsLease()) return true;
    if (events.length) {
      await this.opts.publisher.publish(
        this.topic,
        events.map((e) => toMessage(e, this.opts.context)),
      );
      await this.opts.afterPublish?.(events, this);
      if (this.killed) return false;
    }
    // Fencing: a newer epoch means someone else holds the lease; it starts from our last
    // checkpoint, so this batch becomes a duplicate rather than a gap.
    if (await this.deposed()) {
      this.leaseUntil = 0;
      return false;
    }
    const now = Date.now();
    await this.write({ position: last, expiresAt: new Date(now + this.leaseMs), updatedAt: new Date(now) });
    this.leaseUntil = now + this.leaseMs;
    this.position = last;
    this.published += events.length;
    return events.length >= this.batchSize;
  }

  /** The offered events that continue the checkpoint densely (positions have no holes), if any. */
  private fromOffered(from: number): { events: StoredEvent[]; nextPosition: number } | undefined {
    if (this.offered.length === 0) return undefined;
    this.offered = this.offered.filter((e) => e.position > from).sort((a, b) => a.position - b.position);
    const events: StoredEvent[] = [];
    for (const e of this.offered) {
      if (e.position !== from + events.length + 1 || events.length >= this.batchSize) break;
      events.push(e);
    }
    if (events.length === 0) return undefined;
    this.offered = this.offered.slice(events.length);
    this.batchesFromMemory++;
    return { events, nextPosition: events.at(-1)!.position + 1 };
  }

  /** Takes the lease if it is free (no epoch yet, or the newest one expired) or already ours. */
  private async acquire(): Promise<boolean> {
    const [current] = await this.col.find({ context: this.opts.context }).sort({ epoch: -1 }).limit(1).toArray();
    const now = Date.now();
    if (current && current.owner === this.owner && current.epoch === this.epoch && current.expiresAt.getTime() > now) {
      this.leaseUntil = current.expiresAt.getTime();
      return this.holdsLease();
    }
    if (current && current.expiresAt.getTime() > now) return false;
    const epoch = (current?.epoch ?? 0) + 1;
    // Start from the furthest checkpoint any earlier holder wrote (a deposed one may have
    // written after the newest epoch was read).
    const position = await this.checkpoint();
    try {
      await this.col.insertOne({
        _id: this.docId(epoch),
        context: this.opts.context,
        epoch,
        owner: this.owner,
        expiresAt: new Date(now + this.leaseMs),
        position,
        updatedAt: new Date(now),
      });
    } catch (e) {
      if (isDuplicateKey(e)) return false; // another instance took this epoch first
      throw e;
    }
    this.epoch = epoch;
    this.leaseUntil = now + this.leaseMs;
    this.position = position;
    // Older epochs are history now (keep the previous one: its holder may still be fenced by it).
    await this.col.deleteMany({ context: this.opts.context, epoch: { $lt: epoch - 1 } }).catch(() => undefined);
    return true;
  }

  private async renew(): Promise<void> {
    const now = Date.now();
    if (await this.deposed()) {
      this.leaseUntil = 0;
      return;
    }
    await this.write({ expiresAt: new Date(now + this.leaseMs) });
    if (!this.killed && this.leaseUntil > 0) this.leaseUntil = now + this.leaseMs;
  }

  private async deposed(): Promise<boolean> {
    return (await this.col.findOne({ context: this.opts.context, epoch: { $gt: this.epoch } }, { projection: { _id: 1 } })) !== null;
  }

  /** Writes to this instance's own epoch document, one write at a time. */
  private write(set: Partial<LeaseDoc>): Promise<void> {
    const id = this.docId(this.epoch);
    const next = this.writes.then(() => this.col.updateOne({ _id: id }, { $set: set }));
    this.writes = next.catch(() => undefined);
    return next.then(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}
