import type { Campaign } from './campaign.events';
import { campaignParticipants, campaignReach } from './campaign.events';
import type { CampaignViewDoc } from './projections/campaign-view.projection';

/** The GraphQL `Campaign` object (field names as in campaign.graphql). */
export interface CampaignGraph {
  id: string;
  version: number;
  title: Campaign['title'];
  objective: Campaign['objective'] | null;
  status: string;
  themes: readonly string[];
  tags: readonly { kind: string; ref: string }[];
  audiences: readonly string[];
  channels: readonly string[];
  regions: readonly string[];
  startDate: string;
  endDate: string;
  targetReach: number;
  estimatedCost: { amount: string; currency: string } | null;
  activities: readonly ActivityGraph[];
  participants: { total: number; female: number; male: number; undisclosed: number; withDisability: number };
  reach: number;
  partnerIds: readonly string[];
  budgetLineId: string | null;
  fundingStatus: string;
  fundingRejectionReason: string | null;
  cancellationReason: string | null;
}

export interface ActivityGraph {
  id: string;
  kind: string;
  title: { fr: string; ar?: string; en?: string; zgh?: string } | null;
  date: string;
  region: string;
  venue: string | null;
  status: string;
  participants: { total: number; female: number; male: number; undisclosed: number; withDisability: number } | null;
  mediaReach: number | null;
  cancellationReason: string | null;
}

/** From the domain state a mutation just wrote (exact, no projection lag). */
export function campaignFromState(c: Campaign, version: number): CampaignGraph {
  return {
    id: c.id,
    version,
    title: c.title,
    objective: c.objective ?? null,
    status: c.status,
    themes: c.themes,
    tags: c.tags,
    audiences: c.audiences,
    channels: c.channels,
    regions: c.regions,
    startDate: c.startDate,
    endDate: c.endDate,
    targetReach: c.targetReach,
    estimatedCost: c.estimatedCost ? { amount: c.estimatedCost.amount, currency: c.estimatedCost.currency } : null,
    activities: c.activities.map((a) => ({
      id: a.id,
      kind: a.kind,
      title: a.title ?? null,
      date: a.date,
      region: a.region,
      venue: a.venue ?? null,
      status: a.status,
      participants: a.participants
        ? {
            total: a.participants.female + a.participants.male + a.participants.undisclosed,
            female: a.participants.female,
            male: a.participants.male,
            undisclosed: a.participants.undisclosed,
            withDisability: a.participants.withDisability,
          }
        : null,
      mediaReach: a.mediaReach ?? null,
      cancellationReason: a.cancellationReason ?? null,
    })),
    participants: { ...campaignParticipants(c) },
    reach: campaignReach(c),
    partnerIds: c.partnerIds,
    budgetLineId: c.budgetLineId ?? null,
    fundingStatus: c.funding.status,
    fundingRejectionReason: c.funding.rejectionReason ?? null,
    cancellationReason: c.cancellationReason ?? null,
  };
}

/** From the read model (queries). */
export function campaignFromView(d: CampaignViewDoc): CampaignGraph {
  return {
    id: d._id,
    version: d._version,
    title: d.title,
    objective: d.objective ?? null,
    status: d.status,
    themes: d.themes,
    tags: d.tags,
    audiences: d.audiences,
    channels: d.channels,
    regions: d.regions,
    startDate: d.startDate,
    endDate: d.endDate,
    targetReach: d.targetReach,
    estimatedCost: d.estimatedCost ?? null,
    activities: d.activityOrder.map((id) => {
      const a = d.activities[id];
      return {
        id: a.id,
        kind: a.kind,
        title: a.title ?? null,
        date: a.date,
        region: a.region,
        venue: a.venue ?? null,
        status: a.status,
        participants: a.participants ?? null,
        mediaReach: a.mediaReach ?? null,
        cancellationReason: a.cancellationReason ?? null,
      };
    }),
    participants: d.participants,
    reach: d.participants.total + d.mediaReach,
    partnerIds: d.partnerIds,
    budgetLineId: d.budgetLineId ?? null,
    fundingStatus: d.fundingStatus,
    fundingRejectionReason: d.fundingRejectionReason ?? null,
    cancellationReason: d.cancellationReason ?? null,
  };
}
