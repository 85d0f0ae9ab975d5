import { randomUUID } from 'node:crypto';
import { anchorHash, commitHash, GENESIS, UNCHAINED } from './chain';
import { type AnchorDoc, type ChainMigrationDoc, type CommitDoc, positionKey } from './documents';
import { isDuplicateKeyError } from './errors';
import type { EventStore } from './event-store';

/** What went wrong at the first bad position. */
export type TamperReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'unchained';

/** The first place where the log does not verify. */
export interface BadPosition {
  readonly reason: TamperReason;
  /** Global position where it shows (for a deletion found by a hole: the first missing position). */
  readonly position: number;
  readonly streamId?: string;
  /** Stream version concerned (for a deletion: the first missing version). */
  readonly version?: number;
  readonly detail: string;
}

/** A chain migration as recorded in `es_anchors`. */
export interface ChainMigration {
  readonly id: string;
  readonly at: Date;
  readonly by: string;
  readonly streams: number;
  readonly commits: number;
}

/** Outcome of a verification. `ok` is false when anything is bad or not chained yet. */
export interface AuditReport {
  readonly ok: boolean;
  readonly streams: number;
  readonly commits: number;
  /** Commits hashed by a chain migration rather than at append ("chained by migration on …"). */
  readonly migratedCommits: number;
  readonly migrations: readonly ChainMigration[];
  /** Anchors checked (verifyAll only) and the position the last one seals. */
  readonly anchors: number;
  readonly anchoredTo: number;
  /** Hash of the last anchor: keep it outside the store to make a rewrite of the whole log evident. */
  readonly lastAnchorHash?: string;
  readonly firstBad?: BadPosition;
}

/** Outcome of {@link AuditTrail.migrateChain}. */
export interface MigrationResult {
  /** Absent when there was nothing to chain (then nothing was recorded). */
  readonly migration?: ChainMigration;
  readonly streams: number;
  readonly commits: number;
}

/** What verification keeps of a commit (the events are hashed on the way in and dropped). */
interface Entry {
  readonly id: string;
  readonly streamId: string;
  readonly firstVersion: number;
  readonly lastVersion: number;
  readonly position: number;
  readonly lastPosition: number;
  readonly hash?: string;
  readonly previousHash?: string;
  readonly chainedBy?: string;
  /** The stored hash is the hash of the stored content, and the document's shape is consistent. */
  readonly contentOk: boolean;
}

interface Problem extends BadPosition {
  /** For a version gap: the last position of the commit before it (to match a hole in the global order). */
  readonly after?: number;
}

const ANCHOR_BATCH = 256;
/** Commits sealed by one anchor at most (a long unanchored log gets several). */
const ANCHOR_MAX_COMMITS = 50_000;

function entryOf(c: CommitDoc): Entry {
  const n = Array.isArray(c.events) ? c.events.length : -1;
  const shapeOk = c._id === positionKey(c.position) && c.lastVersion - c.firstVersion + 1 === n && c.lastPosition - c.position + 1 === n;
  const contentOk =
    shapeOk &&
    typeof c.hash === 'string' &&
    typeof c.previousHash === 'string' &&
    commitHash({ ...c, previousHash: c.previousHash }) === c.hash;
  return {
    id: c._id,
    streamId: c.streamId,
    firstVersion: c.firstVersion,
    lastVersion: c.lastVersion,
    position: c.position,
    lastPosition: c.lastPosition,
    ...(c.hash !== undefined ? { hash: c.hash } : {}),
    ...(c.previousHash !== undefined ? { previousHash: c.previousHash } : {}),
    ...(c.chainedBy !== undefined ? { chainedBy: c.chainedBy } : {}),
    contentOk,
  };
}

const at = (c: Entry, reason: TamperReason, detail: string, position = c.position, version = c.firstVersion): Problem => ({
  reason,
  position,
  streamId: c.streamId,
  version,
  detail,
});

/**
 * The first problem of one stream, in version order (its chain's order). Each commit must start
 * at the next version, hash to its stored hash, link to its predecessor's hash (`genesis` first;
 * `unchained` only after a commit chained by a migration) and lie after it in the global order.
 * When a link is broken, the hash it names tells which tampering it was.
 */
