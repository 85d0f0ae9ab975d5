import { randomUUID } from 'node:crypto';
import { Args, Mutation, Query, ResolveField, ResolveReference, Resolver, Parent } from '@nestjs/graphql';
import { CurrentPrincipal, ReferencePrincipal, type Principal } from '@hrp/auth';
import { CommandService, type CommandInput, type KnownEntityDoc, ReadModels } from '@hrp/context-kit';
import { graphQLError } from '@hrp/graphql-kit';
import type { HumanRightsTag } from '@hrp/contracts';
import { campaignAggregate, KNOWN_PARTNERS } from '../campaigns.context';
import { config } from '../config';
import { CampaignLimits, type CampaignCommand, type UserCampaignCommand } from './campaign.decider';
import {
  campaignStreamId,
  type Audience,
  type Channel,
  type ActivityKind,
  type Campaign,
  type CampaignEvent,
  type CampaignState,
} from './campaign.events';
import { campaignFromState, campaignFromView, type CampaignGraph } from './campaign.graph';
import { campaignFilter, type CampaignFilter } from './campaign.queries';
import { CAMPAIGN_VIEW, type CampaignViewDoc } from './projections/campaign-view.projection';

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

/** GraphQL adapter of campaigns: input → command (the kit runs it); queries from the read model. */
@Resolver('Campaign')
export class CampaignResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
  ) {}

  // ---------------------------------------------------------------- queries

  @Query('campaign')
  campaign(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<CampaignGraph | null> {
    return this.views.entity<CampaignViewDoc, CampaignGraph, CampaignCommand, CampaignEvent, CampaignState>(CAMPAIGN_VIEW, id, {
      minPosition,
      aggregate: campaignAggregate,
      fromView: campaignFromView,
      fromState: (state, version) => campaignFromState(state as Campaign, version),
    });
  }

  @Query('campaigns')
  async list(
    @Args('filter') filter: CampaignFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const page = await this.views.page<CampaignViewDoc>(CAMPAIGN_VIEW, {
      where: campaignFilter(filter),
      first,
      after,
      minPosition,
    });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: campaignFromView(e.node) })) };
  }

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.campaign(ref.id);
  }

  @ResolveField('partners')
  partnerRefs(@Parent() c: CampaignGraph) {
    return c.partnerIds.map((id) => ({ __typename: 'Partner', id }));
  }

  @ResolveField('budgetLine')
  budgetLine(@Parent() c: CampaignGraph) {
    return c.budgetLineId ? { __typename: 'BudgetLine', id: c.budgetLineId } : null;
  }

  // ---------------------------------------------------------------- mutations

  @Mutation('createCampaign')
  async create(@CurrentPrincipal() p: Principal, @Args('input') input: CreateCampaignInput) {
    const campaignId = campaignStreamId(randomUUID());
    // Refused at once when the caller may not create it (no wait for partners it names).
    const verdict = campaignAggregate.authorize(p, { type: 'CreateCampaign', data: { ...input, campaignId } } as never, undefined);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    const knownPartners = (
      await this.views.lookUp<KnownEntityDoc>(KNOWN_PARTNERS, input.partnerIds, {
        max: CampaignLimits.maxPartners,
        waitMs: config.READ_WAIT_MS,
      })
    ).map((d) => ({ id: d._id, status: d.status }));
    return this.execute(p, { type: 'CreateCampaign', data: { ...input, campaignId, knownPartners } });
  }

  @Mutation('planCampaign')
  plan(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'PlanCampaign', data: { campaignId: id } }, v);
  }

  @Mutation('launchCampaign')
  launch(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'LaunchCampaign', data: { campaignId: id } }, v);
  }

  @Mutation('scheduleActivity')
  schedule(
    @CurrentPrincipal() p: Principal,
    @Args('campaignId') campaignId: string,
    @Args('input') input: ScheduleActivityInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.execute(p, { type: 'ScheduleActivity', data: { campaignId, ...input } }, v, [`activity-${randomUUID()}`]);
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
    return this.execute(p, { type: 'CancelActivity', data: { campaignId, activityId, reason } }, v);
  }

  @Mutation('completeCampaign')
  complete(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.execute(p, { type: 'CompleteCampaign', data: { campaignId: id } }, v);
  }

  @Mutation('cancelCampaign')
  cancel(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.execute(p, { type: 'CancelCampaign', data: { campaignId: id, reason } }, v);
  }

  /** Runs the command and answers with the written state, its version and the position token. */
  private async execute(p: Principal, command: CommandInput<UserCampaignCommand>, expectedVersion?: number | null, ids?: string[]) {
    const r = await this.commands.execute(campaignAggregate, p, command, { expectedVersion, ...(ids ? { ids } : {}) });
    return { campaign: campaignFromState(r.state as Campaign, r.version), position: r.position };
  }
}
