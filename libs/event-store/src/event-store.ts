import { randomUUID } from 'node:crypto';
import type { EventMetadata, StoredEvent } from '@hrp/contracts';
import { ConcurrencyError } from '@hrp/domain-kit';
import type { Connection, mongo } from 'mongoose';
import { anchorGlobalOrder } from './audit';
import { commitHash, GENESIS, UNCHAINED } from './chain';
import { type AuditDoc, type CommitDoc, commitPage, type EventDoc, type MetaDoc, positionKey } from './documents';
import { isDuplicateKeyError } from './errors';
import { walkContiguous } from './gaps';
import { encodePosition } from './position';
import { SnapshotStore } from './snapshots';
import type {
  AppendOptions,
  AppendResult,
  EventStoreOptions,
  IdempotentCommit,
  ExpectedVersion,
  NewEvent,
  NewEventMetadata,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  Upcaster,
} from './types';

const HEAD_HINT = 'globalHead';
/** Commit ids looked up at once when walking the global order by `_id` (FerretDB). */
const LOOKUP_WINDOW = 8;
const IDEMPOTENCY_INDEX = 'idempotencyKey';

/** A version that was the stream's head at some moment, and the hash of the commit ending there. */
interface Tail {
  readonly version: number;
  readonly hash: string;
}

/**
 * An append whose idempotency key another commit already holds (a retried request that raced
 * its original): nothing was written; `commit` is the original.
 */
export class IdempotencyKeyTakenError extends Error {
  override readonly name = 'IdempotencyKeyTakenError';
  constructor(readonly commit: IdempotentCommit) {
    super(`idempotency key already recorded with the commit of ${commit.streamId} at version ${commit.lastVersion}`);
  }
}

/**
 * Event store on the MongoDB wire protocol, restricted to what FerretDB 1.x does atomically
 * (no transactions, no change streams, and — measured — no atomic `$inc`/findAndModify under
 * concurrency: concurrent increments lose updates). One append is one commit document holding
 * its events, written by one insert guarded by two unique keys:
 *
 * - **Stream order** — unique index `{streamId, firstVersion}`. A commit always starts at a
 *   version that was the stream's head at some moment, plus one. Commits of a stream are
 *   contiguous, so if the stream has moved on, a commit starting there exists and the insert
 *   collides. A collision becomes a {@link ConcurrencyError} carrying the actual version.
 * - **Global order** — the primary key `_id = positionKey(firstPosition)`. By the same argument
 *   on the global head, every commit starts exactly at the global head + 1, so positions are
 *   dense: no position is ever allocated without being committed, and there are no holes for a
 *   reader to skip (the pitfall of counter-allocated positions). Losing this race is retried
 *   internally and never surfaces.
 *
 * Every commit also carries `hash` and `previousHash`, a chain per stream (see chain.ts and
 * audit.ts): the previous commit's hash comes with the head the append inserts after (from the
 * loaded stream or the head read), so the chain costs no extra read, and the unique stream-order
 * key keeps it linear. Every `anchorEvery` positions an anchor seals the global order.
 *
 * Call {@link EventStore.init} once (idempotent) before use. Read from the primary.
 */
export class EventStore {
  readonly commits: mongo.Collection<CommitDoc>;
  readonly meta: mongo.Collection<MetaDoc>;
  /** Anchors of the global order and records of chain migrations (see audit.ts). */
  readonly anchors: mongo.Collection<AuditDoc>;
  /** Snapshots of folded states, keyed by stream id. */
  readonly snapshots: SnapshotStore;
  private readonly upcast?: Upcaster;
  private readonly anyRetries: number;
  private readonly clock: () => Date;
  private readonly headCacheSize: number;
  private readonly idempotencyTtlMs: number;
  private readonly anchorEvery: number;
  private readonly onBackgroundError: (error: unknown) => void;
  private anchoring: Promise<unknown> | null = null;
  /** Stream id -> a version that was the stream's head at some moment (safe to insert after), with its commit's hash. */
  private readonly heads = new Map<string, Tail>();
  /** A position that was the global head at some moment (-1: not known yet). */
  private globalHead = -1;
  private commitsSinceHint = 0;
  private turn: Promise<void> = Promise.resolve();
  /** FerretDB pushes down only `_id` equality: read the global order by lookups there. */
  private lookupsOnly = false;

