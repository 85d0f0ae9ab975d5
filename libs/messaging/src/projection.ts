import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { BusConsumer, parseMessage, sendToDeadLetter, type DeadLetter } from './subscription';
import type { IncomingBatch, IncomingMessage, MessageBus } from './transport';
import { applyUpdate, UpdateRefusedError } from './update-applier';

/** A MongoDB update for the stream's document (`$set`, `$inc`, …); null/undefined = no change. */
export type ProjectionUpdate = mongo.UpdateFilter<mongo.Document>;

/**
 * Pure function of one event: the update of the document of `event.streamId`. Throwing sends
 * the message to the dead-letter topic (a pure function fails the same way every time).
 *
 * A rebuild applies the update in memory (update-applier.ts): `$set`, `$inc`, `$push` (with
 * `$each`) and `$setOnInsert` (inert: documents exist before their first update), dotted paths.
 * Another operator fails the rebuild (the live view keeps working): add it to the applier first.
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
  /** Called after each applied batch (metrics, benches); during a rebuild, after each batch folded in memory. */
  onApplied?: (events: readonly StoredEvent[], result: ApplyResult, generation: number) => void;
  /**
   * How often a started projection reads its pointer to follow a generation switched by another
   * instance's rebuild (default 2000 ms; 0 = never).
   */
  pointerPollMs?: number;
  /** Failures of the background pointer check (it tries again at the next tick). */
  onError?: (error: unknown) => void;
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

/**
 * Documents per `insertMany` when a rebuild writes its generation. Inserts are not updates:
 * FerretDB 1.24 took ordered (and unordered) inserts of 1,000 and 5,000 documents without
 * trouble, at 3,000-7,000 documents/s on the dev VM; ordered stops at the first failure.
 */
export const REBUILD_INSERT_BATCH = 1000;

/**
 * Messages per handler call of a rebuild's consumer (a fetch is rarely larger). After the switch
 * the same consumer is live: a slice that then runs past the handler timeout is halved.
 */
export const REBUILD_SLICE = 5000;

/**
 * Messages a rebuild's consumer may hold read but not folded yet: it reads ahead while it folds,
 * within this bound (memory).
 */
export const FOLD_QUEUE_MESSAGES = 20_000;

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
  /** Revision of the handlers that built the active generation (absent = 1). */
  revision?: number;
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
  /** Documents per insertMany of the new generation (default {@link REBUILD_INSERT_BATCH}). */
  insertBatch?: number;
  /** Revision of the handlers, recorded in the pointer at the switch (default: left as it was). */
  revision?: number;
}

export interface RebuildResult {
  generation: number;
  previous: number;
  /** Messages folded until caught up with the topic's end as it was at the start. */
  messages: number;
  /** Documents inserted into the new generation. */
  documents: number;
  ms: number;
  /** Where the time went: joining the group, reading and folding the topic, inserting, switching. */
  phases: { joinMs: number; foldMs: number; writeMs: number; switchMs: number };
}

