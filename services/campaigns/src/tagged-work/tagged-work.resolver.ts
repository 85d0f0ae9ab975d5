import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ReferencePrincipal } from '@hrp/auth';
import { ReadModels } from '@hrp/context-kit';
import { type HumanRightsTag, tagKey } from '@hrp/contracts';
import { taggedWorkTag } from '@hrp/graphql-kit';
import { campaignFromView, type CampaignGraph } from '../campaign/campaign.graph';
import { CAMPAIGN_VIEW, type CampaignViewDoc } from '../campaign/projections/campaign-view.projection';

/** Most campaigns `TaggedWork.campaigns` lists (the first ones tagged, in creation order). */
export const TAGGED_CAMPAIGNS_MAX = 500;

/** Oldest first: by start date, then end date; the list's (creation) order breaks ties. */
export function byPeriod(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): number {
  return a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate);
}

/**
 * The TaggedWork entity (everything done on one human-rights tag; no subgraph owns it) as
 * campaigns contributes to it: the campaigns that carry the tag. The key is the tag itself.
 */
@Resolver('TaggedWork')
export class TaggedWorkResolver {
  constructor(
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
  ) {}

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { kind?: unknown; ref?: unknown }, context: { req?: never }): Promise<HumanRightsTag> {
    await this.principals.of(context);
    return taggedWorkTag(ref);
  }

  /**
   * Read from the campaign list by its `tagKeys` index (an equality on the array field, which
   * MongoDB answers from a multikey index), page by page, as `campaigns` reads: open to every
   * signed-in user, like the list. Then ordered by period.
   */
  @ResolveField('campaigns')
  async campaigns(@Parent() tag: HumanRightsTag): Promise<CampaignGraph[]> {
    return (await this.views.collect<CampaignViewDoc>(CAMPAIGN_VIEW, { tagKeys: tagKey(tag) }, TAGGED_CAMPAIGNS_MAX))
      .map((d) => campaignFromView(d))
      .sort(byPeriod);
  }
}
