import type { DomainEvent } from '@hrp/domain-kit';
import type {
  DisaggregatedCount,
  FundingRequested as FundingRequestedData,
  FundingWithdrawn as FundingWithdrawnData,
  HumanRightsTag,
  LocalizedText,
  MoneyAmount,
  Region,
} from '@hrp/contracts';
import { disaggregatedTotal, parseMinorUnits } from '@hrp/contracts';

/*
 * Campaigns — awareness (docs/domain.md, "Campaigns"): the events of one campaign stream, the state
 * they fold into, and read helpers over that state. Event data is plain JSON (dates as strings,
 * money as MinorUnits strings); optional fields are absent, never null or undefined.
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

export const AUDIENCES = [
  'GENERAL_PUBLIC',
  'PUBLIC_INSTITUTIONS',
  'CIVIL_SOCIETY',
  'YOUTH',
  'MEDIA',
  'WOMEN',
  'CHILDREN',
  'PERSONS_WITH_DISABILITIES',
  'MIGRANTS',
] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CHANNELS = ['TV', 'RADIO', 'SOCIAL_MEDIA', 'PRINT', 'EVENTS', 'WEBSITE', 'OUTDOOR'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ACTIVITY_KINDS = ['WORKSHOP', 'SEMINAR', 'CONFERENCE', 'WEBINAR', 'MEDIA_SPOT', 'CARAVAN'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export type CampaignStatus = 'DRAFT' | 'PLANNED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export type FundingStatus = 'NOT_REQUESTED' | 'REQUESTED' | 'APPROVED' | 'REJECTED';
export type ActivityStatus = 'SCHEDULED' | 'HELD' | 'CANCELLED';

/** Campaign ids are their stream ids: `campaign-<uuid>`. */
export const CAMPAIGN_ID_PREFIX = 'campaign-';

/** The stream id of a campaign from a fresh uuid (or any id suffix). */
export function campaignStreamId(uuid: string): string {
  return `${CAMPAIGN_ID_PREFIX}${uuid}`;
}

// ---------- events ----------

export type CampaignCreated = DomainEvent<
  'CampaignCreated',
  {
    readonly campaignId: string;
    readonly title: LocalizedText;
    readonly objective?: LocalizedText;
    readonly themes: readonly string[];
    readonly tags: readonly HumanRightsTag[];
    readonly audiences: readonly Audience[];
    readonly channels: readonly Channel[];
    readonly regions: readonly Region[];
    /** YYYY-MM-DD; the period is the closed interval [startDate, endDate]. */
    readonly startDate: string;
    readonly endDate: string;
    readonly targetReach: number;
    readonly partnerIds: readonly string[];
    readonly budgetLineId?: string;
    readonly estimatedCost?: MoneyAmount;
  }
>;

export type CampaignPlanned = DomainEvent<'CampaignPlanned', { readonly campaignId: string }>;

/**
 * Exactly the integration payload of libs/contracts (`sourceType: 'CAMPAIGN'`, `sourceId` the
 * campaign id), so that the relay publishes it as it is and finance reads it with the shared schema.
 */
export type FundingRequested = DomainEvent<'FundingRequested', FundingRequestedData>;

/**
 * The request is withdrawn because the campaign was cancelled: exactly the integration payload of
 * libs/contracts (`sourceType: 'CAMPAIGN'`), so that finance releases the commitment it opened.
 */
export type FundingWithdrawn = DomainEvent<'FundingWithdrawn', FundingWithdrawnData>;

export type FundingApproved = DomainEvent<
  'FundingApproved',
  {
    readonly campaignId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly decidedAt: string;
  }
>;

export type FundingRejected = DomainEvent<
  'FundingRejected',
  {
    readonly campaignId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly reason: string;
    readonly decidedAt: string;
  }
>;

export type CampaignLaunched = DomainEvent<'CampaignLaunched', { readonly campaignId: string }>;

export type ActivityScheduled = DomainEvent<
  'ActivityScheduled',
  {
    readonly campaignId: string;
    readonly activityId: string;
    readonly kind: ActivityKind;
    readonly date: string;
    readonly region: Region;
    readonly venue?: string;
    readonly title?: LocalizedText;
  }
