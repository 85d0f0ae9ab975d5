import { randomUUID } from 'node:crypto';
import { Args, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { mongo } from 'mongoose';
import { CurrentPrincipal, ReferencePrincipal, type Principal } from '@hrp/auth';
import { Clock, CommandService, type CommandInput, ContextRuntime, ReadModels, addSearch } from '@hrp/context-kit';
import { isTagKind, tagKey, type HumanRightsTag, type LocalizedText, type TagKind } from '@hrp/contracts';
import { graphQLError, taggedWorkTag } from '@hrp/graphql-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import { adoptionFigures } from './dossier/adoption';
import type { DossierCommand } from './dossier/dossier.decider';
import type { Dossier, DossierState, Recommendation } from './dossier/dossier.events';
import { dossierStreamId, engagementIdFrom, recommendationIdFrom } from './dossier/dossier.events';
import { dossierAggregate } from './dossier/dossier.aggregate';
import { UprRecommendationResolver } from './upr/upr.resolver';
import { DOSSIER_VIEW, type DossierViewDoc, type RecommendationEntry } from './projections/dossier-view.projection';

/*
 * The GraphQL adapter of advocacy: input → command (the kit runs it), queries from the dossier
 * read model. Recommendations live in their dossier's stream and document; they are found by the
 * multikey arrays of that document (ids, addressees, years, tags) and filtered there by status.
 */

interface HistoryGraph {
  status: string;
  at: string;
  evidence: string | null;
  evidenceDate: string | null;
  from: string | null;
}

export interface RecommendationGraph {
  id: string;
  dossierId: string;
  text: LocalizedText;
  addressee: string;
  source: string;
  status: string;
  issuedOn: string;
  tags: readonly HumanRightsTag[];
  history: HistoryGraph[];
}

export interface DossierGraph {
  id: string;
  version: number;
  topic: LocalizedText;
  target: string;
  status: string;
  objective: LocalizedText | null;
  instruments: readonly string[];
  themes: readonly string[];
  tags: readonly HumanRightsTag[];
  outcome: string | null;
  openedAt: string;
  closedAt: string | null;
  recommendations: RecommendationGraph[];
  engagements: { id: string; kind: string; date: string; stakeholders: readonly string[]; outcome: string | null }[];
}

function recommendationGraph(dossierId: string, r: Recommendation | RecommendationEntry): RecommendationGraph {
  return {
    id: r.id,
    dossierId,
    text: r.text,
    addressee: r.addressee,
    source: r.source,
    status: r.status,
    issuedOn: r.issuedOn,
    tags: r.tags,
    history: r.history.map((h) => ({
      status: h.status,
      at: h.recordedAt,
      evidence: h.evidence?.reference ?? null,
      // The issue's own date is the recommendation's.
      evidenceDate: h.evidence?.date ?? (h.status === 'ISSUED' && !h.from ? r.issuedOn : null),
      from: h.from ?? null,
    })),
  };
}

function dossierFromView(d: DossierViewDoc): DossierGraph {
  return {
    id: d._id,
    version: d._version,
    topic: d.topic,
    target: d.target,
    status: d.status,
    objective: d.objective ?? null,
    instruments: d.instruments,
    themes: d.themes,
    tags: d.tags,
    outcome: d.outcome ?? null,
    openedAt: d.openedAt,
    closedAt: d.closedAt ?? null,
    recommendations: d.recommendationOrder.map((id) => recommendationGraph(d._id, d.recommendations[id])),
    engagements: d.engagementOrder.map((id) => ({ ...d.engagements[id], outcome: d.engagements[id].outcome ?? null })),
  };
}

function dossierFromState(s: Dossier, version: number): DossierGraph {
  return {
    id: s.id,
    version,
    topic: s.topic,
    target: s.target,
    status: s.status,
    objective: s.objective ?? null,
    instruments: s.instruments,
    themes: s.themes,
    tags: s.tags,
    outcome: s.outcome ?? null,
    openedAt: s.openedAt,
    closedAt: s.closedAt ?? null,
    recommendations: s.recommendations.map((r) => recommendationGraph(s.id, r)),
    engagements: s.engagements.map((e) => ({ ...e, outcome: e.outcome ?? null })),
  };
}

interface LocalizedTextInput {
  fr: string;
  ar?: string | null;
  en?: string | null;
  zgh?: string | null;
}
interface OpenDossierInput {
  topic: LocalizedTextInput;
  target: string;
  objective?: LocalizedTextInput | null;
  instruments?: string[] | null;
  themes?: string[] | null;
  tags?: HumanRightsTag[] | null;
}
interface IssueRecommendationInput {
  text: LocalizedTextInput;
  addressee: string;
  source: string;
  issuedOn: string;
  tags?: HumanRightsTag[] | null;
}
interface EngagementInput {
  kind: string;
  date: string;
  stakeholders: string[];
  outcome?: string | null;
}
interface DossierFilter {
  status?: string | null;
  target?: string | null;
  search?: string | null;
}
interface RecommendationFilter {
  status?: string[] | null;
  addressee?: string | null;
  dossierId?: string | null;
  year?: number | null;
}

/** Most documents a recommendation list reads (dossiers hold their recommendations). */
const MAX_DOSSIERS_READ = 2000;
/** Most entities a reverse view lists per context. */
const TAGGED_MAX = 500;

function checkYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 1900 || year > 2999)
    throw graphQLError('BAD_USER_INPUT', `${field} must be 1900 to 2999`, { field });
  return year;
}