  constructor(
    readonly connection: Connection,
    options: EventStoreOptions = {},
  ) {
    const prefix = options.collectionPrefix ?? 'es_';
    const db = connection.db;
    if (!db) throw new Error('EventStore needs an open mongoose connection (await asPromise() first)');
    this.commits = db.collection<CommitDoc>(`${prefix}commits`);
    this.meta = db.collection<MetaDoc>(`${prefix}meta`);
    this.anchors = db.collection<AuditDoc>(`${prefix}anchors`);
    this.snapshots = new SnapshotStore(db.collection(`${prefix}snapshots`));
    this.upcast = options.upcast;
    this.anyRetries = options.anyRetries ?? 10;
    this.headCacheSize = options.headCacheSize ?? 10_000;
    this.clock = options.clock ?? (() => new Date());
    this.idempotencyTtlMs = options.idempotencyTtlMs ?? 24 * 3600_000;
    // Off on the append path by default: an anchor reads the log since the last one (a scan on
    // FerretDB), which at 4 096 positions cost the 200 appends/s bench its rate. The context kit
    // writes anchors from a scheduled job instead (`audit-anchor`).
    this.anchorEvery = options.anchorEvery ?? 0;
    this.onBackgroundError = options.onBackgroundError ?? (() => undefined);
  }

  /** Creates the indexes (idempotent: safe at every start and from several instances). */
  async init(): Promise<void> {
    const wanted: mongo.IndexDescription[] = [
      { key: { streamId: 1, firstVersion: 1 }, name: 'stream_firstVersion', unique: true },
      { key: { lastPosition: 1 }, name: 'lastPosition' },
      { key: { idempotencyKey: 1 }, name: IDEMPOTENCY_INDEX, unique: true },
    ];
    // FerretDB 1.24 panics (and drops the connection) on a createIndexes whose specs all exist
    // already, so create only the missing ones, one per call (a single existing spec is fine).
    const existing = new Set(
      (
        await this.commits
          .listIndexes()
          .toArray()
          .catch(() => [] as { name?: unknown }[])
      ).map((i: { name?: unknown }) => String(i.name)),
    );
    // Commits written before idempotency keys existed get their own unique `commit:<_id>` first
    // (a one-time migration, run only while the index is missing).
    if (!existing.has(IDEMPOTENCY_INDEX)) await this.keyUnkeyedCommits();
    for (const spec of wanted) if (!existing.has(spec.name as string)) await this.commits.createIndexes([spec]);
    const info = await this.connection.db!.command({ buildInfo: 1 });
    this.lookupsOnly = 'ferretdbVersion' in info;
  }

  private async keyUnkeyedCommits(): Promise<void> {
    const ids = await this.commits
      .find({ idempotencyKey: { $exists: false } }, { projection: { _id: 1 } })
      .map((c) => c._id)
      .toArray();
    for (const id of ids) await this.commits.updateOne({ _id: id }, { $set: { idempotencyKey: `commit:${id}` } });
  }

  // ---------------------------------------------------------------- writing