>;

export type ActivityHeld = DomainEvent<
  'ActivityHeld',
  {
    readonly campaignId: string;
    readonly activityId: string;
    readonly participants: DisaggregatedCount;
    readonly mediaReach?: number;
  }
>;

export type ActivityCancelled = DomainEvent<
  'ActivityCancelled',
  { readonly campaignId: string; readonly activityId: string; readonly reason: string }
>;

export type CampaignCompleted = DomainEvent<'CampaignCompleted', { readonly campaignId: string }>;

export type CampaignCancelled = DomainEvent<'CampaignCancelled', { readonly campaignId: string; readonly reason: string }>;

export type CampaignEvent =
  | CampaignCreated
  | CampaignPlanned
  | FundingRequested
  | FundingApproved
  | FundingRejected
  | CampaignLaunched
  | ActivityScheduled
  | ActivityHeld
  | ActivityCancelled
  | CampaignCompleted
  | CampaignCancelled
  | FundingWithdrawn;

export type CampaignEventType = CampaignEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const CAMPAIGN_EVENT_TYPES = [
  'CampaignCreated',
  'CampaignPlanned',
  'FundingRequested',
  'FundingApproved',
  'FundingRejected',
  'CampaignLaunched',
  'ActivityScheduled',
  'ActivityHeld',
  'ActivityCancelled',
  'CampaignCompleted',
  'CampaignCancelled',
  'FundingWithdrawn',
] as const satisfies readonly CampaignEventType[];

// ---------- state ----------

export interface Activity {
  readonly id: string;
  readonly kind: ActivityKind;
  readonly date: string;
  readonly region: Region;
  readonly venue?: string;
  readonly title?: LocalizedText;
  readonly status: ActivityStatus;
  /** Set when held. */
  readonly participants?: DisaggregatedCount;
  readonly mediaReach?: number;
  /** Set when cancelled. */
  readonly cancellationReason?: string;
}

export interface Funding {
  readonly status: FundingStatus;
  /** The pending or answered request (set from REQUESTED on). */
  readonly requestId?: string;
  /** The commitment that answered the request (set once APPROVED or REJECTED). */
  readonly commitmentId?: string;
  readonly rejectionReason?: string;
  /** Set when the request was withdrawn (the campaign was cancelled); the status is kept. */
  readonly withdrawn?: true;
}

/** A campaign that exists. JSON-safe (money as MinorUnits strings) so that it can be snapshotted. */
export interface Campaign {
  readonly status: CampaignStatus;
  readonly id: string;
  readonly title: LocalizedText;
  readonly objective?: LocalizedText;
  readonly themes: readonly string[];
  readonly tags: readonly HumanRightsTag[];
  readonly audiences: readonly Audience[];
  readonly channels: readonly Channel[];
  readonly regions: readonly Region[];
  readonly startDate: string;
  readonly endDate: string;
  readonly targetReach: number;
  readonly partnerIds: readonly string[];
  readonly budgetLineId?: string;
  readonly estimatedCost?: MoneyAmount;
  readonly funding: Funding;
  /** In scheduling order. */
  readonly activities: readonly Activity[];
  readonly cancellationReason?: string;
}

/** The state of a stream with no event yet. */
export interface NoCampaign {
  readonly status: 'NOT_CREATED';
}

export type CampaignState = NoCampaign | Campaign;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const CAMPAIGN_STATE_SCHEMA_VERSION = 1;

