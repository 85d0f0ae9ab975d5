import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ReferencePrincipal } from '@hrp/auth';
import { ReadModels } from '@hrp/context-kit';
import { campaignFromView, type CampaignGraph } from '../campaign/campaign.graph';
import { CAMPAIGN_VIEW, type CampaignViewDoc } from '../campaign/projections/campaign-view.projection';

/** Most campaigns `Partner.campaigns` lists (the first ones, in creation order). */
export const PARTNER_CAMPAIGNS_MAX = 500;

/**
 * The Partner entity (owned by partnerships) as campaigns contributes to it: the campaigns that
 * name a partner. Only the id is needed: nothing is read from partnerships.
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
   * Read from the campaign list by its `partnerIds` index (an equality on the array field, which
   * MongoDB answers from a multikey index), page by page, as `campaigns` reads: open to every
   * signed-in user, like the list.
   */
  @ResolveField('campaigns')
  async campaigns(@Parent() partner: { id: string }): Promise<CampaignGraph[]> {
    return (await this.views.collect<CampaignViewDoc>(CAMPAIGN_VIEW, { partnerIds: String(partner.id) }, PARTNER_CAMPAIGNS_MAX)).map((d) =>
      campaignFromView(d),
    );
  }
}
