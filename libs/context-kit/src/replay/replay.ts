import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import {
  deadLetterTopic,
  eventsTopic,
  FoldedGeneration,
  type IncomingBatch,
  type MessageBus,
  MongoProjection,
  parseMessage,
  type ProjectionDocument,
  type ProjectionHandler,
  REBUILD_INSERT_BATCH,
  REBUILD_SLICE,
  type Subscriber,
} from '@hrp/messaging';
import type { ContextDefinition, ProjectionDefinition } from '../definition';
import { documentChecksum, canonicalJson } from './checksum';

/*
 * Replays a read model from the log (issue 15): a real rebuild that switches reads (through
 * MongoProjection.rebuild, as `upgrade` does), or a scratch copy folded beside the live one —
 * dropped (dry run), compared with the live one document by document (verify), or kept as the
 * view as of an instant (until). The CLI (replay.cli.ts) is a thin adapter around replayProjection.
 */

/** The bus a replay reads; `deleteGroups` (KafkaJsBus) removes the scratch consumer groups afterwards. */
export type ReplayBus = MessageBus & { deleteGroups?(groupIds: readonly string[]): Promise<void> };

/** Collections the projections keep their pointers and checkpoints in (MongoProjection's defaults). */
const POINTERS = 'projection_pointers';
const CHECKPOINTS = 'projection_checkpoints';

export interface ReplayTarget {
  readonly context: ContextDefinition;
  readonly projection: ProjectionDefinition;
  /** The context's database (`hrp_<context>`). */
  readonly db: mongo.Db;
  readonly bus: ReplayBus;
  readonly topicPrefix: string;
}

export interface ReplayOptions {
  /** Build a scratch copy and drop it: reads are never switched. */
  readonly dryRun?: boolean;
  /** Compare a scratch copy with the live read model (implies a dry run). */
  readonly verify?: boolean;
  /** Only events with `metadata.time <= until`: the view as of then, kept unless dryRun; never switches reads. */
  readonly until?: Date;
  /** Top-level fields the comparison leaves out (default none: `_version` and `_position` must be equal too). */
  readonly ignore?: readonly string[];
  /** Events read so far of `total` (the topics' ends as captured at the start, grown by later passes). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Bound on reading the topics (default 10 min). */
  readonly timeoutMs?: number;
  /** How long verify waits for the live read model to reach what the replay read (default 30 s). */
  readonly catchUpMs?: number;
  /** Verify: comparisons at most, while the topics move on between them (default 3). */
  readonly passes?: number;
  /** Names scratch collections and consumer groups (default: now in base 36). */
  readonly runId?: string;
}

export type ReplayMode = 'rebuild' | 'dry-run' | 'verify' | 'as-of';

/** A document that is in both read models with other content: the top-level fields that differ. */
export interface DocumentDifference {
  readonly id: string;
  readonly fields: readonly string[];
}

export interface Comparison {
  /** The live collection compared (the active generation). */
  readonly live: string;
  readonly liveCount: number;
  readonly replayedCount: number;
  readonly equal: number;
  /** Differences of the first {@link DIFF_DETAIL} differing documents are detailed; the others have no fields. */
  readonly differing: readonly DocumentDifference[];
  /** Replayed, not in the live read model. */
  readonly missing: readonly string[];
  /** In the live read model, not replayed. */
  readonly extra: readonly string[];
}

export interface ReplayReport {
  readonly projection: string;
  readonly mode: ReplayMode;
  /** Messages read from the topics (with `until`, also those after it). */
  readonly events: number;
  readonly documents: number;
  readonly ms: number;
  /** rebuild: the generations before and after the switch. */
  readonly generation?: { readonly previous: number; readonly next: number };
  /** as-of: the collection holding the view as of `until` (absent on a dry run: dropped). */
  readonly collection?: string;
  readonly comparison?: Comparison;
  /** Unparseable messages and handler failures skipped (the live consumer dead-letters them). */
  readonly skipped: number;
  /** What the reader should know: the live view lagging, the topics still moving. */
  readonly notes: readonly string[];
}

/** Differing documents whose fields are listed (the CLI prints at most this many ids per kind). */
export const DIFF_DETAIL = 20;

