import type { DomainEvent } from '@hrp/domain-kit';
import type {
  FundingRequested as FundingRequestedData,
  FundingRequestStatus,
  FundingWithdrawn as FundingWithdrawnData,
  HumanRightsTag,
  LocalizedText,
  MoneyAmount,
} from '@hrp/contracts';

/*
 * Partnerships — agreements (docs/domain.md, "Partnerships"): the events of one agreement stream
 * (a convention or memorandum of understanding with one partner), the state they fold into, and
 * read helpers over it. Event data is plain JSON (dates as YYYY-MM-DD strings, money as MinorUnits
 * strings); optional fields are absent, never null or undefined.
 *
 * Lifecycle: DRAFT -> UNDER_NEGOTIATION -> SIGNED -> ACTIVE -> EXPIRED | TERMINATED (reason), and
 * CANCELLED (reason) for an agreement abandoned before its signature. A renewal extends the period
 * of a SIGNED or ACTIVE agreement; the periods it replaced are kept.
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

export type AgreementStatus = 'DRAFT' | 'UNDER_NEGOTIATION' | 'SIGNED' | 'ACTIVE' | 'EXPIRED' | 'TERMINATED' | 'CANCELLED';
export type FundingStatus = FundingRequestStatus;

export const CONTRIBUTION_DIRECTIONS = ['FROM_PARTNER', 'FROM_US'] as const;
export type ContributionDirection = (typeof CONTRIBUTION_DIRECTIONS)[number];
export const CONTRIBUTION_KINDS = ['FINANCIAL', 'IN_KIND'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

/** Days before the end date at which the follow-up notices an agreement, largest first. */
export const EXPIRY_THRESHOLDS = [60, 30, 7] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];

/** Agreement ids are their stream ids: `agreement-<uuid>`. */
export const AGREEMENT_ID_PREFIX = 'agreement-';

/** The stream id of an agreement from a fresh uuid (or any id suffix). */
export function agreementStreamId(uuid: string): string {
  return `${AGREEMENT_ID_PREFIX}${uuid}`;
}

/** A closed interval of days, YYYY-MM-DD, `start` ≤ `end`. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

export interface Commitments {
  /** What the institution undertakes. */
  readonly ours: readonly string[];
  /** What the partner undertakes. */
  readonly theirs: readonly string[];
}

/** Money given (FINANCIAL, above zero) or goods and services (IN_KIND, valued at zero or more). */
export type Contribution =
  | { readonly direction: ContributionDirection; readonly kind: 'FINANCIAL'; readonly money: MoneyAmount }
  | {
      readonly direction: ContributionDirection;
      readonly kind: 'IN_KIND';
      readonly description: string;
      readonly estimatedValue: MoneyAmount;
    };

// ---------- events ----------

export type AgreementDrafted = DomainEvent<
  'AgreementDrafted',
  {
    readonly agreementId: string;
    readonly partnerId: string;
    readonly title: LocalizedText;
    readonly scope: LocalizedText;
    readonly period: Period;
    readonly commitments: Commitments;
    readonly contributions: readonly Contribution[];
    readonly budgetLineId?: string;
    readonly tags: readonly HumanRightsTag[];
  }
>;

/**
 * Exactly the integration payload of libs/contracts (`sourceType: 'AGREEMENT'`, `sourceId` the
 * agreement id, `regions: ['NATIONAL']`), so that the relay publishes it as it is and finance
 * reads it with the shared schema.
 */
export type FundingRequested = DomainEvent<'FundingRequested', FundingRequestedData>;

export type FundingApproved = DomainEvent<
  'FundingApproved',
  {
    readonly agreementId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly decidedAt: string;
  }
>;

export type FundingRejected = DomainEvent<
  'FundingRejected',
  {
    readonly agreementId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly reason: string;
    readonly decidedAt: string;
  }
>;

export type AgreementNegotiationStarted = DomainEvent<'AgreementNegotiationStarted', { readonly agreementId: string }>;