export function initialState(): CampaignState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: CampaignState, event: CampaignEvent): CampaignState {
  if (event.type === 'CampaignCreated') {
    const { campaignId, ...fields } = event.data;
    return { status: 'DRAFT', id: campaignId, ...fields, funding: { status: 'NOT_REQUESTED' }, activities: [] };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a campaign.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'CampaignPlanned':
      return { ...state, status: 'PLANNED' };
    case 'FundingRequested':
      return { ...state, funding: { status: 'REQUESTED', requestId: event.data.requestId } };
    case 'FundingApproved':
      return { ...state, funding: { ...state.funding, status: 'APPROVED', commitmentId: event.data.commitmentId } };
    case 'FundingRejected':
      return {
        ...state,
        funding: { ...state.funding, status: 'REJECTED', commitmentId: event.data.commitmentId, rejectionReason: event.data.reason },
      };
    case 'CampaignLaunched':
      return { ...state, status: 'ACTIVE' };
    case 'ActivityScheduled': {
      const { campaignId: _campaignId, activityId, ...fields } = event.data;
      return { ...state, activities: [...state.activities, { id: activityId, ...fields, status: 'SCHEDULED' }] };
    }
    case 'ActivityHeld': {
      const { participants, mediaReach } = event.data;
      return updateActivity(state, event.data.activityId, (a) => ({
        ...a,
        status: 'HELD',
        participants,
        ...(mediaReach !== undefined ? { mediaReach } : {}),
      }));
    }
    case 'ActivityCancelled':
      return updateActivity(state, event.data.activityId, (a) => ({ ...a, status: 'CANCELLED', cancellationReason: event.data.reason }));
    case 'CampaignCompleted':
      return { ...state, status: 'COMPLETED' };
    case 'CampaignCancelled':
      return { ...state, status: 'CANCELLED', cancellationReason: event.data.reason };
    case 'FundingWithdrawn':
      return { ...state, funding: { ...state.funding, withdrawn: true } };
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

function updateActivity(state: Campaign, activityId: string, change: (a: Activity) => Activity): Campaign {
  return { ...state, activities: state.activities.map((a) => (a.id === activityId ? change(a) : a)) };
}

// ---------- read helpers over the state ----------

/** Whether the campaign was created. */
export function exists(state: CampaignState): state is Campaign {
  return state.status !== 'NOT_CREATED';
}

/** Completed or cancelled: closed to changes. */
export function isClosed(campaign: Campaign): boolean {
  return campaign.status === 'COMPLETED' || campaign.status === 'CANCELLED';
}

/** Whether the campaign has an estimated cost above zero (and so needs funding to launch). */
export function hasCost(campaign: Pick<Campaign, 'estimatedCost'>): boolean {
  return campaign.estimatedCost !== undefined && parseMinorUnits(campaign.estimatedCost.amount) > 0n;
}

/** Whether a NATIONAL campaign (activities may then be held in any region). */
export function isNational(campaign: Pick<Campaign, 'regions'>): boolean {
  return campaign.regions.includes('NATIONAL');
}

export function findActivity(campaign: Campaign, activityId: string): Activity | undefined {
  return campaign.activities.find((a) => a.id === activityId);
}

/** People counted, as the GraphQL `DisaggregatedCount` (the total is female + male + undisclosed). */
export interface ParticipantTotals {
  readonly total: number;
  readonly female: number;
  readonly male: number;
  readonly undisclosed: number;
  readonly withDisability: number;
}

/** Participants of the campaign: the sum over its HELD activities (zeros for a new stream). */
export function campaignParticipants(state: CampaignState): ParticipantTotals {
  const zero: ParticipantTotals = { total: 0, female: 0, male: 0, undisclosed: 0, withDisability: 0 };
  if (!exists(state)) return zero;
  return state.activities.reduce<ParticipantTotals>((sum, a) => {
    if (a.status !== 'HELD' || a.participants === undefined) return sum;
    const p = a.participants;
    return {
      total: sum.total + disaggregatedTotal(p),
      female: sum.female + p.female,
      male: sum.male + p.male,
      undisclosed: sum.undisclosed + p.undisclosed,
      withDisability: sum.withDisability + p.withDisability,
    };
  }, zero);
}

/** Reach of the campaign: participants of held activities plus the media reach of held activities. */
export function campaignReach(state: CampaignState): number {
  if (!exists(state)) return 0;
  const media = state.activities.reduce((sum, a) => sum + (a.status === 'HELD' ? (a.mediaReach ?? 0) : 0), 0);
  return campaignParticipants(state).total + media;
}