export function replayMode(o: Pick<ReplayOptions, 'dryRun' | 'verify' | 'until'>): ReplayMode {
  if (o.until) {
    if (o.verify) throw new Error('--verify compares with the live read model: it does not go with --until');
    return 'as-of';
  }
  if (o.verify) return 'verify';
  return o.dryRun ? 'dry-run' : 'rebuild';
}

/** The topics that feed a read model: its `from` contexts', or the context's own (as the runtime reads them). */
export function topicsOf(context: ContextDefinition, projection: ProjectionDefinition, prefix: string): string[] {
  return (projection.from ?? [context.name]).map((c) => eventsTopic(c, prefix));
}

/** The live collection of a read model: the generation its pointer names (1 before any pointer). */
export async function liveCollection(db: mongo.Db, name: string): Promise<string> {
  const p = await db.collection<{ _id: string; active?: number }>(POINTERS).findOne({ _id: name });
  return `${name}__v${p?.active ?? 1}`;
}

/** Replays one read model of a context from its topics; see {@link ReplayOptions} for the modes. */
export async function replayProjection(t: ReplayTarget, o: ReplayOptions = {}): Promise<ReplayReport> {
  const mode = replayMode(o);
  const topics = topicsOf(t.context, t.projection, t.topicPrefix);
  // As the services do at boot: reading offsets of a missing topic would have the broker create it
  // with its defaults (short retention), not the platform's.
  await t.bus.ensureTopics([...topics.map((topic) => ({ topic })), { topic: deadLetterTopic(t.topicPrefix), partitions: 1 }]);
  return mode === 'rebuild' ? rebuild(t, topics, o) : scratch(t, topics, mode, o);
}

async function rebuild(t: ReplayTarget, topics: string[], o: ReplayOptions): Promise<ReplayReport> {
  const started = Date.now();
  const total = await endTotal(t.bus, topics);
  let done = 0;
  o.onProgress?.(0, total);
  const projection = new MongoProjection({
    name: t.projection.name,
    db: t.db,
    handlers: t.projection.handlers,
    pointerPollMs: 0,
    onApplied: (events) => {
      done += events.length;
      o.onProgress?.(Math.min(done, total), total);
    },
  });
  let skipped = 0;
  try {
    const r = await projection.rebuild({
      bus: t.bus,
      topics,
      dlqTopic: deadLetterTopic(t.topicPrefix),
      // The services' group names: their instances follow the pointer into this group.
      groupPrefix: `${t.topicPrefix}hrp.${t.context.name}.`,
      revision: t.projection.revision ?? 1,
      timeoutMs: o.timeoutMs ?? 600_000,
      onDeadLetter: () => skipped++,
    });
    o.onProgress?.(total, total);
    return {
      projection: t.projection.name,
      mode: 'rebuild',
      events: r.messages,
      documents: r.documents,
      ms: Date.now() - started,
      generation: { previous: r.previous, next: r.generation },
      skipped,
      notes: [],
    };
  } finally {
    // This process's consumer of the new generation: the services' instances take over its group.
    await projection.stop();
  }
}