export type AgreementSigned = DomainEvent<'AgreementSigned', { readonly agreementId: string; readonly signedOn: string }>;

/** `activatedOn` is the adapter's day when it was activated (on or after the period's start). */
export type AgreementActivated = DomainEvent<'AgreementActivated', { readonly agreementId: string; readonly activatedOn: string }>;

/** The period's end moves from `previousEnd` to `newEnd`; the expiry notices start again for `newEnd`. */
export type AgreementRenewed = DomainEvent<
  'AgreementRenewed',
  { readonly agreementId: string; readonly previousEnd: string; readonly newEnd: string; readonly renewedAt: string }
>;

/**
 * The follow-up reached `threshold` days before `endDate` (days left ≤ threshold). `noticedOn` is
 * the day of the check: later than `endDate - threshold` when the check missed days.
 */
export type AgreementExpiring = DomainEvent<
  'AgreementExpiring',
  { readonly agreementId: string; readonly threshold: ExpiryThreshold; readonly endDate: string; readonly noticedOn: string }
>;

/** The period ended: `expiredOn` is the day of the check (after `endDate`). */
export type AgreementExpired = DomainEvent<
  'AgreementExpired',
  { readonly agreementId: string; readonly endDate: string; readonly expiredOn: string }
>;

export type AgreementTerminated = DomainEvent<'AgreementTerminated', { readonly agreementId: string; readonly reason: string }>;

export type AgreementCancelled = DomainEvent<'AgreementCancelled', { readonly agreementId: string; readonly reason: string }>;

/** The request is withdrawn because the agreement was terminated or cancelled: the shared integration payload. */
export type FundingWithdrawn = DomainEvent<'FundingWithdrawn', FundingWithdrawnData>;

export type AgreementEvent =
  | AgreementDrafted
  | FundingRequested
  | FundingApproved
  | FundingRejected
  | AgreementNegotiationStarted
  | AgreementSigned
  | AgreementActivated
  | AgreementRenewed
  | AgreementExpiring
  | AgreementExpired
  | AgreementTerminated
  | AgreementCancelled
  | FundingWithdrawn;

export type AgreementEventType = AgreementEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const AGREEMENT_EVENT_TYPES = [
  'AgreementDrafted',
  'FundingRequested',
  'FundingApproved',
  'FundingRejected',
  'AgreementNegotiationStarted',
  'AgreementSigned',
  'AgreementActivated',
  'AgreementRenewed',
  'AgreementExpiring',
  'AgreementExpired',
  'AgreementTerminated',
  'AgreementCancelled',
  'FundingWithdrawn',
] as const satisfies readonly AgreementEventType[];

// ---------- state ----------

export interface Funding {
  readonly status: FundingStatus;
  /** The pending or answered request (set from REQUESTED on). */
  readonly requestId?: string;
  /** The commitment that answered the request (set once APPROVED or REJECTED). */
  readonly commitmentId?: string;
  readonly rejectionReason?: string;
  /** Set when the request was withdrawn (the agreement was terminated or cancelled); the status is kept. */
  readonly withdrawn?: true;
}

export interface Renewal {
  readonly previousEnd: string;
  readonly newEnd: string;
  readonly renewedAt: string;
}

/** An agreement that exists. JSON-safe (money as MinorUnits strings) so that it can be snapshotted. */
export interface Agreement {
  readonly status: AgreementStatus;
  readonly id: string;
  readonly partnerId: string;
  readonly title: LocalizedText;
  readonly scope: LocalizedText;
  /** The period in force (its end moved by the renewals). */
  readonly period: Period;
  /** The periods replaced by renewals, oldest first: the history of the agreement's periods. */
  readonly previousPeriods: readonly Period[];
  readonly renewals: readonly Renewal[];
  readonly commitments: Commitments;
  readonly contributions: readonly Contribution[];
  readonly budgetLineId?: string;
  readonly tags: readonly HumanRightsTag[];
  readonly funding: Funding;
  readonly signedOn?: string;
  readonly activatedOn?: string;
  /** The thresholds noticed for the current end date, in the order noticed (cleared by a renewal). */
  readonly noticesSent: readonly ExpiryThreshold[];
  readonly expiredOn?: string;
  /** Set when TERMINATED or CANCELLED. */
  readonly closingReason?: string;
}

