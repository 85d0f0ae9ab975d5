import * as path from 'node:path';
import { defineAggregate, defineContext, defineReaction, knownEntitiesView } from '@hrp/context-kit';
import { campaignDecider, recordFundingDecisionFrom, type UserCampaignCommand } from './campaign/campaign.decider';
import { exists } from './campaign/campaign.events';
import { authorize } from './campaign/campaign.policy';
import { CAMPAIGNS_CONTEXT, campaignEventRegistry } from './campaign/campaign.registry';
import { CAMPAIGN_VIEW, campaignViewHandlers } from './campaign/projections/campaign-view.projection';

/** The partners a campaign may name: partnerships' partners and their status, fed by its topic. */
export const KNOWN_PARTNERS = 'known_partners';
const knownPartners = knownEntitiesView({
  name: KNOWN_PARTNERS,
  from: 'partnerships',
  active: ['PartnerRegistered', 'PartnerReactivated'],
  inactive: ['PartnerDeactivated'],
});

/** The campaign aggregate: its decider, its stream, and who may run its commands. */
export const campaignAggregate = defineAggregate({
  name: 'Campaign',
  streamPrefix: 'campaign-',
  decider: campaignDecider,
  streamOf: (command) => command.data.campaignId,
  creates: ['CreateCampaign'] as UserCampaignCommand['type'][],
  exists,
  authorize: (principal, command: UserCampaignCommand, state) => authorize(principal, command, state),
  snapshotEvery: 100,
});

/** Finance's funding decisions become the campaign's RecordFundingDecision (redelivery is a no-op). */
export const fundingDecisions = defineReaction({
  name: 'funding-decisions',
  from: ['finance'],
  actor: { subject: 'system:finance-events', username: 'finance-events' },
  aggregate: campaignAggregate,
  on: { CommitmentApproved: recordFundingDecisionFrom, CommitmentRejected: recordFundingDecisionFrom },
});

/** The campaigns context: awareness campaigns and their activities. */
export const campaignsContext = defineContext({
  name: CAMPAIGNS_CONTEXT,
  registry: campaignEventRegistry,
  aggregates: [campaignAggregate],
  sdl: [path.join(__dirname, 'campaign', 'campaign.graphql')],
  projections: [
    {
      name: CAMPAIGN_VIEW,
      handlers: campaignViewHandlers,
      // 3: tagKeys (TaggedWork.campaigns, the reverse view of a tag).
      revision: 3,
      // partnerIds: Partner.campaigns; tagKeys: TaggedWork.campaigns (multikey indexes on MongoDB).
      list: { sortKey: 'createdPosition', indexed: ['status', 'regions', 'searchTerms', 'partnerIds', 'tagKeys'] },
    },
    // The partner ids a campaign may name, from partnerships' events.
    knownPartners,
  ],
  reactions: [fundingDecisions],
});