async function scratch(t: ReplayTarget, topics: string[], mode: ReplayMode, o: ReplayOptions): Promise<ReplayReport> {
  const started = Date.now();
  const name = t.projection.name;
  const runId = o.runId ?? Date.now().toString(36);
  const reader = new TopicFold({
    bus: t.bus,
    topics,
    handlers: t.projection.handlers,
    groupId: `${t.topicPrefix}hrp.${t.context.name}.replay.${name}.${runId}`,
    until: o.until?.getTime(),
    onProgress: o.onProgress,
  });
  const target = mode === 'as-of' ? `${name}__asof_${o.until!.toISOString().replace(/[-:.]/g, '')}` : `${name}__replay_${runId}`;
  const deadline = started + (o.timeoutMs ?? 600_000);
  const notes: string[] = [];
  let comparison: Comparison | undefined;
  let documents = 0;
  try {
    await reader.start();
    for (let pass = 1; ; pass++) {
      await reader.reached(deadline);
      let live: string | undefined;
      if (mode === 'verify') {
        live = await liveCollection(t.db, name);
        if (!(await caughtUp(t.db, live, reader.fold.checkpoints(), o.catchUpMs ?? 30_000)))
          notes.push(`the live read model ${live} had not reached the end of the topics after ${o.catchUpMs ?? 30_000} ms`);
      }
      documents = await writeCollection(t.db, target, reader.fold.documents());
      if (!live) break;
      comparison = await compareCollections(t.db.collection(live), t.db.collection(target), o.ignore);
      if (isEqual(comparison) || pass >= (o.passes ?? 3)) break;
      // Events that arrived since the capture explain differences of documents the live view
      // already updated: read up to the new ends and compare again. Nothing new: they are real.
      if (!(await reader.capture())) break;
      notes.length = 0;
      notes.push(`the topics moved on during pass ${pass}: compared again`);
    }
    if (reader.skipped > 0)
      notes.push(`${reader.skipped} message(s) skipped: unparseable or refused by a handler (dead-lettered when live)`);
    o.onProgress?.(reader.messages, reader.total());
    return {
      projection: name,
      mode,
      events: reader.messages,
      documents,
      ms: Date.now() - started,
      ...(mode === 'as-of' && !o.dryRun ? { collection: target } : {}),
      ...(comparison ? { comparison } : {}),
      skipped: reader.skipped,
      notes,
    };
  } finally {
    await reader.stop();
    if (mode !== 'as-of' || o.dryRun)
      await t.db
        .collection(target)
        .drop()
        .catch(() => undefined);
  }
}

export function isEqual(c: Comparison): boolean {
  return c.differing.length === 0 && c.missing.length === 0 && c.extra.length === 0;
}

/** Sum over the topics' partitions of the messages they hold now. */
async function endTotal(bus: MessageBus, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) for (const p of await bus.topicOffsets(topic)) total += Number(BigInt(p.high) - BigInt(p.low));
  return total;
}

/** Waits (bounded) until the live generation's checkpoints reached every source position the replay folded. */
async function caughtUp(db: mongo.Db, live: string, folded: ReadonlyMap<string, number>, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    const docs = await db
      .collection<{ _id: string; collection: string; position: number }>(CHECKPOINTS)
      .find({ collection: live })
      .toArray();
    const at = new Map(docs.map((d) => [d._id.slice(live.length + 1), d.position]));
    if ([...folded].every(([source, position]) => (at.get(source) ?? 0) >= position)) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** (Re)creates `name` holding exactly `docs`, written as a rebuild writes a generation. */
async function writeCollection(db: mongo.Db, name: string, docs: readonly ProjectionDocument[]): Promise<number> {
  await db
    .collection(name)
    .drop()
    .catch(() => undefined);
  await db.createCollection(name).catch((e: unknown) => {
    if ((e as { code?: number }).code !== 48) throw e; // NamespaceExists
  });
  const col = db.collection<ProjectionDocument>(name);
  for (let i = 0; i < docs.length; i += REBUILD_INSERT_BATCH)
    await col.insertMany(docs.slice(i, i + REBUILD_INSERT_BATCH), { ordered: true });
  return docs.length;
}

/**
 * Compares two read models document by document: a SHA-256 per document over its canonical JSON
 * (every field but `ignore`, bookkeeping included), both as the store returns them. The first
 * {@link DIFF_DETAIL} differing documents get the names of their differing top-level fields.
 */
export async function compareCollections(
  live: mongo.Collection,
  replayed: mongo.Collection,
  ignore: readonly string[] = [],
): Promise<Comparison> {
  const skip = new Set(ignore);
  const sums = async (col: mongo.Collection) => {
    const m = new Map<string, string>();
    for await (const d of col.find({})) m.set(String(d._id), documentChecksum(d, skip));
    return m;
  };
  const [a, b] = await Promise.all([sums(live), sums(replayed)]);
  const differ: string[] = [];
  const missing: string[] = [];
  let equal = 0;
  for (const [id, sum] of b) {
    const other = a.get(id);
    if (other === undefined) missing.push(id);
    else if (other === sum) equal++;
    else differ.push(id);
  }
  const extra = [...a.keys()].filter((id) => !b.has(id));
  const differing: DocumentDifference[] = [];
  for (const [i, id] of differ.sort().entries()) {
    if (i >= DIFF_DETAIL) {
      differing.push({ id, fields: [] });
      continue;
    }
    const [x, y] = await Promise.all([live.findOne({ _id: id as never }), replayed.findOne({ _id: id as never })]);
    const keys = [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])].filter((k) => !skip.has(k)).sort();
    differing.push({ id, fields: keys.filter((k) => canonicalJson(x?.[k]) !== canonicalJson(y?.[k])) });
  }
  return {
    live: live.collectionName,
    liveCount: a.size,
    replayedCount: b.size,
    equal,
    differing,
    missing: missing.sort(),
    extra: extra.sort(),
  };
}

