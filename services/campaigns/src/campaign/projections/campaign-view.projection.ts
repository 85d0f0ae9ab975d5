import { tagKey, type StoredEvent } from '@hrp/contracts';
import { listKeys, searchFields } from '@hrp/context-kit';
import type { ProjectionHandler, ProjectionUpdate } from '@hrp/messaging';
import type { CampaignEvent } from '../campaign.events';

/** Name of the read model (collections `campaign_view__v<generation>`). */
export const CAMPAIGN_VIEW = 'campaign_view';

/**
 * The campaign read model: one document per campaign, kept by single-document updates so that
 * applying an event is one conditional write (idempotent through the per-stream version the
 * projection helper keeps in the same document). Activities are a map by id plus an order
 * list: FerretDB 1.x has no arrayFilters, and a map needs none.
 */
export interface CampaignViewDoc {
  _id: string;
  _version: number;
  _position: number;
  /** The list's order: the position of CampaignCreated, and its bucket and block (context-kit paging). */
  createdPosition: number;
  listBucket: number;
  listBlock: number;
  title: { fr: string; ar?: string; en?: string; zgh?: string };
  objective?: { fr: string; ar?: string; en?: string; zgh?: string };
  /** The titles in every language, for the word-prefix search (context-kit search.ts). */
  searchTerms: string[];
  searchWords: string;
  status: string;
  themes: string[];
  tags: { kind: string; ref: string }[];
  /** `tagKey` of each tag (`UPR_RECOMMENDATION:4-148.12`): the reverse view reads by it (indexed). */
  tagKeys: string[];
  audiences: string[];
  channels: string[];
  regions: string[];
  startDate: string;
  endDate: string;
  targetReach: number;
  estimatedCost?: { amount: string; currency: string };
  partnerIds: string[];
  budgetLineId?: string;
  fundingStatus: string;
  fundingRejectionReason?: string;
  /** Set when the funding request was withdrawn (the campaign was cancelled); absent otherwise. */
  fundingWithdrawn?: boolean;
  cancellationReason?: string;
  activities: Record<string, ActivityView>;
  activityOrder: string[];
  participants: { total: number; female: number; male: number; undisclosed: number; withDisability: number };
  mediaReach: number;
  createdAt: string;
  updatedAt: string;
}

export interface ActivityView {
  id: string;
  kind: string;
  date: string;
  region: string;
  venue?: string;
  title?: { fr: string; ar?: string; en?: string; zgh?: string };
  status: string;
  participants?: { total: number; female: number; male: number; undisclosed: number; withDisability: number };
  mediaReach?: number;
  cancellationReason?: string;
}

type Of<T extends CampaignEvent['type']> = Extract<CampaignEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });
const searchOf = (t: { fr: string; ar?: string; en?: string; zgh?: string }) => searchFields([t.fr, t.ar, t.en, t.zgh]);

/** Mongo update per event type; pure (the same event always gives the same update). */
export const campaignViewHandlers: Record<CampaignEvent['type'], ProjectionHandler> = {
  CampaignCreated: (e) => {
    const d = e.data as Of<'CampaignCreated'>;
    const set: Record<string, unknown> = {
      createdPosition: e.position,
      ...listKeys(e.position),
      title: d.title,
      ...searchOf(d.title),
      status: 'DRAFT',
      themes: d.themes,
      tags: d.tags,
      tagKeys: d.tags.map(tagKey),
      audiences: d.audiences,
      channels: d.channels,
      regions: d.regions,
      startDate: d.startDate,
      endDate: d.endDate,
      targetReach: d.targetReach,
      partnerIds: d.partnerIds,
      fundingStatus: 'NOT_REQUESTED',
      activities: {},
      activityOrder: [],
      participants: { total: 0, female: 0, male: 0, undisclosed: 0, withDisability: 0 },
      mediaReach: 0,
      createdAt: e.metadata.time,
      updatedAt: e.metadata.time,
    };
    if (d.objective) set.objective = d.objective;
    if (d.budgetLineId) set.budgetLineId = d.budgetLineId;
    if (d.estimatedCost) set.estimatedCost = d.estimatedCost;
    return { $set: set };
  },
  CampaignPlanned: (e) => ({ $set: { status: 'PLANNED', ...touched(e) } }),
  FundingRequested: (e) => ({ $set: { fundingStatus: 'REQUESTED', ...touched(e) } }),
  FundingApproved: (e) => ({ $set: { fundingStatus: 'APPROVED', ...touched(e) } }),
  FundingRejected: (e) => ({
    $set: { fundingStatus: 'REJECTED', fundingRejectionReason: (e.data as Of<'FundingRejected'>).reason, ...touched(e) },
  }),
  CampaignLaunched: (e) => ({ $set: { status: 'ACTIVE', ...touched(e) } }),
  ActivityScheduled: (e) => {
    const d = e.data as Of<'ActivityScheduled'>;
    const activity: ActivityView = { id: d.activityId, kind: d.kind, date: d.date, region: d.region, status: 'SCHEDULED' };
    if (d.venue) activity.venue = d.venue;
    if (d.title) activity.title = d.title;
    return {
      $set: { [`activities.${d.activityId}`]: activity, ...touched(e) },
      $push: { activityOrder: d.activityId },
    } as unknown as ProjectionUpdate;
  },
  ActivityHeld: (e) => {
    const d = e.data as Of<'ActivityHeld'>;
    const p = d.participants;
    const total = p.female + p.male + p.undisclosed;
    const participants = { total, female: p.female, male: p.male, undisclosed: p.undisclosed, withDisability: p.withDisability };
    const set: Record<string, unknown> = {
      [`activities.${d.activityId}.status`]: 'HELD',
      [`activities.${d.activityId}.participants`]: participants,
      ...touched(e),
    };
    if (d.mediaReach !== undefined) set[`activities.${d.activityId}.mediaReach`] = d.mediaReach;
    return {
      $set: set,
      $inc: {
        'participants.total': total,
        'participants.female': p.female,
        'participants.male': p.male,
        'participants.undisclosed': p.undisclosed,
        'participants.withDisability': p.withDisability,
        mediaReach: d.mediaReach ?? 0,
      },
    };
  },
  ActivityCancelled: (e) => {
    const d = e.data as Of<'ActivityCancelled'>;
    return {
      $set: {
        [`activities.${d.activityId}.status`]: 'CANCELLED',
        [`activities.${d.activityId}.cancellationReason`]: d.reason,
        ...touched(e),
      },
    };
  },
  CampaignCompleted: (e) => ({ $set: { status: 'COMPLETED', ...touched(e) } }),
  CampaignCancelled: (e) => ({
    $set: { status: 'CANCELLED', cancellationReason: (e.data as Of<'CampaignCancelled'>).reason, ...touched(e) },
  }),
  FundingWithdrawn: (e) => ({ $set: { fundingWithdrawn: true, ...touched(e) } }),
};