function checkStream(unsorted: readonly Entry[]): Problem | undefined {
  const commits = [...unsorted].sort((a, b) => a.firstVersion - b.firstVersion || a.position - b.position);
  const byHash = new Map<string, Entry>();
  for (const c of commits) if (c.hash) byHash.set(c.hash, c);
  let expected = 1;
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i];
    const prev = commits[i - 1];
    const next = commits[i + 1];
    if (c.firstVersion < expected) return at(c, 'inserted', `a second commit claims version ${c.firstVersion}`);
    if (c.firstVersion > expected) {
      return {
        ...at(c, 'deleted', `versions ${expected}..${c.firstVersion - 1} are missing before position ${c.position}`, c.position, expected),
        after: prev?.lastPosition ?? 0,
      };
    }
    expected = c.lastVersion + 1;
    const expectedPrev = prev ? (prev.hash ?? UNCHAINED) : GENESIS;
    const linkOk =
      c.hash !== undefined &&
      (c.previousHash === expectedPrev || (c.previousHash === UNCHAINED && prev?.chainedBy !== undefined && prev.hash !== undefined));
    const inOrder = !prev || c.position > prev.lastPosition;
    if (linkOk && c.contentOk && inOrder) continue;
    if (!c.hash) {
      // A commit outside the chain: skipped by its successor's link (a forgery), or not chained yet.
      if (next?.hash && next.previousHash !== UNCHAINED && next.previousHash === expectedPrev)
        return at(c, 'inserted', 'a commit without a hash that the chain skips');
      return at(c, 'unchained', 'written before the hash chain; run the chain migration');
    }
    if (!linkOk) {
      const pointed = c.previousHash === undefined ? undefined : byHash.get(c.previousHash);
      if (pointed && pointed.firstVersion > c.firstVersion) {
        return at(
          c,
          'reordered',
          `version ${c.firstVersion} links to version ${pointed.firstVersion}`,
          Math.min(c.position, pointed.position),
        );
      }
      if (next && next.previousHash === expectedPrev) return at(c, 'inserted', 'the chain skips this commit');
      if (pointed && prev && pointed.firstVersion < prev.firstVersion) {
        const forged = commits[commits.indexOf(pointed) + 1];
        return at(forged, 'inserted', `version ${c.firstVersion} links past it to version ${pointed.firstVersion}`);
      }
      if (!pointed && c.previousHash !== GENESIS) return at(c, 'deleted', 'its predecessor in the chain is missing');
      return at(c, 'edited', 'its link to the previous commit was changed');
    }
    if (!c.contentOk) return at(c, 'edited', 'its content does not match its hash');
    return at(c, 'reordered', `it precedes version ${prev?.firstVersion} in the global order`, c.position, prev?.firstVersion);
  }
  return undefined;
}

/**
 * Tamper evidence of the event log (issue 15): verifies the per-stream hash chains and the
 * anchors of the global order, seals the global order with anchors, and chains logs written
 * before the chain existed (once, recorded). Reads the store directly; snapshots are caches and
 * are not covered.
 *
 * Threat model: the hashes are not keyed, so someone who can write the store and rewrites a
 * stream's whole tail consistently is caught only by an anchor, and a rewrite of everything
 * including the anchors only by comparing `lastAnchorHash` with a copy kept elsewhere.
 */
export class AuditTrail {
  constructor(readonly store: EventStore) {}

  /** Verifies one stream's chain (no anchors: they are over the global order). */
  async verifyStream(streamId: string): Promise<AuditReport> {
    const entries = (await this.store.commits.find({ streamId }).toArray()).map(entryOf);
    const bad = checkStream(entries);
    return this.report(entries, 1, bad ? [bad] : [], { anchors: 0, anchoredTo: 0 });
  }

