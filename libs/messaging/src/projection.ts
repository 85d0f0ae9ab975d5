import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { parseMessage, sendToDeadLetter, type DeadLetter } from './subscription';
import type { EventPublisher, IncomingBatch, IncomingMessage, MessageBus, Subscriber, SubscriberStatus } from './transport';

/** A MongoDB update for the stream's document (`$set`, `$inc`, …); null/undefined = no change. */
export type ProjectionUpdate = mongo.UpdateFilter<mongo.Document>;

/**
 * Pure function of one event: the update of the document of `event.streamId`. Throwing sends
 * the message to the dead-letter topic (a pure function fails the same way every time).
 */
export type ProjectionHandler = (event: StoredEvent) => ProjectionUpdate | null | undefined;

export interface MongoProjectionOptions {
  /** e.g. `campaign_summary`; collections are `<name>__v<generation>`. */
  name: string;
  db: mongo.Db;
  handlers: Readonly<Record<string, ProjectionHandler>>;
  /** Collection of the pointer documents (default `projection_pointers`). */
  pointerCollection?: string;
  /** Collection of the position checkpoints (default `projection_checkpoints`). */
  checkpointCollection?: string;
  /** Called after each applied batch (metrics, benches). */
  onApplied?: (events: readonly StoredEvent[], result: ApplyResult, generation: number) => void;
}

/** A projection document: `_id` is the stream id; the projection's fields beside the bookkeeping. */
export interface ProjectionDocument {
  _id: string;
  [field: string]: unknown;
}

/**
 * Operations per bulk write. FerretDB 1.24 hangs the whole database on an ordered bulk update
 * of about 100 operations, and on concurrent ones of 50; 20, one writer at a time, holds.
 */
export const BULK_CHUNK = 20;

async function bulkInChunks(
  col: mongo.Collection<ProjectionDocument>,
  ops: mongo.AnyBulkWriteOperation<ProjectionDocument>[],
  ordered: boolean,
): Promise<number> {
  let modified = 0;
  for (let i = 0; i < ops.length; i += BULK_CHUNK)
    modified += (await col.bulkWrite(ops.slice(i, i + BULK_CHUNK), { ordered })).modifiedCount;
  return modified;
}

/** Bookkeeping fields in every projection document (beside the projection's own data). */
export const VERSION_FIELD = '_version';
export const POSITION_FIELD = '_position';

export interface ApplyResult {
  applied: number;
  skipped: number;
  position: number;
  /** Events whose handler threw (index into the input); they were not applied. */
  failed: { index: number; error: unknown }[];
}

interface PointerDoc {
  _id: string;
  active: number;
  /** Consumer group of the active generation (unique per build, so a retry starts afresh). */
  activeGroup?: string;
  building?: number;
  switchedAt?: Date;
}
/**
 * One checkpoint per generation and source partition, each written by one consumer at a time
 * (FerretDB does not make concurrent `$max` updates of one document atomic).
 */
interface CheckpointDoc {
  _id: string;
  collection: string;
  position: number;
  updatedAt: Date;
}

export interface ConsumeOptions {
  bus: MessageBus;
  topics: readonly string[];
  dlqTopic: string;
  /** Consumer group = `<groupPrefix><name>.v<generation>` (default prefix ''). */
  groupPrefix?: string;
  partitionsConsumedConcurrently?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
}

export interface RebuildOptions extends ConsumeOptions {
  /** Bound on the rebuild's duration (default 10 min). */
  timeoutMs?: number;
  /** Drop the previous generation's collection after the switch (default false). */
  dropPrevious?: boolean;
}

export interface RebuildResult {
  generation: number;
  previous: number;
  /** Messages consumed until caught up with the topic's end as it was at the start. */
  messages: number;
  ms: number;
}

/**
 * A MongoDB read model, one document per stream, idempotent under redelivery and replay:
 * each document holds the version of the last event of its stream that it applied, and the
 * conditional update that applies an event also moves that version (one write).
 *
 * Reads go to the *active* generation named by a pointer document; `rebuild` fills a new
 * generation beside it from the start of the topic and switches the pointer when caught up.
 */
