import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { ReferencePrincipal } from '@hrp/auth';
import { ReadModels } from '@hrp/context-kit';
import { type HumanRightsTag, tagKey } from '@hrp/contracts';
import { taggedWorkTag } from '@hrp/graphql-kit';
import { AGREEMENT_VIEW, type AgreementViewDoc } from './agreement/projections/agreement-view.projection';
import { agreementFromView, type AgreementGraph } from './partnerships.resolver';

/** Most agreements `TaggedWork.agreements` lists (the first ones tagged, in drafting order). */
export const TAGGED_AGREEMENTS_MAX = 500;

/** Oldest first: by start date, then end date; the list's (drafting) order breaks ties. */
export function byPeriod(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): number {
  return a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate);
}

/**
 * The TaggedWork entity (everything done on one human-rights tag; no subgraph owns it) as
 * partnerships contributes to it: the agreements that carry the tag. The key is the tag itself.
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
   * Read from the agreement list by its `tagKeys` index (an equality on the array field, which
   * MongoDB answers from a multikey index), page by page: open to every signed-in user, as
   * `agreement` and `Partner.agreements`. Then ordered by period.
   */
  @ResolveField('agreements')
  async agreements(@Parent() tag: HumanRightsTag): Promise<AgreementGraph[]> {
    return (await this.views.collect<AgreementViewDoc>(AGREEMENT_VIEW, { tagKeys: tagKey(tag) }, TAGGED_AGREEMENTS_MAX))
      .map((d) => agreementFromView(d))
      .sort(byPeriod);
  }
}