  /** Verifies every stream, the global order (no holes, no overlaps) and every anchor. */
  async verifyAll(): Promise<AuditReport> {
    const entries: Entry[] = [];
    // One pass over the collection (on FerretDB every query reads it whole anyway).
    for await (const c of this.store.commits.find({})) entries.push(entryOf(c));
    const streams = new Map<string, Entry[]>();
    for (const e of entries) {
      const list = streams.get(e.streamId);
      if (list) list.push(e);
      else streams.set(e.streamId, [e]);
    }
    const problems: Problem[] = [];
    for (const list of streams.values()) {
      const p = checkStream(list);
      if (p) problems.push(p);
    }
    const ordered = [...entries].sort((a, b) => a.position - b.position);
    let expected = 1;
    for (const e of ordered) {
      if (e.position > expected) {
        const hole = expected;
        const gap = problems.find((p) => p.after !== undefined && p.after < hole && p.position > hole);
        problems.push({
          reason: 'deleted',
          position: hole,
          ...(gap ? { streamId: gap.streamId, version: gap.version } : {}),
          detail: `positions ${hole}..${e.position - 1} are missing from the global order`,
        });
        break;
      }
      if (e.position < expected) {
        problems.push(at(e, 'inserted', `its positions overlap the commit before (up to ${expected - 1})`));
        break;
      }
      expected = e.lastPosition + 1;
    }
    const anchors = await this.checkAnchors(ordered, problems);
    return this.report(entries, streams.size, problems, anchors);
  }

  /**
   * Seals the global order from the last anchor to the contiguous head with a new anchor (none
   * when nothing new is chained). Stops before a hole or a commit not chained yet. Safe to run
   * from several instances: the unique `anchor:<seq>` lets one win.
   */
  async anchor(now: Date = new Date()): Promise<AnchorDoc | null> {
    const last = await this.lastAnchor();
    const from = last ? last.position + 1 : 1;
    const hashes: string[] = [];
    let position = from - 1;
    fetch: while (hashes.length < ANCHOR_MAX_COMMITS) {
      const batch = await this.store.readCommits(position + 1, ANCHOR_BATCH);
      if (batch.length === 0 || batch[0].position !== position + 1) break;
      for (const c of batch) {
        if (!c.hash) break fetch;
        hashes.push(c.hash);
        position = c.lastPosition;
      }
    }
    if (hashes.length === 0) return null;
    const previousAnchorHash = last?.hash ?? GENESIS;
    const seq = (last?.seq ?? 0) + 1;
    const doc: AnchorDoc = {
      _id: `anchor:${seq}`,
      kind: 'anchor',
      seq,
      fromPosition: from,
      position,
      commits: hashes.length,
      hash: anchorHash({ previousAnchorHash, fromPosition: from, position, commitHashes: hashes }),
      previousAnchorHash,
      createdAt: now,
    };
    try {
      await this.store.anchors.insertOne(doc);
    } catch (e) {
      if (isDuplicateKeyError(e)) return null; // another instance anchored first
      throw e;
    }
    return doc;
  }

  /**
   * Chains the commits that have no hash yet (written before the chain existed, or by an older
   * instance), stream by stream in version order from the stored hash before them, marks them
   * `chainedBy` and records the migration. Idempotent: a second run finds nothing to do.
   */
  async migrateChain(by: string, now: Date = new Date()): Promise<MigrationResult> {
    const unchained = await this.store.commits.find({ hash: { $exists: false } }, { projection: { _id: 0, streamId: 1 } }).toArray();
    const streamIds = [...new Set(unchained.map((c) => c.streamId))];
    if (streamIds.length === 0) return { streams: 0, commits: 0 };
    const id = `migration:${now.toISOString()}:${randomUUID().slice(0, 8)}`;
    let commits = 0;
    for (const streamId of streamIds) {
      const stream = await this.store.commits.find({ streamId }).toArray();
      stream.sort((a, b) => a.firstVersion - b.firstVersion || a.position - b.position);
      let previousHash = GENESIS;
      for (const c of stream) {
        if (c.hash) {
          previousHash = c.hash;
          continue;
        }
        const hash = commitHash({ ...c, previousHash });
        const r = await this.store.commits.updateOne(
          { _id: c._id, hash: { $exists: false } },
          { $set: { hash, previousHash, chainedBy: id } },
        );
        if (r.modifiedCount === 1) {
          commits++;
          previousHash = hash;
        } else {
          previousHash = (await this.store.commits.findOne({ _id: c._id }, { projection: { hash: 1 } }))?.hash ?? UNCHAINED;
        }
      }
    }
    const record: ChainMigrationDoc = { _id: id, kind: 'migration', at: now, by, streams: streamIds.length, commits };
    await this.store.anchors.insertOne(record);
    return { migration: migrationOf(record), streams: streamIds.length, commits };
  }