/** The update an event's handler gives (undefined/null = none), or the error it threw. */
function updateOf(
  handlers: Readonly<Record<string, ProjectionHandler>>,
  e: StoredEvent,
): { ok: true; update: ProjectionUpdate | null | undefined } | { ok: false; error: unknown } {
  const handler = handlers[e.type];
  try {
    return { ok: true, update: handler ? handler(e) : undefined };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The handler's update plus the bookkeeping: the stream version and global position it reached. */
function withBookkeeping(update: ProjectionUpdate, e: StoredEvent): mongo.UpdateFilter<ProjectionDocument> {
  const set = (update.$set ?? {}) as Record<string, unknown>;
  return {
    ...update,
    $set: { ...set, [VERSION_FIELD]: e.streamVersion, [POSITION_FIELD]: e.position },
  } as mongo.UpdateFilter<ProjectionDocument>;
}

/**
 * A stream's first events folded into its new document, as the conditional updates would build it
 * in the store; undefined when the applier does not model an update (the store then applies it).
 */
function foldNew(
  id: string,
  list: readonly { e: StoredEvent; update: ProjectionUpdate }[],
): { doc: ProjectionDocument; applied: number } | undefined {
  const doc: ProjectionDocument = { _id: id, [VERSION_FIELD]: 0 };
  let applied = 0;
  try {
    for (const { e, update } of list) {
      if (!(e.streamVersion > (doc[VERSION_FIELD] as number))) continue;
      applyUpdate(doc, update, { set: { [VERSION_FIELD]: e.streamVersion, [POSITION_FIELD]: e.position } });
      applied++;
    }
  } catch (e) {
    if (e instanceof UpdateRefusedError) return undefined;
    throw e;
  }
  return { doc, applied };
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * A generation folded in memory: one document per stream, built exactly as the live path builds
 * it in the store (created as `{_id, _version: 0}`, then each event's update, bookkeeping
 * included, applied only when its stream version is above the document's), and the last
 * position per source partition. What a rebuild inserts instead of updating event by event.
 */
export class FoldedGeneration {
  private readonly docs = new Map<string, ProjectionDocument>();
  private readonly positions = new Map<string, number>();

  constructor(private readonly handlers: Readonly<Record<string, ProjectionHandler>>) {}

  /**
   * Folds events (in order per stream) from one source (`topic:partition`). Handler failures are
   * returned as in {@link MongoProjection.apply}; an update the store would refuse throws
   * (UpdateRefusedError), as the live write would fail.
   */
  add(events: readonly StoredEvent[], source: string): ApplyResult {
    const failed: ApplyResult['failed'] = [];
    let position = 0;
    let applied = 0;
    for (let index = 0; index < events.length; index++) {
      const e = events[index];
      position = Math.max(position, e.position);
      const r = updateOf(this.handlers, e);
      if (!r.ok) {
        failed.push({ index, error: r.error });
        continue;
      }
      const update = r.update;
      if (!update) continue;
      let doc = this.docs.get(e.streamId);
      if (!doc) {
        doc = { _id: e.streamId, [VERSION_FIELD]: 0 };
        this.docs.set(e.streamId, doc);
      }
      if (!(e.streamVersion > (doc[VERSION_FIELD] as number))) continue;
      // The same update as withBookkeeping(update, e), without building it.
      applyUpdate(doc, update, { set: { [VERSION_FIELD]: e.streamVersion, [POSITION_FIELD]: e.position } });
      applied++;
    }
    if (position > 0) this.positions.set(source, Math.max(this.positions.get(source) ?? 0, position));
    return { applied, skipped: events.length - applied - failed.length, position, failed };
  }

  get size(): number {
    return this.docs.size;
  }

  documents(): ProjectionDocument[] {
    return [...this.docs.values()];
  }

  /** Last position folded per source (`topic:partition`). */
  checkpoints(): ReadonlyMap<string, number> {
    return this.positions;
  }
}

/**
 * A MongoDB read model, one document per stream, idempotent under redelivery and replay:
 * each document holds the version of the last event of its stream that it applied, and the
 * conditional update that applies an event also moves that version (one write).
 *
 * Reads go to the *active* generation named by a pointer document; `rebuild` fills a new
 * generation beside it from the start of the topic and switches the pointer when caught up.
 * Every started instance (one per service process) reads the pointer every `pointerPollMs` and,
 * when another instance switched it, moves its consumer to the new generation's group.
 */
export class MongoProjection {
  readonly name: string;
  private readonly pointers: mongo.Collection<PointerDoc>;
  private readonly checkpoints: mongo.Collection<CheckpointDoc>;
  private live?: ProjectionConsumer;
  /** Options of the live consumer (from start(), or the rebuild that made it live). */
  private consumeOpts?: ConsumeOptions;
  private watch?: NodeJS.Timeout;
  /** One write batch at a time per projection instance (see BULK_CHUNK). */
  private writing: Promise<unknown> = Promise.resolve();
  /** One change of the live consumer at a time (start, stop, a rebuild's switch, following the pointer). */
  private lifecycle: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: MongoProjectionOptions) {
    this.name = opts.name;
    this.pointers = opts.db.collection<PointerDoc>(opts.pointerCollection ?? 'projection_pointers');
    this.checkpoints = opts.db.collection<CheckpointDoc>(opts.checkpointCollection ?? 'projection_checkpoints');
  }

  collectionName(generation: number): string {
    return `${this.name}__v${generation}`;
  }

  /**
   * The generation reads should use (creating the pointer at generation 1 the first time). Read
   * from the pointer at most once per `pointerPollMs` (the pointer watch reads it as often): a
   * switch by this instance shows at once, one by another instance within that time — meanwhile
   * reads stay on the previous generation, which this instance's consumer still keeps.
   */
  async activeGeneration(): Promise<number> {
    const every = this.opts.pointerPollMs ?? 2000;
    if (this.known && Date.now() - this.known.at < every) return this.known.generation;
    return (await this.pointer()).active;
  }

  /** The last active generation read from the pointer or switched to here, and when. */
  private known?: { generation: number; at: number };

  private remember(p: PointerDoc): PointerDoc {
    this.known = { generation: p.active, at: Date.now() };
    return p;
  }

  /** The pointer document (created at generation 1 the first time). */
  private async pointer(): Promise<PointerDoc> {
    const p = await this.pointers.findOne({ _id: this.name });
    if (p) return this.remember(p);
    try {
      await this.pointers.insertOne({ _id: this.name, active: 1 });
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    return this.remember((await this.pointers.findOne({ _id: this.name })) ?? { _id: this.name, active: 1 });
  }

  /**
   * Makes the active generation one built by handlers of `revision` (or a later one): when the
   * pointer records an older revision, rebuilds (reads go on meanwhile on the old generation, which
   * this instance does not consume: call it before `start`). An empty active generation is just
   * marked, as its consumer will build it with these handlers. Returns the rebuild, or null.
   */
  async upgrade(revision: number, opts: RebuildOptions): Promise<RebuildResult | null> {
    const p = await this.pointer();
    if ((p.revision ?? 1) >= revision) return null;
    const empty = (await this.opts.db.collection(this.collectionName(p.active)).findOne({}, { projection: { _id: 1 } })) === null;
    if (!empty) return this.rebuild({ ...opts, revision });
    await this.pointers.updateOne({ _id: this.name, active: p.active }, { $max: { revision } });
    return null;
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
   * Applies events (in order per stream) to a generation; events already applied are skipped.
   *
   * - Streams whose first event (version 1) is in the batch are folded in memory (the update
   *   applier, as a rebuild does) and inserted whole, with large ordered inserts.
   * - The other streams get conditional updates `{_id, _version < v}`, in bulk writes of
   *   {@link BULK_CHUNK}, after their documents are made to exist (`$setOnInsert`, version 0).
   *   Why not "upsert + treat E11000 as applied" per event: FerretDB 1.x misreports the failing
   *   index of an ordered bulk upsert that hits a duplicate key (and stops unordered ones too).
   * - An insert that meets an existing document (a redelivery, another instance) sends all the
   *   batch's new streams down the conditional path, which skips what is applied already.
   * - Then one checkpoint write.
   */
  apply(events: readonly StoredEvent[], generation?: number, source = 'direct'): Promise<ApplyResult> {
    return this.serialized(() => this.applyNow(events, generation, source));
  }

  /** Runs a write after the previous one of this instance (see BULK_CHUNK). */
  private serialized<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writing.then(write);
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async applyNow(events: readonly StoredEvent[], generation: number | undefined, source: string): Promise<ApplyResult> {
    const gen = generation ?? (await this.activeGeneration());
    const col = this.opts.db.collection<ProjectionDocument>(this.collectionName(gen));
    const failed: ApplyResult['failed'] = [];
    let position = 0;
    // Each stream's updates, in order.
    const byStream = new Map<string, { e: StoredEvent; update: ProjectionUpdate }[]>();
    for (const [index, e] of events.entries()) {
      position = Math.max(position, e.position);
      const r = updateOf(this.opts.handlers, e);
      if (!r.ok) {
        failed.push({ index, error: r.error });
        continue;
      }
      if (!r.update) continue;
      const list = byStream.get(e.streamId) ?? [];
      list.push({ e, update: r.update });
      byStream.set(e.streamId, list);
    }
    // Streams that start in this batch are folded in memory and inserted whole (one large insert
    // instead of an upsert and an update per event); the others get conditional updates.
    const fresh: ProjectionDocument[] = [];
    const updated: string[] = [];
    let applied = 0;
    for (const [id, list] of byStream) {
      const doc = list[0].e.streamVersion === 1 ? foldNew(id, list) : undefined;
      if (doc) {
        fresh.push(doc.doc);
        applied += doc.applied;
      } else updated.push(id);
    }
    if (fresh.length) {
      try {
        for (let i = 0; i < fresh.length; i += REBUILD_INSERT_BATCH)
          await col.insertMany(fresh.slice(i, i + REBUILD_INSERT_BATCH), { ordered: true });
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
        // Some of them exist (a redelivery, another instance): all of them take the conditional
        // path, which skips what is applied already.
        updated.push(...fresh.map((d) => d._id));
        applied -= fresh.length;
      }
    }
    if (updated.length) {
      const ops: mongo.AnyBulkWriteOperation<ProjectionDocument>[] = updated.flatMap((id) =>
        byStream.get(id)!.map(({ e, update }) => ({
          updateOne: { filter: { _id: id, [VERSION_FIELD]: { $lt: e.streamVersion } }, update: withBookkeeping(update, e) },
        })),
      );
      await this.ensureDocuments(col, updated);
      applied = Math.max(0, applied) + (await bulkInChunks(col, ops, true));
    }
    if (position > 0) {
      const collection = this.collectionName(gen);
      await this.checkpoints.updateOne(
        { _id: `${collection}:${source}` },
        { $max: { position }, $set: { collection, updatedAt: new Date() } },
        { upsert: true },
      );
    }
    const result = { applied, skipped: Math.max(0, events.length - applied - failed.length), position, failed };
    this.opts.onApplied?.(events, result, gen);
    return result;
  }

  /**
   * Writes a generation folded in memory into its (new, empty) collection: the documents with
   * large ordered inserts (each after this instance's previous write: the live consumer of the
   * active generation may be writing meanwhile) and, at the same time, one checkpoint per source
   * partition, keyed as the live consumer keys them. Nobody reads the generation before the
   * switch, so the order of the two does not matter.
   */
  async writeGeneration(generation: number, fold: FoldedGeneration, insertBatch = REBUILD_INSERT_BATCH): Promise<number> {
    const collection = this.collectionName(generation);
    const col = this.opts.db.collection<ProjectionDocument>(collection);
    const docs = fold.documents();
    const updatedAt = new Date();
    const checkpoints = [...fold.checkpoints()].map(([source, position]) => ({
      _id: `${collection}:${source}`,
      collection,
      position,
      updatedAt,
    }));
    await Promise.all([
      checkpoints.length ? this.checkpoints.insertMany(checkpoints, { ordered: true }) : undefined,
      (async () => {
        for (let i = 0; i < docs.length; i += insertBatch) {
          const chunk = docs.slice(i, i + insertBatch);
          await this.serialized(() => col.insertMany(chunk, { ordered: true }));
        }
      })(),
    ]);
    return docs.length;
  }

  /**
   * Makes a new generation's collection exist and empty (a failed build may have left one), drops
   * its checkpoints, and marks the pointer as building it. Creating collections up front keeps
   * FerretDB's table creation off the write.
   */
  private async prepareGeneration(generation: number): Promise<void> {
    const collection = this.collectionName(generation);
    const exists = (e: unknown) => {
      if ((e as { code?: number }).code !== 48) throw e; // NamespaceExists
    };
    await Promise.all([
      (async () => {
        await this.opts.db
          .collection(collection)
          .drop()
          .catch(() => undefined);
        await this.opts.db.createCollection(collection).catch(exists);
      })(),
      (async () => {
        await this.opts.db.createCollection(this.checkpoints.collectionName).catch(exists);
        await this.checkpoints.deleteMany({ collection });
      })(),
      this.pointers.updateOne({ _id: this.name }, { $set: { building: generation } }),
    ]);
  }

  /** Consumer group of a generation that no rebuild named (the first one). */
  private defaultGroup(opts: ConsumeOptions, generation: number): string {
    return `${opts.groupPrefix ?? ''}${this.name}.v${generation}`;
  }

  /** One change of the live consumer at a time. */
  private changeLive<T>(change: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(change);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the live consumer of the active generation (group `<prefix><name>.v<gen>`, or the
   * group the rebuild that made it active named), and the pointer watch.
   */
  start(opts: ConsumeOptions): Promise<ProjectionConsumer> {
    return this.changeLive(async () => {
      if (this.live) return this.live;
      const pointer = await this.pointer();
      const live = new ProjectionConsumer(this, pointer.active, opts, pointer.activeGroup ?? this.defaultGroup(opts, pointer.active));
      await live.start();
      this.live = live;
      this.consumeOpts = opts;
      this.watchPointer();
      return live;
    });
  }

  stop(): Promise<void> {
    clearInterval(this.watch);
    this.watch = undefined;
    return this.changeLive(async () => {
      clearInterval(this.watch);
      this.watch = undefined;
      const l = this.live;
      this.live = undefined;
      await l?.stop();
    });
  }

  /** The live generation's consumer (after a rebuild, the new one), if started. */
  consumer(): ProjectionConsumer | undefined {
    return this.live;
  }

  private watchPointer(): void {
    const every = this.opts.pointerPollMs ?? 2000;
    if (this.watch || every <= 0) return;
    this.watch = setInterval(() => {
      this.followPointer().catch((e: unknown) => this.opts.onError?.(e));
    }, every);
    this.watch.unref();
  }

  /**
   * Moves the live consumer to the generation the pointer names, if another instance switched
   * it: the new generation's group (its offsets committed by the rebuild) gains this instance as
   * a member, then the old generation's consumer stops. Returns whether it moved.
   */
  followPointer(): Promise<boolean> {
    return this.changeLive(async () => {
      const current = this.live;
      const opts = this.consumeOpts;
      if (!current || !opts) return false;
      const p = await this.pointers.findOne({ _id: this.name });
      if (!p) return false;
      this.remember(p);
      const group = p.activeGroup ?? this.defaultGroup(opts, p.active);
      if (p.active === current.generation && group === current.groupId) return false;
      const next = new ProjectionConsumer(this, p.active, opts, group);
      try {
        await next.start();
      } catch (e) {
        await next.stop();
        throw e;
      }
      this.live = next;
      await current.stop();
      return true;
    });
  }

  /**
   * Rebuilds into a fresh generation while reads continue on the active one:
   *
   * 1. captures the end offsets of the topics, and reads them from the start with a fresh group;
   * 2. folds every event in memory ({@link FoldedGeneration}: the same handlers and the same
   *    version rule as the live path; handlers that throw are dead-lettered as live);
   * 3. once every partition reached its captured end, inserts the documents (large inserts, not
   *    one conditional update per event) and the checkpoints of the new generation;
   * 4. the same group then goes on as the live consumer of the new generation, with the usual
   *    conditional updates: events that arrived meanwhile are folded (if read before the write
   *    started) or applied after it (the batches wait for it), never lost. Offsets committed by
   *    the group during the fold cover only folded events, and nobody else uses the group
   *    before the switch;
   * 5. switches the pointer (reads move at once; other instances follow within pointerPollMs)
   *    and stops this instance's old consumer.
   *
   * Memory: one document per stream of the topics, until the write.
   */
  async rebuild(opts: RebuildOptions): Promise<RebuildResult> {
    const started = Date.now();
    const pointer = await this.pointer();
    const previous = pointer.active;
    const generation = Math.max(previous, pointer.building ?? 0) + 1;
    // The new generation's collection is prepared while the topic is read (not on the way).
    const ready = this.prepareGeneration(generation);
    ready.catch(() => undefined);
    const targets = new Map<string, bigint>();
    for (const topic of opts.topics) {
      for (const p of await opts.bus.topicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) targets.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
    const group = `${opts.groupPrefix ?? ''}${this.name}.v${generation}.${Date.now().toString(36)}`;
    const consumer = new ProjectionConsumer(this, generation, opts, group, {
      fold: new FoldedGeneration(this.opts.handlers),
      targets,
      insertBatch: opts.insertBatch ?? REBUILD_INSERT_BATCH,
      ready,
      onFolded: this.opts.onApplied,
    });
    const until = started + (opts.timeoutMs ?? 600000);
    try {
      const joining = Date.now();
      await consumer.start();
      const joinMs = Date.now() - joining;
      const build = await consumer.built(until);
      // Caught up and written: switch reads, then the new generation's consumer is the live one.
      const switching = Date.now();
      const old = await this.changeLive(async () => {
        await this.pointers.updateOne(
          { _id: this.name },
          {
            $set: { active: generation, activeGroup: group, switchedAt: new Date(), ...(opts.revision ? { revision: opts.revision } : {}) },
            $unset: { building: '' },
          },
        );
        this.known = { generation, at: Date.now() };
        const o = this.live;
        this.live = consumer;
        this.consumeOpts ??= opts;
        this.watchPointer();
        return o;
      });
      await old?.stop();
      const switchMs = Date.now() - switching;
      if (opts.dropPrevious) {
        // Other instances write to the previous generation until they notice the switch.
        await new Promise((r) => setTimeout(r, 2 * (this.opts.pointerPollMs ?? 2000)));
        await this.opts.db
          .collection(this.collectionName(previous))
          .drop()
          .catch(() => undefined);
      }
      return {
        generation,
        previous,
        messages: build.messages,
        documents: build.documents,
        ms: Date.now() - started,
        phases: { joinMs, foldMs: build.foldMs, writeMs: build.writeMs, switchMs },
      };
    } catch (e) {
      if (this.live !== consumer) await consumer.stop();
      throw e;
    }
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

/** What a rebuild's consumer folds before it writes the generation and goes live. */
interface RebuildPlan {
  fold: FoldedGeneration;
  /** `topic:partition` → the end offset captured at the start. */
  targets: ReadonlyMap<string, bigint>;
  insertBatch: number;
  /** The generation's collection is empty and its checkpoints gone: it may be written. */
  ready: Promise<void>;
  onFolded?: MongoProjectionOptions['onApplied'];
}

interface BuildResult {
  messages: number;
  documents: number;
  foldMs: number;
  writeMs: number;
}

/**
 * One generation's consumer group: parse, bulk-apply, dead-letter, then commit. A rebuild's
 * consumer first folds in memory up to the captured end offsets, writes the generation, then
 * goes on like any live consumer.
 */
export class ProjectionConsumer extends BusConsumer {
  consumed = 0;
  private readonly next = new Map<string, bigint>();
  private phase: 'folding' | 'writing' | 'live';
  private written?: Promise<BuildResult>;
  private failure?: Error;
  private folded = 0;
  private startedAt = 0;
  private stopped = false;
  /** Fold phase: batches read, not folded yet (see enqueue). */
  private readonly queue: IncomingBatch[] = [];
  private queued = 0;
  private draining = false;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly projection: MongoProjection,
    readonly generation: number,
    private readonly opts: ConsumeOptions,
    groupId: string,
    private plan?: RebuildPlan,
  ) {
    super(opts.bus, {
      groupId,
      topics: opts.topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 3,
      // A rebuild folds in memory: whole fetches, not slices sized for store writes.
      ...(plan ? { sliceSize: REBUILD_SLICE } : {}),
    });
    this.phase = plan ? 'folding' : 'live';
  }

  async start(): Promise<void> {
    this.startedAt = Date.now();
    await this.subscriber.run((batch) => this.handle(batch));
    // An empty topic: nothing to fold.
    this.writeIfReached();
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await super.stop();
  }

  get topics(): readonly string[] {
    return this.opts.topics;
  }

  /** True when every partition in `targets` (topic:partition → offset) was consumed up to it. */
  reached(targets: ReadonlyMap<string, bigint>): boolean {
    for (const [tp, high] of targets) if ((this.next.get(tp) ?? 0n) < high) return false;
    return true;
  }

  /** A rebuild's consumer: resolves once its generation is folded and written (it is live then). */
  async built(until: number): Promise<BuildResult> {
    while (!this.written) {
      if (this.failure !== undefined) throw this.failure;
      if (Date.now() > until) throw new Error(`rebuild of generation ${this.generation} (group ${this.groupId}) timed out`);
      await new Promise((r) => setTimeout(r, 10));
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.written,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`rebuild of generation ${this.generation} timed out writing`)),
            Math.max(0, until - Date.now()),
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async handle(batch: IncomingBatch): Promise<void> {
    // Nothing awaited between this check and the queue: a batch is queued (and folded) before
    // the write starts, and is in it, or it waits for the write and is applied after it.
    if (this.phase === 'folding') return this.enqueue(batch);
    if (this.phase === 'writing') await this.written;
    return this.applyLive(batch);
  }

  private parse(batch: IncomingBatch): { parsed: { event: StoredEvent; message: IncomingMessage }[]; letters: DeadLetter[] } {
    const letters: DeadLetter[] = [];
    const parsed: { event: StoredEvent; message: IncomingMessage }[] = [];
    for (const m of batch.messages) {
      const p = parseMessage(m);
      if (p.ok) parsed.push(p);
      else letters.push(p.letter);
    }
    return { parsed, letters };
  }

  private async applyLive(batch: IncomingBatch): Promise<void> {
    const { parsed, letters } = this.parse(batch);
    const r = await this.projection.apply(
      parsed.map((p) => p.event),
      this.generation,
      `${batch.topic}:${batch.partition}`,
    );
    await this.finish(batch, parsed, letters, r);
  }

  /**
   * Fold phase: the batch joins the queue and the handler returns at once while the queue has
   * room, so that the subscriber fetches the next batches while this one is folded (kafkajs
   * fetches only once the handlers of the previous fetch returned). Its offsets are thus
   * committed before it is folded: harmless, as nobody else uses the group before the
   * generation is written and switched, and a member restarted meanwhile resumes at or behind
   * what the queue holds (events read twice fold as no-ops).
   */
  private async enqueue(batch: IncomingBatch): Promise<void> {
    this.queue.push(batch);
    this.queued += batch.messages.length;
    // Not inline: the subscriber commits and fetches first, then the fold runs meanwhile.
    setImmediate(() => void this.drain());
    while (this.queued > FOLD_QUEUE_MESSAGES && this.phase === 'folding' && !this.failure && !this.stopped)
      await new Promise<void>((r) => this.waiting.push(r));
    if (this.failure) throw this.failure;
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  /** Folds the queue, one batch at a time, letting the subscriber's fetches and commits run in between. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && this.phase === 'folding' && !this.stopped) {
        const letters = this.foldOne(this.queue.shift()!);
        if (this.reached(this.plan!.targets)) {
          // Everything read so far goes into the generation: what the queue still holds too.
          for (let b = this.queue.shift(); b; b = this.queue.shift()) letters.push(...this.foldOne(b));
          this.startWrite();
        }
        this.wake();
        await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.groupId, letters);
        for (const l of letters) this.opts.onDeadLetter?.(l);
        await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      // An update the store would refuse (the live view could not apply it either), or the
      // dead-letter topic unreachable: the rebuild fails.
      this.failure ??= asError(e);
    } finally {
      this.draining = false;
      this.wake();
    }
  }

  /** Folds one batch in memory; returns its dead letters. */
  private foldOne(batch: IncomingBatch): DeadLetter[] {
    const plan = this.plan!;
    this.queued -= batch.messages.length;
    const { parsed, letters } = this.parse(batch);
    const events = parsed.map((p) => p.event);
    const r = plan.fold.add(events, `${batch.topic}:${batch.partition}`);
    plan.onFolded?.(events, r, this.generation);
    for (const { index, error } of r.failed) letters.push(handlerFailed(parsed[index], error));
    this.folded += batch.messages.length;
    this.markConsumed(batch);
    return letters;
  }

  /** Dead letters, then counts; the subscriber commits the batch after this resolves. */
  private async finish(
    batch: IncomingBatch,
    parsed: readonly { event: StoredEvent; message: IncomingMessage }[],
    letters: DeadLetter[],
    r: ApplyResult,
  ): Promise<void> {
    for (const { index, error } of r.failed) letters.push(handlerFailed(parsed[index], error));
    await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.groupId, letters);
    for (const l of letters) this.opts.onDeadLetter?.(l);
    this.markConsumed(batch);
  }

  private markConsumed(batch: IncomingBatch): void {
    this.consumed += batch.messages.length;
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      const tp = `${batch.topic}:${batch.partition}`;
      const next = BigInt(last.offset) + 1n;
      if (next > (this.next.get(tp) ?? 0n)) this.next.set(tp, next);
    }
  }

  /** An empty topic: nothing to fold, write (nothing) and go live. */
  private writeIfReached(): void {
    if (this.phase === 'folding' && this.plan && this.queue.length === 0 && this.reached(this.plan.targets)) this.startWrite();
  }

  /** Every partition was folded up to its captured end: write the generation, then go live. */
  private startWrite(): void {
    const plan = this.plan!;
    this.phase = 'writing';
    const foldMs = Date.now() - this.startedAt;
    const writing = Date.now();
    this.written = plan.ready
      .then(() => this.projection.writeGeneration(this.generation, plan.fold, plan.insertBatch))
      .then((documents) => {
        this.phase = 'live';
        this.plan = undefined;
        return { messages: this.folded, documents, foldMs, writeMs: Date.now() - writing };
      });
    this.written.catch((e: unknown) => (this.failure ??= asError(e)));
  }
}

function handlerFailed({ event, message }: { event: StoredEvent; message: IncomingMessage }, error: unknown): DeadLetter {
  return { message, code: 'handler-failed', reason: `${event.type}: ${error instanceof Error ? error.message : String(error)}` };
}