  /**
   * Appends events to a stream as one atomic commit, if the stream is at `expectedVersion`.
   *
   * @param metadata one metadata for all events, or one per event.
   * @throws ConcurrencyError when the stream is not at the expected version (also when a racer
   *   won: never a raw duplicate-key error).
   */
  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: NewEventMetadata | readonly NewEventMetadata[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (!streamId) throw new RangeError('empty stream id');
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (Array.isArray(metadata) && metadata.length !== events.length) throw new RangeError('one metadata per event, or one for all');
    const docs: EventDoc[] = events.map((e, i) => {
      const m = (Array.isArray(metadata) ? metadata[i] : metadata) as NewEventMetadata;
      const meta: EventMetadata = {
        eventId: m.eventId ?? randomUUID(),
        time: m.time,
        actor: { subject: m.actor.subject, username: m.actor.username },
        correlationId: m.correlationId,
        ...(m.causationId !== undefined ? { causationId: m.causationId } : {}),
      };
      return { eventId: meta.eventId, type: e.type, schemaVersion: e.schemaVersion ?? 1, data: e.data, metadata: meta };
    });
    const expected = expectedVersion === 'no-stream' ? 0 : expectedVersion;
    const tail = await this.streamHeadFor(streamId, expected);
    // The global order is a chain: concurrent inserts from one process would only collide, so
    // this instance's appends take turns (other instances still race, and lose safely).
    const turn = this.turn.then(() => this.insertCommit(streamId, expected, tail, docs, options));
    this.turn = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async insertCommit(
    streamId: string,
    expected: number | 'any',
    streamTail: Tail,
    docs: EventDoc[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const n = docs.length;
    let head = streamTail.version;
    let previousHash = streamTail.hash;
    let global = this.globalHead >= 0 ? this.globalHead : await this.headPosition();
    let streamRetries = 0;
    // Global-order races are retried while the global head moves (someone made progress);
    // the cap only guards against a livelock.
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const first = global + 1;
      const chained = {
        streamId,
        firstVersion: head + 1,
        lastVersion: head + n,
        position: first,
        lastPosition: first + n - 1,
        committedAt: this.clock(),
        events: docs,
        previousHash,
      };
      const commit: CommitDoc = {
        _id: positionKey(first),
        ...chained,
        hash: commitHash(chained),
        idempotencyKey: options.idempotency?.key ?? `commit:${positionKey(first)}`,
        page: commitPage(first),
        ...(options.idempotency ? { requestHash: options.idempotency.requestHash } : {}),
      };
      try {
        await this.commits.insertOne(commit);
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        // FerretDB does not say which key collided: a taken idempotency key is checked first.
        if (options.idempotency) {
          const original = await this.findIdempotent(options.idempotency.key);
          if (original) throw new IdempotencyKeyTakenError(original);
        }
        // FerretDB does not say which key collided: the global head tells first.
        const moved = await this.walkGlobalHead(global);
        if (moved > global) {
          global = moved;
          continue;
        }
        const actualTail = await this.readTail(streamId);
        const actual = actualTail.version;
        if (actual === head) throw new Error(`commit ${commit._id} of ${streamId} collided with neither order`);
        if (expected === 'any' && streamRetries++ < this.anyRetries) {
          head = actual;
          previousHash = actualTail.hash;
          continue;
        }
        throw new ConcurrencyError(streamId, expected === 'any' ? head : expected, actual);
      }
      this.rememberHead(streamId, head + n, commit.hash);
      await this.advanceGlobalHead(commit.lastPosition);
      this.maybeAnchor(first, commit.lastPosition);
      return {
        nextExpectedVersion: head + n,
        firstPosition: first,
        lastPosition: commit.lastPosition,
        position: encodePosition(commit.lastPosition),
        events: docs.map((d, i) => this.toStored(commit, d, i, false)),
      };
    }
    throw new Error(`append to ${streamId} gave up after too many global-order races`);
  }

  /**
   * The version to insert after: a value that was the head at some moment (the cache holds only
   * such values; 0 always was). A stale value is harmless: the insert then collides.
   */
  private async streamHeadFor(streamId: string, expected: number | 'any'): Promise<Tail> {
    if (expected === 'any') return this.heads.get(streamId) ?? (await this.readTail(streamId));
    if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`invalid expected version ${expected}`);
    if (expected === 0) return { version: 0, hash: GENESIS };
    const cached = this.heads.get(streamId);
    if (cached?.version === expected) return cached;
    const actual = await this.readTail(streamId);
    if (actual.version !== expected) throw new ConcurrencyError(streamId, expected, actual.version);
    return actual;
  }

