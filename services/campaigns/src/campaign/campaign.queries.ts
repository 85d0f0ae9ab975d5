import type { mongo } from 'mongoose';
import { isRegion } from '@hrp/contracts';
import { addSearch } from '@hrp/context-kit';
import { graphQLError, isIsoDate } from '@hrp/graphql-kit';
import type { CampaignViewDoc } from './projections/campaign-view.projection';

export interface CampaignFilter {
  status?: string[] | null;
  region?: string | null;
  theme?: string | null;
  from?: string | null;
  to?: string | null;
  search?: string | null;
}

/**
 * Builds the store filter from typed, checked values only: strings are matched literally (a `$`
 * in a search or theme is text, never an operator), never spread from client objects. One status
 * is an equality, which the store narrows by (context-kit paging.ts); several are an `$in`.
 */
export function campaignFilter(f: CampaignFilter | null | undefined): mongo.Filter<CampaignViewDoc> {
  const q: Record<string, unknown> = {};
  if (!f) return q;
  if (f.status?.length) q.status = f.status.length === 1 ? String(f.status[0]) : { $in: f.status.map(String) };
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
  // Every word of the search starts a word of a title (any language), case and accents ignored.
  if (f.search != null) addSearch(q, f.search);
  return q;
}