@Resolver('AdvocacyDossier')
export class DossierResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
    private readonly clock: Clock,
  ) {}

  @Query('advocacyDossier')
  advocacyDossier(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<DossierGraph | null> {
    return this.views.entity<DossierViewDoc, DossierGraph, never, never, DossierState>(DOSSIER_VIEW, id, {
      minPosition,
      aggregate: dossierAggregate as never,
      fromView: dossierFromView,
      fromState: (state, version) => dossierFromState(state as Dossier, version),
    });
  }

  @Query('advocacyDossiers')
  async advocacyDossiers(
    @Args('filter') filter: DossierFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const page = await this.views.page<DossierViewDoc>(DOSSIER_VIEW, { where: dossierFilter(filter), first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: dossierFromView(e.node) })) };
  }

  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.advocacyDossier(ref.id);
  }

  @Mutation('openDossier')
  open(@CurrentPrincipal() p: Principal, @Args('input') input: OpenDossierInput) {
    return this.dossierCommand(p, {
      type: 'OpenDossier',
      data: {
        dossierId: dossierStreamId(randomUUID()),
        topic: input.topic,
        target: input.target as never,
        objective: input.objective,
        instruments: input.instruments,
        themes: input.themes,
        tags: input.tags,
      },
    });
  }

  @Mutation('issueRecommendation')
  issue(
    @CurrentPrincipal() p: Principal,
    @Args('dossierId') dossierId: string,
    @Args('input') input: IssueRecommendationInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.dossierCommand(
      p,
      {
        type: 'IssueRecommendation',
        data: {
          dossierId,
          recommendationId: recommendationIdFrom(randomUUID()),
          text: input.text,
          addressee: input.addressee,
          source: input.source as never,
          issuedOn: input.issuedOn,
          tags: input.tags,
        },
      },
      v,
    );
  }

  @Mutation('changeRecommendationStatus')
  change(
    @CurrentPrincipal() p: Principal,
    @Args('dossierId') dossierId: string,
    @Args('recommendationId') recommendationId: string,
    @Args('status') status: string,
    @Args('evidence') evidence: string,
    @Args('expectedVersion') v?: number | null,
    @Args('evidenceDate') evidenceDate?: string | null,
  ) {
    return this.dossierCommand(
      p,
      {
        type: 'ChangeRecommendationStatus',
        data: {
          dossierId,
          recommendationId,
          status: status as never,
          evidence: { reference: evidence, date: evidenceDate ?? this.clock.today() },
        },
      },
      v,
    );
  }

  @Mutation('logEngagement')
  engage(
    @CurrentPrincipal() p: Principal,
    @Args('dossierId') dossierId: string,
    @Args('input') input: EngagementInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.dossierCommand(
      p,
      {
        type: 'LogEngagement',
        data: {
          dossierId,
          engagementId: engagementIdFrom(randomUUID()),
          kind: input.kind as never,
          date: input.date,
          stakeholders: input.stakeholders,
          outcome: input.outcome,
        },
      },
      v,
    );
  }

  @Mutation('recordEngagementOutcome')
  engagementOutcome(
    @CurrentPrincipal() p: Principal,
    @Args('dossierId') dossierId: string,
    @Args('engagementId') engagementId: string,
    @Args('outcome') outcome: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.dossierCommand(p, { type: 'RecordEngagementOutcome', data: { dossierId, engagementId, outcome } }, v);
  }

  @Mutation('closeDossier')
  close(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('outcome') outcome: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.dossierCommand(p, { type: 'CloseDossier', data: { dossierId: id, outcome } }, v);
  }

  private async dossierCommand(p: Principal, command: CommandInput<DossierCommand>, expectedVersion?: number | null) {
    const r = await this.commands.execute(dossierAggregate, p, command, { expectedVersion });
    return { dossier: dossierFromState(r.state as Dossier, r.version), position: r.position };
  }
}