interface TopicFoldOptions {
  bus: ReplayBus;
  topics: readonly string[];
  handlers: Readonly<Record<string, ProjectionHandler>>;
  groupId: string;
  until?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads topics from the start with a consumer group of its own, up to their ends as captured
 * (capture() again to go further), folding every event into a {@link FoldedGeneration}: the same
 * handlers and the same per-stream version rule as the live path. Nothing is dead-lettered:
 * a replay only reads.
 */
class TopicFold {
  readonly fold: FoldedGeneration;
  messages = 0;
  skipped = 0;
  private readonly next = new Map<string, bigint>();
  private targets = new Map<string, bigint>();
  private lows = new Map<string, bigint>();
  private subscriber?: Subscriber;
  private failure?: Error;

  constructor(private readonly opts: TopicFoldOptions) {
    this.fold = new FoldedGeneration(opts.handlers);
  }

  async start(): Promise<void> {
    await this.capture();
    this.opts.onProgress?.(0, this.total());
    this.subscriber = this.opts.bus.subscriber({
      groupId: this.opts.groupId,
      topics: this.opts.topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: 3,
      sliceSize: REBUILD_SLICE,
    });
    await this.subscriber.run((batch) => Promise.resolve(this.handle(batch)));
  }

  /** Captures the topics' ends as the target; true when one moved since the last capture. */
  async capture(): Promise<boolean> {
    const targets = new Map<string, bigint>();
    for (const topic of this.opts.topics)
      for (const p of await this.opts.bus.topicOffsets(topic)) {
        this.lows.set(`${topic}:${p.partition}`, BigInt(p.low));
        if (BigInt(p.high) > BigInt(p.low)) targets.set(`${topic}:${p.partition}`, BigInt(p.high));
      }
    const moved = [...targets].some(([tp, high]) => high !== this.targets.get(tp));
    this.targets = targets;
    return moved;
  }

  total(): number {
    let n = 0;
    for (const [tp, high] of this.targets) n += Number(high - (this.lows.get(tp) ?? 0n));
    return n;
  }

  /** Resolves once every partition was read up to its target. */
  async reached(deadline: number): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if ([...this.targets].every(([tp, high]) => (this.next.get(tp) ?? 0n) >= high)) return;
      if (Date.now() > deadline) throw new Error(`replay of ${this.opts.topics.join(', ')} timed out (group ${this.opts.groupId})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await this.subscriber?.stop();
    await this.opts.bus.deleteGroups?.([this.opts.groupId]).catch(() => undefined);
  }

  private handle(batch: IncomingBatch): void {
    if (this.failure) return;
    const tp = `${batch.topic}:${batch.partition}`;
    const from = this.next.get(tp) ?? 0n;
    const events: StoredEvent[] = [];
    let read = 0;
    for (const m of batch.messages) {
      // A batch delivered again (a rebalance) is read once.
      if (BigInt(m.offset) < from) continue;
      read++;
      const p = parseMessage(m);
      if (!p.ok) this.skipped++;
      else if (this.opts.until === undefined || Date.parse(p.event.metadata.time) <= this.opts.until) events.push(p.event);
    }
    try {
      this.skipped += this.fold.add(events, tp).failed.length;
    } catch (e) {
      // An update the store would refuse: the live view could not apply it either.
      this.failure = e instanceof Error ? e : new Error(String(e));
      return;
    }
    this.messages += read;
    const last = batch.messages[batch.messages.length - 1];
    if (last && BigInt(last.offset) + 1n > from) this.next.set(tp, BigInt(last.offset) + 1n);
    this.opts.onProgress?.(this.messages, this.total());
  }
}