/** The state of a stream with no event yet. */
export interface NoAgreement {
  readonly status: 'NOT_CREATED';
}

export type AgreementState = NoAgreement | Agreement;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const AGREEMENT_STATE_SCHEMA_VERSION = 1;

export function initialState(): AgreementState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: AgreementState, event: AgreementEvent): AgreementState {
  if (event.type === 'AgreementDrafted') {
    const { agreementId, ...fields } = event.data;
    return {
      status: 'DRAFT',
      id: agreementId,
      ...fields,
      previousPeriods: [],
      renewals: [],
      funding: { status: 'NOT_REQUESTED' },
      noticesSent: [],
    };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent an agreement.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'FundingRequested':
      return { ...state, funding: { status: 'REQUESTED', requestId: event.data.requestId } };
    case 'FundingApproved':
      return { ...state, funding: { ...state.funding, status: 'APPROVED', commitmentId: event.data.commitmentId } };
    case 'FundingRejected':
      return {
        ...state,
        funding: { ...state.funding, status: 'REJECTED', commitmentId: event.data.commitmentId, rejectionReason: event.data.reason },
      };
    case 'AgreementNegotiationStarted':
      return { ...state, status: 'UNDER_NEGOTIATION' };
    case 'AgreementSigned':
      return { ...state, status: 'SIGNED', signedOn: event.data.signedOn };
    case 'AgreementActivated':
      return { ...state, status: 'ACTIVE', activatedOn: event.data.activatedOn };
    case 'AgreementRenewed': {
      const { previousEnd, newEnd, renewedAt } = event.data;
      return {
        ...state,
        previousPeriods: [...state.previousPeriods, state.period],
        period: { start: state.period.start, end: newEnd },
        renewals: [...state.renewals, { previousEnd, newEnd, renewedAt }],
        noticesSent: [],
      };
    }
    case 'AgreementExpiring':
      return { ...state, noticesSent: [...state.noticesSent, event.data.threshold] };
    case 'AgreementExpired':
      return { ...state, status: 'EXPIRED', expiredOn: event.data.expiredOn };
    case 'AgreementTerminated':
      return { ...state, status: 'TERMINATED', closingReason: event.data.reason };
    case 'AgreementCancelled':
      return { ...state, status: 'CANCELLED', closingReason: event.data.reason };
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

// ---------- read helpers over the state ----------

/** Whether the agreement was drafted. */
export function exists(state: AgreementState): state is Agreement {
  return state.status !== 'NOT_CREATED';
}

/** Expired, terminated or cancelled: closed to changes. */
export function isClosed(agreement: Pick<Agreement, 'status'>): boolean {
  return agreement.status === 'EXPIRED' || agreement.status === 'TERMINATED' || agreement.status === 'CANCELLED';
}

/** Signed or active: the period is in force or about to be (what the expiry follow-up watches). */
export function isInForce(agreement: { readonly status: string }): boolean {
  return agreement.status === 'SIGNED' || agreement.status === 'ACTIVE';
}

/** Our financial contributions (FROM_US, FINANCIAL): what the funding request asks finance for. */
export function ourFinancialContributions(agreement: Pick<Agreement, 'contributions'>): Array<Contribution & { kind: 'FINANCIAL' }> {
  return agreement.contributions.filter(
    (c): c is Contribution & { kind: 'FINANCIAL' } => c.direction === 'FROM_US' && c.kind === 'FINANCIAL',
  );
}

/** Whether the agreement needs finance's approval to be signed. */
export function needsFunding(agreement: Pick<Agreement, 'contributions'>): boolean {
  return ourFinancialContributions(agreement).length > 0;
}
