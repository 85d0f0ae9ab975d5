import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ReferencePrincipal } from '@hrp/auth';
import { ReadModels } from '@hrp/context-kit';
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
    return (await this.views.collect<SessionViewDoc>(SESSION_VIEW, { partnerIds: String(partner.id) }, PARTNER_SESSIONS_MAX)).map((d) =>
      sessionFromView(d),
    );
  }
}
