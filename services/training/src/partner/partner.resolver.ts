import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ReferencePrincipal } from '@hrp/auth';
import { type LazyConnection, ReadModels } from '@hrp/context-kit';
import { MAX_PAGE_SIZE } from '@hrp/graphql-kit';
import { SESSION_VIEW, type SessionViewDoc } from '../session/projections/session-view.projection';
import { sessionFromView, type SessionData } from '../training.graph';

/** Most sessions `Partner.trainingSessions` lists (the first ones, in scheduling order). */
export const PARTNER_SESSIONS_MAX = 500;

/**
 * The Partner entity (owned by partnerships) as training contributes to it: the sessions that name
 * a partner. Only the id is needed: nothing is read from partnerships.
 */
@Resolver('Partner')
export class PartnerResolver {
  constructor(
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
  ) {}

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return { id: ref.id };
  }

  /**
   * Read from the session list by its `partnerIds` index (an equality on the array field, which
   * MongoDB answers from a multikey index), page by page, as `trainingSessions` reads: open to
   * every signed-in user, like the list (participants' names keep their own readers: the
   * TrainingSession fields check them).
   */
  @ResolveField('trainingSessions')
  async trainingSessions(@Parent() partner: { id: string }): Promise<SessionData[]> {
    const out: SessionData[] = [];
    let after: string | null = null;
    while (out.length < PARTNER_SESSIONS_MAX) {
      const page: LazyConnection<SessionViewDoc> = await this.views.page<SessionViewDoc>(SESSION_VIEW, {
        where: { partnerIds: String(partner.id) },
        first: Math.min(MAX_PAGE_SIZE, PARTNER_SESSIONS_MAX - out.length),
        after,
      });
      out.push(...page.edges.map((e) => sessionFromView(e.node)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return out;
  }
}
