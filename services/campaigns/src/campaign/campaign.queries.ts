import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { isRegion } from '@hrp/contracts';
import { decodeCursor, encodeCursor, graphQLError, isIsoDate, pageSize, type Connection } from '@hrp/graphql-kit';
import { campaignFromView, type CampaignGraph } from './campaign.graph';
import { CampaignsRuntime } from './campaign.runtime';
import type { CampaignViewDoc } from './projections/campaign-view.projection';

export interface CampaignFilter {
  status?: string[] | null;
  region?: string | null;
  theme?: string | null;
  from?: string | null;
  to?: string | null;
  search?: string | null;
}

const MAX_SEARCH = 200;

/** Escapes a user's text for a literal match inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the store filter from typed, checked values only: strings are matched literally (a `$`
 * in a search or theme is text, never an operator), never spread from client objects.
 */
export function campaignFilter(f: CampaignFilter | null | undefined): mongo.Filter<CampaignViewDoc> {
  const q: Record<string, unknown> = { _version: { $gt: 0 } };
  if (!f) return q;
  if (f.status?.length) q.status = { $in: f.status.map(String) };
  if (f.region != null) {
    if (!isRegion(f.region)) throw graphQLError('BAD_USER_INPUT', `unknown region "${f.region}"`, { field: 'filter.region' });
    q.regions = f.region;
  }
  if (f.theme != null) {
    if (typeof f.theme !== 'string' || f.theme.length > 100)
      throw graphQLError('BAD_USER_INPUT', 'theme is at most 100 characters', { field: 'filter.theme' });
    q.themes = f.theme;
  }
  for (const k of ['from', 'to'] as const) {
    const v = f[k];
    if (v != null && !isIsoDate(v)) throw graphQLError('BAD_USER_INPUT', `invalid ${k} date`, { field: `filter.${k}` });
  }
  if (f.from != null && f.to != null && f.to < f.from)
    throw graphQLError('BAD_USER_INPUT', 'filter.to is before filter.from', { field: 'filter.to' });
  // Campaigns whose period overlaps [from, to].
  if (f.from != null) q.endDate = { $gte: f.from };
  if (f.to != null) q.startDate = { $lte: f.to };
  if (f.search != null) {
    const s = f.search.trim().toLocaleLowerCase();
    if (s.length > MAX_SEARCH)
      throw graphQLError('BAD_USER_INPUT', `search is at most ${MAX_SEARCH} characters`, { field: 'filter.search' });
    if (s.length > 0) q.searchText = { $regex: escapeRegex(s) };
  }
  return q;
}

/** Queries served from the campaign read model, with read-your-writes through `minPosition`. */
@Injectable()
export class CampaignQueries {
  constructor(private readonly runtime: CampaignsRuntime) {}

  async byId(id: string, minPosition?: string | null): Promise<CampaignGraph | null> {
    if (minPosition != null) await this.runtime.waitFor(checkedToken(minPosition), id);
    const doc = await (await this.runtime.viewCollection()).findOne({ _id: id, _version: { $gt: 0 } });
    return doc ? campaignFromView(doc) : null;
  }

  async list(
    filter: CampaignFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    minPosition?: string | null,
  ): Promise<Connection<CampaignGraph>> {
    const size = pageSize(first);
    const where = campaignFilter(filter);
    if (minPosition != null) await this.runtime.waitFor(checkedToken(minPosition));
    const col = await this.runtime.viewCollection();
    const page: mongo.Filter<CampaignViewDoc> = after
      ? { ...where, createdPosition: { $gt: decodeCursor<{ p: number }>(after, ['p']).p } }
      : where;
    const [docs, totalCount] = await Promise.all([
      col
        .find(page)
        .sort({ createdPosition: 1 })
        .limit(size + 1)
        .toArray(),
      col.countDocuments(where),
    ]);
    const nodes = docs.slice(0, size);
    const edges = nodes.map((d) => ({ node: campaignFromView(d), cursor: encodeCursor({ p: d.createdPosition }) }));
    return { edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }
}

function checkedToken(token: string): string {
  if (!/^\d{1,19}$/.test(token)) throw graphQLError('BAD_USER_INPUT', 'invalid minPosition token', { field: 'minPosition' });
  return token;
}