export class MongoProjection {
  readonly name: string;
  private readonly pointers: mongo.Collection<PointerDoc>;
  private readonly checkpoints: mongo.Collection<CheckpointDoc>;
  private live?: ProjectionConsumer;
  /** One write batch at a time per projection instance (see BULK_CHUNK). */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: MongoProjectionOptions) {
    this.name = opts.name;
    this.pointers = opts.db.collection<PointerDoc>(opts.pointerCollection ?? 'projection_pointers');
    this.checkpoints = opts.db.collection<CheckpointDoc>(opts.checkpointCollection ?? 'projection_checkpoints');
  }

  collectionName(generation: number): string {
    return `${this.name}__v${generation}`;
  }

  /** The generation reads should use (creating the pointer at generation 1 the first time). */
  async activeGeneration(): Promise<number> {
    const p = await this.pointers.findOne({ _id: this.name });
    if (p) return p.active;
    try {
      await this.pointers.insertOne({ _id: this.name, active: 1 });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    return (await this.pointers.findOne({ _id: this.name }))?.active ?? 1;
  }

  /** The collection queries read (the active generation). */
  async collection(): Promise<mongo.Collection<ProjectionDocument>> {
    return this.opts.db.collection<ProjectionDocument>(this.collectionName(await this.activeGeneration()));
  }

  /** Last global position applied by the active generation (0 = none): read-your-writes. */
  async position(): Promise<number> {
    return this.positionOf(await this.activeGeneration());
  }

  /** Global position of the last event applied to one stream's document (0 = none). */
  async streamPosition(streamId: string): Promise<number> {
    const doc = await (await this.collection()).findOne({ _id: streamId }, { projection: { [POSITION_FIELD]: 1 } });
    return (doc?.[POSITION_FIELD] as number | undefined) ?? 0;
  }

  async positionOf(generation: number): Promise<number> {
    const docs = await this.checkpoints.find({ collection: this.collectionName(generation) }).toArray();
    return docs.reduce((m, d) => Math.max(m, d.position), 0);
  }

  /**
   * Applies events (in order per stream) to a generation with two bulk writes and one
   * checkpoint write, whatever the batch size. Events already applied are skipped.
   *
   * Why two writes: FerretDB 1.x misreports the failing index of an ordered bulk upsert that
   * hits a duplicate key (and stops unordered ones too), so instead of "upsert + treat E11000
   * as applied" per event, the documents are created first (`$setOnInsert`, version 0), then
   * every event is a plain conditional update `{_id, _version < v}` that cannot collide.
   */
  apply(events: readonly StoredEvent[], generation?: number, source = 'direct'): Promise<ApplyResult> {
    const run = this.writing.then(() => this.applyNow(events, generation, source));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async applyNow(events: readonly StoredEvent[], generation: number | undefined, source: string): Promise<ApplyResult> {
    const gen = generation ?? (await this.activeGeneration());
    const col = this.opts.db.collection<ProjectionDocument>(this.collectionName(gen));
    const ops: mongo.AnyBulkWriteOperation<ProjectionDocument>[] = [];
    const ids = new Set<string>();
    const failed: ApplyResult['failed'] = [];
    let position = 0;
    for (const [index, e] of events.entries()) {
      position = Math.max(position, e.position);
      const handler = this.opts.handlers[e.type];
      let update: ProjectionUpdate | null | undefined;
      try {
        update = handler ? handler(e) : undefined;
      } catch (error) {
        failed.push({ index, error });
        continue;
      }
      if (!update) continue;
      ids.add(e.streamId);
      const set = (update.$set ?? {}) as Record<string, unknown>;
      ops.push({
        updateOne: {
          filter: { _id: e.streamId, [VERSION_FIELD]: { $lt: e.streamVersion } },
          update: {
            ...update,
            $set: { ...set, [VERSION_FIELD]: e.streamVersion, [POSITION_FIELD]: e.position },
          } as mongo.UpdateFilter<ProjectionDocument>,
        },
      });
    }
    let applied = 0;
    if (ops.length) {
      await this.ensureDocuments(col, [...ids]);
      applied = await bulkInChunks(col, ops, true);
    }
    if (position > 0) {
      const collection = this.collectionName(gen);
      await this.checkpoints.updateOne(
        { _id: `${collection}:${source}` },
        { $max: { position }, $set: { collection, updatedAt: new Date() } },
        { upsert: true },
      );
    }
    const result = { applied, skipped: events.length - applied - failed.length, position, failed };
    this.opts.onApplied?.(events, result, gen);
    return result;
  }

  /** Starts the live consumer of the active generation (group `<prefix><name>.v<gen>`). */
  async start(opts: ConsumeOptions): Promise<ProjectionConsumer> {
    if (this.live) return this.live;
    const gen = await this.activeGeneration();
    const pointer = await this.pointers.findOne({ _id: this.name });
    this.live = new ProjectionConsumer(this, gen, opts, pointer?.activeGroup ?? `${opts.groupPrefix ?? ''}${this.name}.v${gen}`);
    await this.live.start();
    return this.live;
  }

  async stop(): Promise<void> {
    const l = this.live;
    this.live = undefined;
    await l?.stop();
  }

  /** The live generation's consumer (after a rebuild, the new one), if started. */
  consumer(): ProjectionConsumer | undefined {
    return this.live;
  }

  /**
   * Rebuilds into a fresh generation from the beginning of the topics while reads continue on
   * the active one; when the new generation has consumed everything the topics held at the
   * start, the pointer switches to it and its consumer becomes the live one.
   */
  async rebuild(opts: RebuildOptions): Promise<RebuildResult> {
    const started = Date.now();
    const previous = await this.activeGeneration();
    const pointer = await this.pointers.findOne({ _id: this.name });
    const generation = Math.max(previous, pointer?.building ?? 0) + 1;
    await this.opts.db
      .collection(this.collectionName(generation))
      .drop()
      .catch(() => undefined);
    await this.checkpoints.deleteMany({ collection: this.collectionName(generation) });
    await this.pointers.updateOne({ _id: this.name }, { $set: { building: generation } });
    const targets = new Map<string, bigint>();
    for (const topic of opts.topics) {
      for (const p of await opts.bus.topicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) targets.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
    const group = `${opts.groupPrefix ?? ''}${this.name}.v${generation}.${Date.now().toString(36)}`;
    const consumer = new ProjectionConsumer(this, generation, opts, group);
    await consumer.start();
    const until = started + (opts.timeoutMs ?? 600000);
    while (!consumer.reached(targets)) {
      if (Date.now() > until) {
        await consumer.stop();
        throw new Error(`rebuild of ${this.name} v${generation} timed out`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // Caught up: switch reads, then let the new generation's consumer be the live one.
    await this.pointers.updateOne(
      { _id: this.name },
      { $set: { active: generation, activeGroup: group, switchedAt: new Date() }, $unset: { building: '' } },
    );
    const old = this.live;
    this.live = consumer;
    await old?.stop();
    if (opts.dropPrevious)
      await this.opts.db
        .collection(this.collectionName(previous))
        .drop()
        .catch(() => undefined);
    return { generation, previous, messages: consumer.consumed, ms: Date.now() - started };
  }

  private async ensureDocuments(col: mongo.Collection<ProjectionDocument>, ids: readonly string[]): Promise<void> {
    const ops: mongo.AnyBulkWriteOperation<ProjectionDocument>[] = ids.map((id) => ({
      updateOne: { filter: { _id: id }, update: { $setOnInsert: { [VERSION_FIELD]: 0 } }, upsert: true },
    }));
    try {
      await bulkInChunks(col, ops, false);
    } catch (e) {
      // Two writers raced to create the same document: it exists now; once more settles it.
      if ((e as { code?: number }).code !== 11000) throw e;
      await bulkInChunks(col, ops, false);
    }
  }
}

/** One generation's consumer group: parse, bulk-apply, dead-letter, then commit. */
export class ProjectionConsumer {
  consumed = 0;
  private readonly subscriber: Subscriber;
  private readonly dlq: EventPublisher;
  private readonly next = new Map<string, bigint>();

  constructor(
    private readonly projection: MongoProjection,
    readonly generation: number,
    private readonly opts: ConsumeOptions,
    readonly groupId: string,
  ) {
    this.subscriber = opts.bus.subscriber({
      groupId: this.groupId,
      topics: opts.topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 3,
    });
    this.dlq = opts.bus.publisher();
  }

  async start(): Promise<void> {
    await this.subscriber.run((batch) => this.handle(batch));
  }

  async stop(): Promise<void> {
    await this.subscriber.stop();
    await this.dlq.close();
  }

  /** The topics this consumer reads. */
  get topics(): readonly string[] {
    return this.opts.topics;
  }

  status(): SubscriberStatus {
    return this.subscriber.status();
  }

  restart(reason: string): Promise<void> {
    return this.subscriber.restart(reason);
  }

  /** True when every partition in `targets` (topic:partition → offset) was consumed up to it. */
  reached(targets: ReadonlyMap<string, bigint>): boolean {
    for (const [tp, high] of targets) if ((this.next.get(tp) ?? 0n) < high) return false;
    return true;
  }

  private async handle(batch: IncomingBatch): Promise<void> {
    const letters: DeadLetter[] = [];
    const parsed: { event: StoredEvent; message: IncomingMessage }[] = [];
    for (const m of batch.messages) {
      const p = parseMessage(m);
      if (p.ok) parsed.push(p);
      else letters.push(p.letter);
    }
    const r = await this.projection.apply(
      parsed.map((p) => p.event),
      this.generation,
      `${batch.topic}:${batch.partition}`,
    );
    for (const { index, error } of r.failed) {
      const { event, message } = parsed[index];
      letters.push({ message, code: 'handler-failed', reason: `${event.type}: ${error instanceof Error ? error.message : String(error)}` });
    }
    await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.groupId, letters);
    for (const l of letters) this.opts.onDeadLetter?.(l);
    this.consumed += batch.messages.length;
    const last = batch.messages[batch.messages.length - 1];
    if (last) this.next.set(`${batch.topic}:${batch.partition}`, BigInt(last.offset) + 1n);
  }
}
