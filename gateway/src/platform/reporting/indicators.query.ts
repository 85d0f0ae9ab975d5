import { REGIONS } from '@hrp/contracts';
import { decodePosition } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import type { Principal } from '@hrp/auth';
import { eventsTopic, type MessageBus } from '@hrp/messaging';
import { config, CONTEXTS, type ContextName } from '../../config';
import { INDICATOR_BY_CODE, INDICATORS, type IndicatorDefinition } from './catalogue';
import { cellOf, type IndicatorSums, type ReportingStore } from './reporting.store';
import { achievementOf, lightOf, type TrafficLight } from './targets';

/** An indicator as the API shows it; `breakdown(by)` reads `sums`. */
export interface IndicatorView {
  /** Where the figure's facts are read, a page at a time (the drill-down). */
  facts: { store: ReportingStore; scope: Required<IndicatorArgs> };
  code: string;
  name: { fr: string; ar: string; en: string; zgh: string };
  unit: string;
  baseline: number | null;
  target: number | null;
  value: number;
  achievement: number | null;
  light: TrafficLight;
  national: boolean;
  stock: boolean;
  sums: IndicatorSums;
  definition: IndicatorDefinition;
}

export interface IndicatorArgs {
  year: number;
  quarter?: number | null;
  region?: string | null;
}

/**
 * The scope a caller reads: a regional officer reads their own region only (asking for another is
 * FORBIDDEN; asking for none gives theirs); everyone else any region or the whole country.
 */
export function checkIndicatorArgs(principal: Principal, args: IndicatorArgs): Required<IndicatorArgs> {
  if (!Number.isInteger(args.year) || args.year < 2000 || args.year > 2100)
    throw graphQLError('BAD_USER_INPUT', 'year: 2000 to 2100', { field: 'year' });
  if (args.quarter != null && (!Number.isInteger(args.quarter) || args.quarter < 1 || args.quarter > 4))
    throw graphQLError('BAD_USER_INPUT', 'quarter: 1 to 4', { field: 'quarter' });
  if (args.region != null && !(REGIONS as readonly string[]).includes(args.region))
    throw graphQLError('BAD_USER_INPUT', `region: one of ${REGIONS.join(', ')}`, { field: 'region' });
  let region = args.region ?? null;
  const regional = principal.roles.includes('regional-officer') && !principal.roles.some((r) => r === 'director' || r === 'me-officer');
  if (regional) {
    if (!principal.region) throw graphQLError('FORBIDDEN', 'a regional officer without a region reads no indicator');
    if (region !== null && region !== principal.region)
      throw graphQLError('FORBIDDEN', `a regional officer reads the indicators of ${principal.region} only`);
    region = principal.region;
  }
  if (principal.roles.length === 0) throw graphQLError('FORBIDDEN', 'reading indicators needs a role');
  return { year: args.year, quarter: args.quarter ?? null, region };
}

/** An indicator's figure for a scope, with its target (a yearly one: shown against the year's figures and any part of them). */
export async function indicatorView(
  store: ReportingStore,
  def: IndicatorDefinition,
  args: Required<IndicatorArgs>,
  target: { target: number; baseline: number } | null,
  thresholds: { onTrack: number; atRisk: number },
): Promise<IndicatorView> {
  const kind = { stock: def.stock, national: def.national };
  const sums = await store.sums(def.code, args.year, args.quarter, args.region, kind);
  if (def.per) {
    // A cost per person: the people of the same period, nationally.
    const people = await store.sums(def.per, args.year, args.quarter, null, {});
    sums.d = people.n;
  }
  if (def.breakdowns.includes('partnerType')) {
    const partners = Object.entries(sums.by.partner ?? {});
    const types = await store.partnerTypes(partners.map(([id]) => id));
    const byType: Record<string, { n: number; d: number }> = {};
    for (const [id, m] of partners) {
      const slot = (byType[types.get(id) ?? 'UNKNOWN'] ??= { n: 0, d: 0 });
      slot.n += m.n;
      slot.d += m.d;
    }
    sums.by.partnerType = byType;
  }
  const value = def.value(sums.n, sums.d);
  const achievement = achievementOf(value, target?.baseline ?? null, target?.target ?? null);
  return {
    code: def.code,
    name: { ...def.name },
    unit: def.unit,
    baseline: target?.baseline ?? null,
    target: target?.target ?? null,
    value,
    achievement,
    light: lightOf(achievement, thresholds),
    facts: { store, scope: args },
    national: def.national ?? false,
    stock: def.stock ?? false,
    sums,
    definition: def,
  };
}

