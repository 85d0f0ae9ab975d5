import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { type Connection, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize } from '@hrp/graphql-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import { type Command, type DomainEvent, fold } from '@hrp/domain-kit';
import { EventStore } from '@hrp/event-store';
import { walkBuckets } from './paging';
import { ContextRuntime } from './runtime';
import type { AggregateDefinition } from './definition';

/** How long a list reuses the read model's position it read (see ReadModels.lastPosition). */
const POSITION_TTL_MS = 250;
/** How long a list's totalCount is shared (see ReadModels.count). */
const COUNT_TTL_MS = 2000;

/** A page request on a read model. */
export interface PageQuery<D> {
  /** The filter, built from checked values only (never spread from client objects). */
  readonly where: mongo.Filter<D>;

  readonly first?: number | null;
  readonly after?: string | null;
  readonly minPosition?: string | null;
}

/** A connection whose totalCount is computed only when a client selects it. */
export type LazyConnection<T> = Omit<Connection<T>, 'totalCount'> & { totalCount: () => Promise<number> };

/**
 * Queries on a context's read models with read-your-writes: by id (waiting for that stream) and
 * cursor-paged lists (cursors encode the sort key of their node, so inserts never shift a page).
 * Documents not yet created by their first event (`_version` 0) are never returned.
 */
@Injectable()
export class ReadModels {
  constructor(
    private readonly runtime: ContextRuntime,
    private readonly store: EventStore,
  ) {}

  /**
   * One entity by id, as the GraphQL type: from the read model, or — when the read model has no
   * document for it yet (its consumer lags behind the commit that created it) — folded from its
   * stream. So a client that reads what it has just created sees it, whatever the projection lag,
   * at the cost of one extra read only in that case. (Later changes show once the view has them;
   * pass `minPosition` to wait for a given write.)
   */
  async entity<D extends { _id: string }, G, C extends Command, E extends DomainEvent, S>(
    view: string,
    id: string,
    opts: {
      minPosition?: string | null;
      aggregate: Pick<AggregateDefinition<C, E, S>, 'decider' | 'exists'>;
      fromView: (doc: D) => G;
      fromState: (state: S, version: number) => G;
    },
  ): Promise<G | null> {
    const doc = await this.byId<D>(view, id, opts.minPosition);
    if (doc) return opts.fromView(doc);
    const events = await this.store.readStream(id);
    if (events.length === 0) return null;
    const state = fold(opts.aggregate.decider, events as unknown as E[]);
    return opts.aggregate.exists(state) ? opts.fromState(state, events.at(-1)!.streamVersion) : null;
  }

  async byId<D extends { _id: string }>(view: string, id: string, minPosition?: string | null): Promise<D | null> {
    await this.runtime.waitFor(view, minPosition, id);
    const col = (await this.runtime.view(view).collection()) as unknown as mongo.Collection<D>;
    return (await col.findOne({ _id: id, [VERSION_FIELD]: { $gt: 0 } } as unknown as mongo.Filter<D>)) as D | null;
  }

