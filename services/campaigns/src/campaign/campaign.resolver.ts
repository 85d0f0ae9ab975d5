import { randomUUID } from 'node:crypto';
import { Args, Mutation, Query, ResolveField, ResolveReference, Resolver, Parent } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@hrp/auth';
import type { HumanRightsTag } from '@hrp/contracts';
import { graphQLError } from '@hrp/graphql-kit';
import type { UserCampaignCommand } from './campaign.decider';
import { campaignStreamId, exists, type Audience, type Channel, type ActivityKind } from './campaign.events';
import { campaignFromState, type CampaignGraph } from './campaign.graph';
import { CampaignQueries, type CampaignFilter } from './campaign.queries';
import { CampaignService, commandMetadata } from './campaign.service';

type Text = { fr: string; ar?: string | null; en?: string | null; zgh?: string | null };
interface CreateCampaignInput {
  title: Text;
  objective?: Text | null;
  themes: string[];
  tags?: HumanRightsTag[] | null;
  audiences: Audience[];
  channels: Channel[];
  regions: string[];
  startDate: string;
  endDate: string;
  targetReach: number;
  partnerIds?: string[] | null;
  budgetLineId?: string | null;
  estimatedCost?: { amount: bigint; currency?: string | null } | null;
}
interface ScheduleActivityInput {
  kind: ActivityKind;
  date: string;
  region: string;
  venue?: string | null;
  title?: Text | null;
}
interface ActivityOutcomeInput {
  participants: {
    female: number;
    male: number;
    undisclosed?: number | null;
    withDisability?: number | null;
    byAgeGroup?: { ageGroup: string; count: number }[] | null;
  };
  mediaReach?: number | null;
}

/** GraphQL adapter of campaigns: input → command → handler; queries from the read model. */
@Resolver('Campaign')
export class CampaignResolver {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly queries: CampaignQueries,
  ) {}

  // ---------------------------------------------------------------- queries

  @Query('campaign')
  campaign(@Args('id') id: string, @Args('minPosition') minPosition?: string | null) {
    return this.queries.byId(id, minPosition);
  }

  @Query('campaigns')
  list(
    @Args('filter') filter: CampaignFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    return this.queries.list(filter, first, after, minPosition);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return this.queries.byId(ref.id);
  }

  @ResolveField('partners')
  partners(@Parent() c: CampaignGraph) {
    return c.partnerIds.map((id) => ({ __typename: 'Partner', id }));
  }

  @ResolveField('budgetLine')
  budgetLine(@Parent() c: CampaignGraph) {
    return c.budgetLineId ? { __typename: 'BudgetLine', id: c.budgetLineId } : null;
  }

  // ---------------------------------------------------------------- mutations

  @Mutation('createCampaign')
  create(@CurrentPrincipal() p: Principal, @Args('input') input: CreateCampaignInput) {
    const campaignId = campaignStreamId(randomUUID());
    return this.execute(p, { type: 'CreateCampaign', data: { ...input, campaignId }, metadata: commandMetadata(p) });
  }

  @Mutation('planCampaign')
  plan(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'PlanCampaign', data: { campaignId: id }, metadata: commandMetadata(p) }, v);
  }

  @Mutation('launchCampaign')
  launch(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'LaunchCampaign', data: { campaignId: id }, metadata: commandMetadata(p) }, v);
  }

  @Mutation('scheduleActivity')
  schedule(
    @CurrentPrincipal() p: Principal,
    @Args('campaignId') campaignId: string,
    @Args('input') input: ScheduleActivityInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.execute(
      p,
      { type: 'ScheduleActivity', data: { campaignId, ...input }, metadata: commandMetadata(p, [`activity-${randomUUID()}`]) },
      v,
    );
  }

  @Mutation('recordActivityHeld')
  held(
    @CurrentPrincipal() p: Principal,
    @Args('campaignId') campaignId: string,
    @Args('activityId') activityId: string,
    @Args('input') input: ActivityOutcomeInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    const c = input.participants;
    const participants = {
      female: c.female,
      male: c.male,
      undisclosed: c.undisclosed ?? 0,
      withDisability: c.withDisability ?? 0,
      ...(c.byAgeGroup ? { byAgeGroup: c.byAgeGroup as never } : {}),
    };
    return this.execute(
      p,
      {
        type: 'RecordActivityHeld',
        data: { campaignId, activityId, participants, mediaReach: input.mediaReach ?? null },
        metadata: commandMetadata(p),
      },
      v,
    );
  }

  @Mutation('cancelActivity')
  cancelActivity(
    @CurrentPrincipal() p: Principal,
    @Args('campaignId') campaignId: string,
    @Args('activityId') activityId: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.execute(p, { type: 'CancelActivity', data: { campaignId, activityId, reason }, metadata: commandMetadata(p) }, v);
  }

  @Mutation('completeCampaign')
  complete(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'CompleteCampaign', data: { campaignId: id }, metadata: commandMetadata(p) }, v);
  }

  @Mutation('cancelCampaign')
  cancel(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.execute(p, { type: 'CancelCampaign', data: { campaignId: id, reason }, metadata: commandMetadata(p) }, v);
  }

  /** Runs the command and answers with the written state, its version and the position token. */
  private async execute(p: Principal, command: UserCampaignCommand, expectedVersion?: number | null) {
    if (expectedVersion != null && (!Number.isInteger(expectedVersion) || expectedVersion < 0)) {
      throw graphQLError('BAD_USER_INPUT', 'expectedVersion must be a non-negative integer', { field: 'expectedVersion' });
    }
    const r = await this.campaigns.execute(p, command, expectedVersion);
    if (!exists(r.state)) throw new Error('campaign state missing after a successful command');
    return { campaign: campaignFromState(r.state, r.version), position: r.position };
  }
}