export function indicatorOf(code: string): IndicatorDefinition | undefined {
  return INDICATOR_BY_CODE.get(code);
}

export const ALL_INDICATORS = INDICATORS;

/** `Indicator.breakdown(by)`: the slices of one dimension the indicator supports, by key. */
export function breakdownOf(v: IndicatorView, by: string): { key: string; value: number }[] {
  if (!v.definition.breakdowns.includes(by))
    throw graphQLError('BAD_USER_INPUT', `${v.code} breaks down by ${v.definition.breakdowns.join(', ')}`, { field: 'by' });
  return Object.entries(v.sums.by[by] ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, m]) => ({ key, value: v.definition.value(m.n, m.d) }));
}

/**
 * Read-your-writes across the contexts: a position token names no context, so for each context the
 * wait is for `min(token, its head)`. First that context's relay has published up to there (then
 * the topic holds the event), then the reporting consumer has committed every partition up to the
 * ends of the topics seen after that: everything published by then, the token's event included,
 * is in the facts.
 */
export async function waitForReporting(
  token: string,
  deps: {
    bus: MessageBus;
    groupId: string;
    logPositions(context: ContextName): Promise<{ head: number; published: number }>;
    timeoutMs: number;
  },
): Promise<void> {
  let position: number;
  try {
    position = decodePosition(token);
  } catch {
    throw graphQLError('BAD_USER_INPUT', 'minPosition: a position token a mutation answered', { field: 'minPosition' });
  }
  const until = Date.now() + deps.timeoutMs;
  const notReached = (why: string) =>
    graphQLError('POSITION_NOT_REACHED', `the reporting projections have not reached position ${token} yet (${why}): retry shortly`, {
      position: token,
      retryable: true,
    });
  const pause = () => new Promise((r) => setTimeout(r, 50));
  for (const context of CONTEXTS) {
    for (;;) {
      const { head, published } = await deps.logPositions(context);
      if (published >= Math.min(position, head)) break;
      if (Date.now() > until) throw notReached(`${context} has published up to ${published} of ${head}`);
      await pause();
    }
  }
  const topics = CONTEXTS.map((c) => eventsTopic(c, config.KAFKA_TOPIC_PREFIX));
  const ends = await Promise.all(topics.map((t) => deps.bus.topicOffsets(t)));
  for (let i = 0; i < topics.length; i++) {
    for (;;) {
      const committed = new Map((await deps.bus.groupOffsets(deps.groupId, topics[i])).map((p) => [p.partition, BigInt(p.offset)]));
      const behind = ends[i].filter((p) => BigInt(p.high) !== BigInt(p.low) && (committed.get(p.partition) ?? -1n) < BigInt(p.high));
      if (behind.length === 0) break;
      if (Date.now() > until)
        throw notReached(
          `${topics[i]} partition ${behind[0].partition}: ${committed.get(behind[0].partition) ?? 'nothing'} of ${behind[0].high} handled`,
        );
      await pause();
    }
  }
}

/** `Indicator.drillDown(first, after)`: the facts of the figure by cell then id, a page at a time (one more read to know whether there is a next). */
export async function drillDownOf(v: IndicatorView, args: { first?: number | null; after?: string | null }) {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) throw graphQLError('BAD_USER_INPUT', 'first: 1 to 200', { field: 'first' });
  let after: { cell: string; id: string } | null = null;
  if (args.after != null) {
    const text = Buffer.from(args.after, 'base64url').toString('utf8');
    const parsed = text.startsWith('f:') ? (JSON.parse(safeJson(text.slice(2))) as unknown) : null;
    if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((x) => typeof x === 'string'))
      throw graphQLError('BAD_USER_INPUT', 'after: not a cursor of this list', { field: 'after' });
    after = { cell: parsed[0], id: parsed[1] };
  }
  const kind = { stock: v.stock, national: v.national };
  const rest = await v.facts.store.factPage({ code: v.code, ...v.facts.scope }, kind, after, first + 1);
  const page = rest.slice(0, first);
  const edges = page.map((f) => ({
    cursor: Buffer.from(`f:${JSON.stringify([cellOf(f), f._id])}`, 'utf8').toString('base64url'),
    node: {
      ref: f.ref,
      context: f.context,
      streamId: f.stream,
      position: f.position,
      year: f.year,
      quarter: f.quarter,
      region: f.region,
      value: f.n,
      denominator: f.d,
    },
  }));
  return { edges, pageInfo: { hasNextPage: rest.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: v.sums.facts };
}

/** JSON text, or `null` for anything that does not parse. */
function safeJson(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return 'null';
  }
}
