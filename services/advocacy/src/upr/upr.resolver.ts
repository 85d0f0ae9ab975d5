import { Args, Mutation, Query, ResolveField, ResolveReference, Resolver, Parent } from '@nestjs/graphql';
import { CurrentPrincipal, ReferencePrincipal, type Principal } from '@hrp/auth';
import { CommandService, ReadModels, commandMetadata } from '@hrp/context-kit';
import type { HumanRightsTag } from '@hrp/contracts';
import { UPR_RESPONSES } from '@hrp/contracts';
import { graphQLError } from '@hrp/graphql-kit';
import { UprLimits, UprRules } from './upr.decider';
import type { UprRecommendation, UprState } from './upr.events';
import { uprStreamIdOfRef, uprTag } from './upr.events';
import { uprAggregate } from './upr.aggregate';
import { importUprRows } from './upr.import';
import type { UprImportReport, UprRowInput } from './upr.rows';
import { UPR_VIEW, type UprViewDoc } from './projections/upr-view.projection';

/*
 * The GraphQL adapter of UPR recommendations (upr.graphql). The import is create-or-update, which
 * `CommandService.execute` does not run (see upr.aggregate.ts): the caller's role is checked here,
 * once, before any row is looked at; then each valid row runs through `CommandService.run` with the
 * caller's metadata. Rows are checked again here (upr.import.ts): the CLI is never trusted.
 */

/** `UprRecommendation` as GraphQL returns it. */
export interface UprRecommendationGraph {
  id: string;
  version: number;
  ref: string;
  cycle: number;
  session: number;
  paragraph: string;
  text: string;
  recommendingState: string;
  response: string;
  themes: readonly string[];
  importedAt: string | null;
  revisedAt: string | null;
}

function fromView(d: UprViewDoc): UprRecommendationGraph {
  return {
    id: d._id,
    version: d._version,
    ref: d.ref,
    cycle: d.cycle,
    session: d.session,
    paragraph: d.paragraph,
    text: d.text,
    recommendingState: d.recommendingState,
    response: d.response,
    themes: d.themes,
    importedAt: d.importedAt,
    revisedAt: d.revisedAt ?? null,
  };
}

/** Folded from the stream when the read model lags: no times then (the events' are not in the state). */
function fromState(r: UprRecommendation, version: number): UprRecommendationGraph {
  return {
    id: r.id,
    version,
    ref: r.ref,
    cycle: r.cycle,
    session: r.session,
    paragraph: r.paragraph,
    text: r.text,
    recommendingState: r.recommendingState,
    response: r.response,
    themes: r.themes,
    importedAt: null,
    revisedAt: null,
  };
}

@Resolver('UprRecommendation')
export class UprRecommendationResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
  ) {}

  @Query('uprRecommendation')
  uprRecommendation(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<UprRecommendationGraph | null> {
    return this.views.entity<UprViewDoc, UprRecommendationGraph, never, never, UprState>(UPR_VIEW, id, {
      minPosition,
      aggregate: uprAggregate as never,
      fromView,
      fromState: (state, version) => fromState(state as UprRecommendation, version),
    });
  }

  @Query('uprRecommendationByRef')
  async byRef(@Args('ref') ref: string, @Args('minPosition') minPosition?: string | null): Promise<UprRecommendationGraph | null> {
    const id = uprStreamIdOfRef(String(ref ?? '').trim());
    if (id === undefined)
      throw graphQLError('BAD_USER_INPUT', `a UPR ref is <cycle>-<paragraph>, e.g. 4-148.12; got ${JSON.stringify(ref)}`, { field: 'ref' });
    return this.uprRecommendation(id, minPosition);
  }

  @Query('uprRecommendations')
  async list(
    @Args('cycle') cycle: number | null,
    @Args('response') response: string | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    // The filter is built from checked values only.
    const where: Record<string, unknown> = {};
    if (cycle != null) {
      if (!Number.isInteger(cycle) || cycle < 1 || cycle > UprLimits.maxCycle)
        throw graphQLError('BAD_USER_INPUT', `cycle must be 1 to ${UprLimits.maxCycle}`, { field: 'cycle' });
      where.cycle = cycle;
    }
    if (response != null) {
      if (!(UPR_RESPONSES as readonly string[]).includes(response))
        throw graphQLError('BAD_USER_INPUT', 'response must be SUPPORTED or NOTED', { field: 'response' });
      where.response = response;
    }
    const page = await this.views.page<UprViewDoc>(UPR_VIEW, { where, first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: fromView(e.node) })) };
  }

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.uprRecommendation(ref.id);
  }

  @ResolveField('tag')
  tag(@Parent() r: UprRecommendationGraph): HumanRightsTag {
    return uprTag(r.ref);
  }

  @Mutation('importUprRecommendations')
  async importRows(@CurrentPrincipal() p: Principal, @Args('rows') rows: UprRowInput[]): Promise<UprImportReport> {
    const verdict = uprAggregate.authorize(p, { type: 'ImportUprRecommendation' } as never, undefined);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    if (!Array.isArray(rows)) throw graphQLError('BAD_USER_INPUT', 'rows must be a list', { field: 'rows' });
    if (rows.length > UprLimits.maxRowsPerImport) {
      throw graphQLError(
        'BAD_USER_INPUT',
        `at most ${UprLimits.maxRowsPerImport} rows per import, got ${rows.length}: send them in batches`,
        {
          field: 'rows',
          rule: UprRules.tooManyRows,
        },
      );
    }
    return importUprRows(rows, async (data) => {
      const r = await this.commands.run(uprAggregate, { type: 'ImportUprRecommendation', data, metadata: commandMetadata(p) });
      return r.events;
    });
  }
}