  /**
   * A page in `sortKey` order, read bucket by bucket, then block by block for a filter the store
   * narrows (see paging.ts): it costs a few reads, whatever the collection holds. `totalCount` is counted only when the client selects
   * it (GraphQL calls the function), and then it is a count of the matching documents, shared for
   * a short time (see `count`).
   */
  /**
   * The first `max` documents of a list read model that match `where`, in list order, read page by
   * page as `page` reads them (for a field that lists the entities naming another, e.g.
   * `Partner.campaigns`, bounded and in the list's order).
   */
  async collect<D extends { _id: string }>(view: string, where: mongo.Filter<D>, max: number): Promise<D[]> {
    const out: D[] = [];
    let after: string | null = null;
    while (out.length < max) {
      const p: LazyConnection<D> = await this.page<D>(view, { where, first: Math.min(MAX_PAGE_SIZE, max - out.length), after });
      out.push(...p.edges.map((e) => e.node));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    return out;
  }

  /**
   * The documents of `view` with these ids (a read model fed by another context, e.g. the partner
   * ids a campaign may name), waiting up to `waitMs` for ids it does not have yet: an entity
   * created a moment ago in its own context may not have reached this view. What is still missing
   * then is not returned (the decider refuses it). More than `max` ids are not looked up.
   */
  async lookUp<D extends { _id: string }>(
    view: string,
    ids: readonly string[] | null | undefined,
    opts: { max: number; waitMs: number; pollMs?: number },
  ): Promise<D[]> {
    const wanted = [...new Set((ids ?? []).filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0 || wanted.length > opts.max) return [];
    const deadline = Date.now() + opts.waitMs;
    for (;;) {
      const col = (await this.runtime.view(view).collection()) as unknown as mongo.Collection<D>;
      const docs = (await col.find({ _id: { $in: wanted }, [VERSION_FIELD]: { $gt: 0 } } as unknown as mongo.Filter<D>).toArray()) as D[];
      if (docs.length >= wanted.length || Date.now() >= deadline) return docs;
      await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 100, Math.max(0, deadline - Date.now()))));
    }
  }

  async page<D extends { _id: string }>(view: string, q: PageQuery<D>): Promise<LazyConnection<D>> {
    const size = pageSize(q.first);
    const where = { ...q.where, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<D>;
    const after = q.after != null ? decodeCursor<{ p: number }>(q.after, ['p']).p : undefined;
    await this.runtime.waitFor(view, q.minPosition);
    const list = this.runtime.listOf(view);
    const sortKey = list.sortKey as keyof D & string;
    const col = (await this.runtime.listCollection(view)) as unknown as mongo.Collection<D>;
    const minPosition = q.minPosition != null ? Number(q.minPosition) : 0;
    const docs = await walkBuckets(
      col as unknown as mongo.Collection<D & Record<string, unknown>>,
      where as mongo.Filter<D & Record<string, unknown>>,
      sortKey,
      size + 1,
      after,
      Math.max(minPosition || 0, await this.lastPosition(view)),
    );
    const nodes = docs.slice(0, size) as D[];
    const edges = nodes.map((d) => ({ node: d, cursor: encodeCursor({ p: d[sortKey] as number }) }));
    return {
      edges,
      pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: () => this.count(view, col as unknown as mongo.Collection, where as mongo.Filter<mongo.Document>, minPosition || 0),
    };
  }

  private readonly counts = new Map<string, { done?: number; position: number; count: Promise<number> }>();

  /**
   * The number of documents matching a list's filter. Counting is a scan on FerretDB 1.x (seconds
   * at 10,000 documents; MongoDB counts from the filter's index), so a count is shared: requests
   * for the same filter while it runs or within {@link COUNT_TTL_MS} after it (and at or past
   * their `minPosition`) get it. Lists are eventually consistent; so is this.
   */
  private count(view: string, col: mongo.Collection, where: mongo.Filter<mongo.Document>, minPosition: number): Promise<number> {
    const key = `${col.collectionName}:${JSON.stringify(where)}`;
    const known = this.counts.get(key);
    if (known && (known.done === undefined || Date.now() - known.done < COUNT_TTL_MS) && known.position >= minPosition) return known.count;
    // The read model is at `minPosition` at least (the page waited for it), and at the position
    // read before counting.
    const entry: { done?: number; position: number; count: Promise<number> } = { position: minPosition, count: Promise.resolve(0) };
    entry.count = (async () => {
      entry.position = Math.max(minPosition, await this.lastPosition(view));
      const n = await col.countDocuments(where);
      entry.done = Date.now();
      return n;
    })();
    entry.count.catch(() => this.counts.delete(key));
    if (this.counts.size > 1000) this.counts.clear();
    this.counts.set(key, entry);
    return entry.count;
  }

  private readonly positions = new Map<string, { at: number; position: Promise<number> }>();

  /**
   * The read model's position, where a list walk stops: read at most every
   * {@link POSITION_TTL_MS} (lists without `minPosition` are eventually consistent; with it, the
   * walk goes at least that far).
   */
  private lastPosition(view: string): Promise<number> {
    const known = this.positions.get(view);
    if (known && Date.now() - known.at < POSITION_TTL_MS) return known.position;
    const position = this.runtime.view(view).position();
    this.positions.set(view, { at: Date.now(), position });
    position.catch(() => this.positions.delete(view));
    return position;
  }
}