  /** Remembers a head with the hash of the commit ending there (UNCHAINED for a commit without one). */
  private rememberHead(streamId: string, version: number, hash: string | undefined): void {
    if (this.headCacheSize <= 0) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, { version, hash: version === 0 ? GENESIS : (hash ?? UNCHAINED) });
    if (this.heads.size > this.headCacheSize) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }

  /** Follows the chain of commits from a known global head by `_id` lookups. */
  private async walkGlobalHead(from: number): Promise<number> {
    let head = from;
    for (;;) {
      const next = await this.commits.findOne({ _id: positionKey(head + 1) }, { projection: { _id: 0, lastPosition: 1 } });
      if (!next) break;
      head = next.lastPosition;
    }
    this.globalHead = Math.max(this.globalHead, head);
    return head;
  }

  /** Records our commit; every 16 commits also the shared hint (lossy on FerretDB, so only a hint). */
  private async advanceGlobalHead(lastPosition: number): Promise<void> {
    this.globalHead = Math.max(this.globalHead, lastPosition);
    if (++this.commitsSinceHint < 16) return;
    this.commitsSinceHint = 0;
    await this.meta.updateOne({ _id: HEAD_HINT }, { $max: { value: lastPosition } }, { upsert: true }).catch(() => undefined);
  }

  /**
   * Seals the global order in the background when a commit reaches a multiple of `anchorEvery`
   * (one anchor at a time per instance; a racing instance's duplicate loses on the unique `_id`).
   */
  private maybeAnchor(first: number, last: number): void {
    const every = this.anchorEvery;
    if (every <= 0 || this.anchoring || Math.floor(last / every) === Math.floor((first - 1) / every)) return;
    this.anchoring = anchorGlobalOrder(this)
      .catch((e: unknown) => this.onBackgroundError(e))
      .finally(() => (this.anchoring = null));
  }

  /** Resolves once the background anchoring started by appends (if any) is over. */
  async anchored(): Promise<void> {
    await this.anchoring;
  }

  /**
   * The commit recorded with an idempotency key, if it is younger than the key's time to live.
   * An expired key is released (its commit keeps a key of its own) so that it can be used again.
   */
  async findIdempotent(key: string): Promise<IdempotentCommit | null> {
    const c = await this.commits.findOne(
      { idempotencyKey: key },
      { projection: { _id: 1, streamId: 1, lastVersion: 1, lastPosition: 1, requestHash: 1, committedAt: 1 } },
    );
    if (!c) return null;
    if (c.committedAt.getTime() + this.idempotencyTtlMs <= this.clock().getTime()) {
      await this.commits.updateOne({ _id: c._id, idempotencyKey: key }, { $set: { idempotencyKey: `commit:${c._id}` } });
      return null;
    }
    return {
      streamId: c.streamId,
      lastVersion: c.lastVersion,
      lastPosition: c.lastPosition,
      requestHash: c.requestHash ?? '',
      committedAt: c.committedAt,
    };
  }

  // ---------------------------------------------------------------- reading a stream

  /** The stream's current version (0 when it has no events). */
  async readHead(streamId: string): Promise<number> {
    return (await this.readTail(streamId)).version;
  }

  private async readTail(streamId: string): Promise<Tail> {
    const [last] = await this.commits
      .find({ streamId }, { projection: { _id: 0, lastVersion: 1, hash: 1 } })
      .sort({ firstVersion: -1 })
      .limit(1)
      .toArray();
    const version = last?.lastVersion ?? 0;
    this.rememberHead(streamId, version, last?.hash);
    return { version, hash: version === 0 ? GENESIS : (last?.hash ?? UNCHAINED) };
  }

  /**
   * The global position of the stream's last event at or before `position` (0 when the stream had
   * none by then): what a read model of the stream must have applied to be as fresh as `position`.
   */
  async streamPositionAt(streamId: string, position: number): Promise<number> {
    const [last] = await this.commits
      .find({ streamId, position: { $lte: position } }, { projection: { _id: 0, lastPosition: 1 } })
      .sort({ position: -1 })
      .limit(1)
      .toArray();
    return last?.lastPosition ?? 0;
  }

  /** The stream's events in version order, upcast. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromVersion ?? 1;
    const filter: mongo.Filter<CommitDoc> = { streamId, lastVersion: { $gte: from } };
    if (options.toVersion !== undefined) filter.firstVersion = { $lte: options.toVersion };
    const until = options.until === undefined ? undefined : new Date(options.until);
    if (until && Number.isNaN(until.getTime())) throw new RangeError(`invalid date ${String(options.until)}`);
    const commits = await this.commits.find(filter).sort({ firstVersion: 1 }).toArray();
    const out: StoredEvent[] = [];
    let expectedFirst: number | null = null;
    let complete = true;
    for (const c of commits) {
      if ((expectedFirst !== null && c.firstVersion !== expectedFirst) || (until && c.committedAt.getTime() > until.getTime())) {
        complete = false; // keep a consistent prefix
        break;
      }
      expectedFirst = c.lastVersion + 1;
      c.events.forEach((e, i) => {
        const v = c.firstVersion + i;
        if (v >= from && (options.toVersion === undefined || v <= options.toVersion)) out.push(this.toStored(c, e, i, true));
      });
    }
    const last = commits.at(-1);
    if (complete && !until && options.toVersion === undefined && last) this.rememberHead(streamId, last.lastVersion, last.hash);
    return out;
  }

  // ---------------------------------------------------------------- the global order

  /**
   * Events of all streams in global position order from `fromPosition` (inclusive; positions
   * start at 1), never past a position that is not committed (see gaps.ts). Whole commits are
   * returned, so a page may exceed `limit` by the rest of its last commit. `nextPosition` is
   * where to continue (store it as the checkpoint).
   */
  async readAll(fromPosition = 1, options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const limit = options.limit ?? 1000;
    const events: StoredEvent[] = [];
    let next = Math.max(1, fromPosition);
    for (;;) {
      const docs = await this.fetchCommits(next, Math.max(1, Math.min(limit - events.length, 256)));
      const walk = walkContiguous(next, docs);
      for (const c of walk.commits) {
        c.events.forEach((e, i) => {
          if (c.position + i >= next) events.push(this.toStored(c, e, i, true));
        });
        next = c.lastPosition + 1;
        if (events.length >= limit) break;
      }
      if (walk.commits.length === 0 || walk.holeAt !== undefined || events.length >= limit) {
        this.globalHead = Math.max(this.globalHead, next - 1);
        return { events, nextPosition: next };
      }
    }
  }

  /**
   * Raw commit documents in global order from the one containing `fromPosition` (at most `max`),
   * up to the first hole: what the audit seals and checks.
   */
  async readCommits(fromPosition: number, max = 256): Promise<CommitDoc[]> {
    const from = Math.max(1, fromPosition);
    return walkContiguous(from, await this.fetchCommits(from, Math.max(1, max))).commits;
  }

  /**
   * The highest position up to which every position is committed: what a reader can reach now
   * (read-your-writes: wait until a projection has passed this).
   */
  async headPosition(): Promise<number> {
    let from = Math.max(0, this.globalHead);
    if (from === 0) from = (await this.meta.findOne({ _id: HEAD_HINT }))?.value ?? 0;
    return this.walkGlobalHead(from);
  }

  /**
   * Commits from the one containing `position`, in order, up to a hole (a range elsewhere; pages
   * and lookups on FerretDB).
   */
  private async fetchCommits(position: number, max: number): Promise<CommitDoc[]> {
    if (!this.lookupsOnly) {
      const [containing] = await this.commits
        .find({ _id: { $lte: positionKey(position) } })
        .sort({ _id: -1 })
        .limit(1)
        .toArray();
      const rest = await this.commits
        .find({ _id: { $gt: positionKey(position) } })
        .sort({ _id: 1 })
        .limit(max)
        .toArray();
      return containing ? [containing, ...rest] : rest;
    }
    return this.fetchPages(position, max);
  }

  /**
   * FerretDB 1.x: every query scans the table in SQL whatever its filter (even by `_id`: its SQL
   * is `_jsonb->$1 @> $2`, which no index serves), so a query costs the same for one commit or a
   * page of them. Reads pages (an equality on `page`), then, where a page has no next commit,
   * looks it up once: commits written before pages existed are found by their `_id`.
   */
  private async fetchPages(position: number, max: number): Promise<CommitDoc[]> {
    const contains = (c: CommitDoc) => c.position <= position && c.lastPosition >= position;
    const pageOf = (page: number) => this.commits.find({ page }).toArray();
    let page = commitPage(position);
    let docs = await pageOf(page);
    // The commit holding `position` may start in the page before.
    if (!docs.some(contains) && page > 0) docs = [...(await pageOf(page - 1)), ...docs];
    const out: CommitDoc[] = [];
    let next = position;
    for (;;) {
      const byPosition = new Map(docs.filter((c) => c.lastPosition >= next).map((c) => [c.position, c]));
      const first = out.length === 0 ? docs.find(contains) : byPosition.get(next);
      if (first) {
        out.push(first);
        next = first.lastPosition + 1;
        for (let c = byPosition.get(next); c && out.length < max; c = byPosition.get(next)) {
          out.push(c);
          next = c.lastPosition + 1;
        }
      }
      if (out.length >= max) return out;
      if (commitPage(next) > page) {
        page = commitPage(next);
        docs = await pageOf(page);
        if (docs.length > 0) continue;
      }
      // A hole, the end, or commits without a page: those are found by lookups.
      return [...out, ...(await this.lookupCommits(next, max - out.length, out.length === 0))];
    }
  }

  /** Commits from `position` by `_id` lookups, a window at a time (the first may contain `position`). */
  private async lookupCommits(position: number, max: number, containing: boolean): Promise<CommitDoc[]> {
    let doc = await this.commits.findOne({ _id: positionKey(position) });
    // Not a commit boundary (a checkpoint from elsewhere): find the commit containing it.
    if (!doc && containing) doc = await this.commits.findOne({ position: { $lte: position }, lastPosition: { $gte: position } });
    const out: CommitDoc[] = [];
    // Positions are dense and a commit's _id is its first position, so the next commits start
    // at the next positions: look a window of candidate ids up at once, then walk the chain in
    // memory. Misses are cheap.
    const window = new Map<number, CommitDoc>();
    while (doc && out.length < max) {
      out.push(doc);
      const next = doc.lastPosition + 1;
      if (!window.has(next)) {
        window.clear();
        const found = await Promise.all(
          Array.from({ length: LOOKUP_WINDOW }, (_, i) => this.commits.findOne({ _id: positionKey(next + i) })),
        );
        for (const c of found) if (c) window.set(c.position, c);
      }
      doc = window.get(next) ?? null;
    }
    return out;
  }

  private toStored(c: CommitDoc, e: EventDoc, i: number, upcast: boolean): StoredEvent {
    const shape = upcast && this.upcast ? this.upcast({ type: e.type, schemaVersion: e.schemaVersion, data: e.data }) : e;
    return {
      streamId: c.streamId,
      streamVersion: c.firstVersion + i,
      position: c.position + i,
      type: shape.type,
      schemaVersion: shape.schemaVersion,
      data: shape.data,
      metadata: e.metadata,
    };
  }
}