@Resolver('Recommendation')
export class RecommendationResolver {
  constructor(
    private readonly runtime: ContextRuntime,
    private readonly dossiers: DossierResolver,
    private readonly principals: ReferencePrincipal,
  ) {}

  private async collection() {
    return (await this.runtime.listCollection(DOSSIER_VIEW)) as unknown as mongo.Collection<DossierViewDoc>;
  }

  /** The dossiers holding matching recommendations, in opening order (bounded: an error past the bound, never a cut list). */
  private async dossiersWhere(filter: mongo.Filter<DossierViewDoc>): Promise<DossierViewDoc[]> {
    const docs = await (
      await this.collection()
    )
      .find({ ...filter, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<DossierViewDoc>)
      .limit(MAX_DOSSIERS_READ + 1)
      .toArray();
    if (docs.length > MAX_DOSSIERS_READ)
      throw graphQLError('BAD_USER_INPUT', `more than ${MAX_DOSSIERS_READ} dossiers match: narrow the filter (year, addressee, dossier)`);
    return docs.sort((a, b) => a.openedPosition - b.openedPosition);
  }

  @Query('recommendation')
  async recommendation(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<RecommendationGraph | null> {
    if (minPosition != null) await this.runtime.waitFor(DOSSIER_VIEW, minPosition);
    const [doc] = await this.dossiersWhere({ recIds: id });
    const r = doc?.recommendations[id];
    return r ? recommendationGraph(doc._id, r) : null;
  }

  @Query('recommendations')
  async recommendations(
    @Args('filter') f: RecommendationFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 0 || size > 100)
      throw graphQLError('BAD_USER_INPUT', 'first must be 0 to 100', { field: 'first' });
    if (minPosition != null) await this.runtime.waitFor(DOSSIER_VIEW, minPosition);
    const where: Record<string, unknown> = {};
    if (f?.dossierId != null) where._id = String(f.dossierId);
    if (f?.addressee != null) where.recAddressees = String(f.addressee);
    if (f?.year != null) where.recYears = checkYear(f.year, 'filter.year');
    const statuses = f?.status?.length ? new Set(f.status.map(String)) : undefined;
    const all = (await this.dossiersWhere(where as mongo.Filter<DossierViewDoc>)).flatMap((d) =>
      d.recommendationOrder
        .map((id) => d.recommendations[id])
        .filter(
          (r) =>
            (!statuses || statuses.has(r.status)) &&
            (f?.addressee == null || r.addressee === f.addressee) &&
            (f?.year == null || Number(r.issuedOn.slice(0, 4)) === f.year),
        )
        .map((r) => recommendationGraph(d._id, r)),
    );
    // Cursor: the id of the last recommendation of the previous page (issue order is stable).
    const start = after == null ? 0 : all.findIndex((r) => r.id === Buffer.from(after, 'base64url').toString()) + 1;
    if (after != null && start === 0) throw graphQLError('BAD_USER_INPUT', 'unknown cursor', { field: 'after' });
    const slice = all.slice(start, start + size);
    const cursor = (r: RecommendationGraph) => Buffer.from(r.id).toString('base64url');
    return {
      edges: slice.map((node) => ({ node, cursor: cursor(node) })),
      pageInfo: { hasNextPage: start + size < all.length, endCursor: slice.length ? cursor(slice[slice.length - 1]) : null },
      totalCount: all.length,
    };
  }

  @Query('adoptionFigures')
  async adoption(@Args('year') year: number, @Args('addressee') addressee?: string | null) {
    checkYear(year);
    const where: Record<string, unknown> = { recYears: year };
    if (addressee != null) where.recAddressees = String(addressee);
    const recommendations = (await this.dossiersWhere(where as mongo.Filter<DossierViewDoc>)).flatMap((d) =>
      d.recommendationOrder.map((id) => d.recommendations[id]),
    );
    return adoptionFigures(recommendations)
      .filter((f) => f.year === year && (addressee == null || f.addressee === addressee))
      .map((f) => ({ ...f, adoptionRate: f.adoptionRate ?? null }));
  }

  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.recommendation(ref.id);
  }