  private async lastAnchor(): Promise<AnchorDoc | null> {
    const all = (await this.store.anchors.find({ kind: 'anchor' }).toArray()) as AnchorDoc[];
    return all.reduce<AnchorDoc | null>((best, a) => (!best || a.seq > best.seq ? a : best), null);
  }

  /**
   * Recomputes each anchor from the commits it covers. A mismatch counts only where no commit
   * in its range is already known bad (the commit check names the position; an anchor can only
   * name its range): a tail rewritten and re-hashed consistently is caught here.
   */
  private async checkAnchors(
    ordered: readonly Entry[],
    problems: Problem[],
  ): Promise<{ anchors: number; anchoredTo: number; lastAnchorHash?: string }> {
    const anchors = ((await this.store.anchors.find({ kind: 'anchor' }).toArray()) as AnchorDoc[]).sort((a, b) => a.seq - b.seq);
    const byPosition = new Map(ordered.map((e) => [e.position, e]));
    let previousAnchorHash = GENESIS;
    let from = 1;
    let seq = 1;
    let failed = false;
    for (const a of anchors) {
      const fail = (reason: TamperReason, detail: string) => {
        failed = true;
        const known = problems.some((p) => p.position >= a.fromPosition && p.position <= a.position);
        if (!known)
          problems.push({
            reason,
            position: a.fromPosition,
            detail: `anchor ${a.seq} (positions ${a.fromPosition}..${a.position}): ${detail}`,
          });
      };
      if (a.seq !== seq || a.fromPosition !== from || a.previousAnchorHash !== previousAnchorHash) {
        fail('edited', 'the anchors themselves do not follow each other');
        break;
      }
      // The seal is over the hashes the commits have now, and each must still match its content.
      const hashes: string[] = [];
      let missing = false;
      let edited = false;
      for (let p = a.fromPosition; p <= a.position;) {
        const c = byPosition.get(p);
        if (!c?.hash) {
          missing = true;
          break;
        }
        edited ||= !c.contentOk;
        hashes.push(c.hash);
        p = c.lastPosition + 1;
      }
      const hash = anchorHash({ previousAnchorHash, fromPosition: a.fromPosition, position: a.position, commitHashes: hashes });
      if (missing || edited || hash !== a.hash) {
        const reason: TamperReason = missing || hashes.length < a.commits ? 'deleted' : hashes.length > a.commits ? 'inserted' : 'edited';
        fail(reason, 'the commits no longer match their seal');
        break;
      }
      previousAnchorHash = a.hash;
      from = a.position + 1;
      seq++;
    }
    const last = anchors.at(-1);
    return {
      anchors: anchors.length,
      anchoredTo: failed ? from - 1 : (last?.position ?? 0),
      ...(last ? { lastAnchorHash: last.hash } : {}),
    };
  }

  private async report(
    entries: readonly Entry[],
    streams: number,
    problems: readonly Problem[],
    anchors: { anchors: number; anchoredTo: number; lastAnchorHash?: string },
  ): Promise<AuditReport> {
    const first = [...problems].sort((a, b) => a.position - b.position)[0];
    const migrations = ((await this.store.anchors.find({ kind: 'migration' }).toArray()) as ChainMigrationDoc[])
      .map(migrationOf)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    return {
      ok: first === undefined,
      streams: entries.length === 0 ? 0 : streams,
      commits: entries.length,
      migratedCommits: entries.filter((e) => e.chainedBy !== undefined).length,
      migrations,
      ...anchors,
      ...(first ? { firstBad: badOf(first) } : {}),
    };
  }
}

function badOf(p: Problem): BadPosition {
  return {
    reason: p.reason,
    position: p.position,
    ...(p.streamId !== undefined ? { streamId: p.streamId } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    detail: p.detail,
  };
}

function migrationOf(d: ChainMigrationDoc): ChainMigration {
  return { id: d._id, at: d.at, by: d.by, streams: d.streams, commits: d.commits };
}

/** Seals the global order of a store (what appends run every `anchorEvery` positions). */
export function anchorGlobalOrder(store: EventStore): Promise<AnchorDoc | null> {
  return new AuditTrail(store).anchor();
}
