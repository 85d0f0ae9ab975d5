import { tagKey, type LocalizedText, type StoredEvent } from '@hrp/contracts';
import { listKeys } from '@hrp/context-kit';
import type { ProjectionHandler } from '@hrp/messaging';
import type { AgreementEvent, Commitments, Contribution, Period } from '../agreement.events';

/** Name of the read model (collections `agreement_view__v<generation>`). */
export const AGREEMENT_VIEW = 'agreement_view';

/**
 * One document per agreement, listed in drafting order; `partnerId` and `status` are its filters
 * (a partner's agreements; those in force, for the follow-up). `endDate` is the current period's end.
 */
export interface AgreementViewDoc {
  _id: string;
  _version: number;
  _position: number;
  draftedPosition: number;
  listBucket: number;
  listBlock: number;
  partnerId: string;
  title: LocalizedText;
  scope: LocalizedText;
  period: Period;
  endDate: string;
  /** Renewals in order; the periods they replaced are `{ start: period.start, end: previousEnd }`. */
  renewals: { previousEnd: string; newEnd: string; renewedAt: string }[];
  commitments: Commitments;
  contributions: Contribution[];
  budgetLineId?: string;
  tags: { kind: string; ref: string }[];
  /** `tagKey` of each tag (`UPR_RECOMMENDATION:4-148.12`): the reverse view reads by it (indexed). */
  tagKeys: string[];
  status: string;
  fundingStatus: string;
  fundingRejectionReason?: string;
  signedOn?: string;
  /** The year of `signedOn`: contributions are mobilised in it (indexed, for `contributionsMobilised`). */
  signedYear?: number;
  activatedOn?: string;
  noticesSent: number[];
  expiredOn?: string;
  closingReason?: string;
  updatedAt: string;
}

type Of<T extends AgreementEvent['type']> = Extract<AgreementEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

export const agreementViewHandlers: Record<AgreementEvent['type'], ProjectionHandler> = {
  AgreementDrafted: (e) => {
    const d = e.data as Of<'AgreementDrafted'>;
    return {
      $set: {
        draftedPosition: e.position,
        ...listKeys(e.position),
        partnerId: d.partnerId,
        title: d.title,
        scope: d.scope,
        period: d.period,
        endDate: d.period.end,
        renewals: [],
        commitments: d.commitments,
        contributions: d.contributions,
        ...(d.budgetLineId !== undefined ? { budgetLineId: d.budgetLineId } : {}),
        tags: d.tags,
        tagKeys: d.tags.map(tagKey),
        status: 'DRAFT',
        fundingStatus: 'NOT_REQUESTED',
        noticesSent: [],
        ...touched(e),
      },
    };
  },
  FundingRequested: (e) => ({ $set: { fundingStatus: 'REQUESTED', ...touched(e) } }),
  FundingApproved: (e) => ({ $set: { fundingStatus: 'APPROVED', ...touched(e) } }),
  FundingRejected: (e) => ({
    $set: { fundingStatus: 'REJECTED', fundingRejectionReason: (e.data as Of<'FundingRejected'>).reason, ...touched(e) },
  }),
  FundingWithdrawn: (e) => ({ $set: touched(e) }),
  AgreementNegotiationStarted: (e) => ({ $set: { status: 'UNDER_NEGOTIATION', ...touched(e) } }),
  AgreementSigned: (e) => {
    const signedOn = (e.data as Of<'AgreementSigned'>).signedOn;
    // The year its contributions count as mobilised in (PRT-02): the year of the signature.
    return { $set: { status: 'SIGNED', signedOn, signedYear: Number(signedOn.slice(0, 4)), ...touched(e) } };
  },
  AgreementActivated: (e) => ({ $set: { status: 'ACTIVE', activatedOn: (e.data as Of<'AgreementActivated'>).activatedOn, ...touched(e) } }),
  AgreementRenewed: (e) => {
    const d = e.data as Of<'AgreementRenewed'>;
    // The period's start stays; the renewal is kept in the history; notices start again.
    return {
      $set: { 'period.end': d.newEnd, endDate: d.newEnd, noticesSent: [], ...touched(e) },
      $push: { renewals: { previousEnd: d.previousEnd, newEnd: d.newEnd, renewedAt: d.renewedAt } },
    } as never;
  },
  AgreementExpiring: (e) => ({ $set: touched(e), $push: { noticesSent: (e.data as Of<'AgreementExpiring'>).threshold } }) as never,
  AgreementExpired: (e) => ({ $set: { status: 'EXPIRED', expiredOn: (e.data as Of<'AgreementExpired'>).expiredOn, ...touched(e) } }),
  AgreementTerminated: (e) => ({
    $set: { status: 'TERMINATED', closingReason: (e.data as Of<'AgreementTerminated'>).reason, ...touched(e) },
  }),
  AgreementCancelled: (e) => ({ $set: { status: 'CANCELLED', closingReason: (e.data as Of<'AgreementCancelled'>).reason, ...touched(e) } }),
};