  @ResolveField('dossier')
  async dossier(@Parent() r: RecommendationGraph) {
    const d = await this.dossiers.advocacyDossier(r.dossierId);
    if (!d) throw graphQLError('NOT_FOUND', `dossier ${r.dossierId} of recommendation ${r.id} does not exist`);
    return d;
  }

  /** The reverse view's advocacy part: recommendations tagged with `key`, by issue date. */
  async taggedWith(key: string): Promise<RecommendationGraph[]> {
    return (await this.dossiersWhere({ recTagKeys: key }))
      .flatMap((d) =>
        d.recommendationOrder
          .map((id) => d.recommendations[id])
          .filter((r) => r.tags.some((t) => tagKey(t) === key))
          .map((r) => recommendationGraph(d._id, r)),
      )
      .sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : a.issuedOn > b.issuedOn ? 1 : 0))
      .slice(0, TAGGED_MAX);
  }

  /** The dossiers tagged with `key`, in opening order. */
  async dossiersTagged(key: string): Promise<DossierGraph[]> {
    return (await this.dossiersWhere({ tagKeys: key })).slice(0, TAGGED_MAX).map(dossierFromView);
  }
}

/** The reverse view (issue 13): advocacy owns the root query; each context adds its fields to TaggedWork. */
@Resolver('TaggedWork')
export class TaggedWorkResolver {
  constructor(
    private readonly recommendations: RecommendationResolver,
    private readonly principals: ReferencePrincipal,
    private readonly upr: UprRecommendationResolver,
  ) {}

  @Query('taggedWork')
  taggedWork(@Args('kind') kind: string, @Args('ref') ref: string) {
    if (!isTagKind(kind)) throw graphQLError('BAD_USER_INPUT', 'unknown tag kind', { field: 'kind' });
    if (typeof ref !== 'string' || ref.trim() === '' || ref.length > 200)
      throw graphQLError('BAD_USER_INPUT', 'ref: 1 to 200 characters', { field: 'ref' });
    return { kind, ref };
  }

  @ResolveReference()
  async resolveReference(ref: { kind?: unknown; ref?: unknown }, context: { req?: never }) {
    await this.principals.of(context);
    return taggedWorkTag(ref);
  }

  @ResolveField('dossiers')
  dossiers(@Parent() t: { kind: TagKind; ref: string }) {
    return this.recommendations.dossiersTagged(tagKey(t));
  }

  @ResolveField('uprRecommendation')
  uprRecommendation(@Parent() t: { kind: string; ref: string }) {
    return t.kind === 'UPR_RECOMMENDATION' ? this.upr.byRef(t.ref) : null;
  }

  @ResolveField('recommendations')
  taggedRecommendations(@Parent() t: { kind: TagKind; ref: string }) {
    return this.recommendations.taggedWith(tagKey(t));
  }
}

/** Builds the store filter from typed, checked values only. */
export function dossierFilter(f: DossierFilter | null | undefined): mongo.Filter<DossierViewDoc> {
  const q: Record<string, unknown> = {};
  if (!f) return q;
  if (f.status != null) q.status = String(f.status);
  if (f.target != null) q.target = String(f.target);
  if (f.search != null) addSearch(q, f.search);
  return q;
}
