import type { DomainEvent } from '@hrp/domain-kit';
import type {
  CommitmentApproved as CommitmentApprovedData,
  CommitmentRejected as CommitmentRejectedData,
  FundingSourceType,
  LocalizedText,
  MoneyAmount,
} from '@hrp/contracts';
import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';

/*
 * Finance — commitment (engagement de dépense, docs/domain.md): the events of one commitment
 * stream, the state they fold into, and read helpers. A commitment is taken on a budget line for
 * an amount and a purpose, on behalf of an originating activity; its expenses are recorded on it.
 *
 * Every commitment names its source (sourceType, sourceId): the domain gives each commitment "a
 * reference to the originating activity", and the decisions are published with the shared
 * integration payload (libs/contracts, funding.ts), which requires it. Kinds outside the
 * contract's FUNDING_SOURCE_TYPES (e.g. an advocacy dossier) wait for a v2 of that contract.
 */

export type CommitmentStatus = 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'RELEASED';

/**
 * Commitment ids are their stream ids and name their budget's year: `commitment-2026-<id>`. So
 * the process finds the budget of a commitment from its id alone (CommitmentRejected, the shared
 * integration payload, names no budget).
 */
export const COMMITMENT_ID_PREFIX = 'commitment-';

/** `budgetId` is `budget-<year>`. */
export function commitmentStreamId(budgetId: string, id: string): string {
  return `${COMMITMENT_ID_PREFIX}${budgetId.slice('budget-'.length)}-${id}`;
}

/**
 * The stream of the commitment opened for a funding request: derived from the request id, so that
 * a redelivered `FundingRequested` lands on the same stream and opens nothing twice.
 */
export function commitmentStreamIdForRequest(budgetId: string, requestId: string): string {
  return commitmentStreamId(budgetId, `req-${requestId}`);
}

const COMMITMENT_OF_BUDGET = /^commitment-([0-9]{4})-./;

/** The budget a commitment id names (`budget-<year>`), or null for an id of another form. */
export function budgetIdOfCommitment(commitmentId: string): string | null {
  const year = COMMITMENT_OF_BUDGET.exec(commitmentId)?.[1];
  return year === undefined ? null : `budget-${year}`;
}

// ---------- events ----------

export type CommitmentRequested = DomainEvent<
  'CommitmentRequested',
  {
    readonly commitmentId: string;
    readonly budgetId: string;
    readonly budgetLineId: string;
    readonly amount: MoneyAmount;
    readonly purpose: LocalizedText;
    readonly sourceType: FundingSourceType;
    readonly sourceId: string;
    /** Regions of the source activity (`MA-01`…`MA-12`, `NATIONAL`): what regional officers may read. */
    readonly regions: readonly string[];
    /** The `FundingRequested.requestId` it answers; absent when entered by hand in finance. */
    readonly requestId?: string;
    /** References of the suppliers' quotes cited (e.g. `DEV-2025-014 Atlas Print`). */
    readonly quotes: readonly string[];
    readonly requestedAt: string;
  }
>;

/** Quotes cited after the request (appended; those already cited are not repeated). */
export type QuotesCited = DomainEvent<'QuotesCited', { readonly commitmentId: string; readonly quotes: readonly string[] }>;

/** Exactly the integration payload of libs/contracts, published as it is (campaigns consumes it). */
export type CommitmentApproved = DomainEvent<'CommitmentApproved', CommitmentApprovedData>;
export type CommitmentRejected = DomainEvent<'CommitmentRejected', CommitmentRejectedData>;

export type ExpenseRecorded = DomainEvent<
  'ExpenseRecorded',
  {
    readonly commitmentId: string;
    readonly expenseId: string;
    readonly amount: MoneyAmount;
    readonly supplier: string;
    readonly invoiceRef: string;
    /** YYYY-MM-DD, the invoice's date. */
    readonly date: string;
  }
>;

export type CommitmentReleased = DomainEvent<
  'CommitmentReleased',
  { readonly commitmentId: string; readonly reason: string; readonly releasedAt: string }
>;

export type CommitmentEvent =
  CommitmentRequested | QuotesCited | CommitmentApproved | CommitmentRejected | ExpenseRecorded | CommitmentReleased;

export type CommitmentEventType = CommitmentEvent['type'];

export const COMMITMENT_EVENT_TYPES = [
  'CommitmentRequested',
  'QuotesCited',
  'CommitmentApproved',
  'CommitmentRejected',
  'ExpenseRecorded',
  'CommitmentReleased',
] as const satisfies readonly CommitmentEventType[];

// ---------- state ----------

export interface Expense {
  readonly id: string;
  readonly amount: MoneyAmount;
  readonly supplier: string;
  readonly invoiceRef: string;
  readonly date: string;
}

/** A commitment that exists: what its request said, then its decision. JSON-safe (money as MinorUnits strings). */
export interface Commitment extends Omit<CommitmentRequested['data'], 'commitmentId'> {
  readonly status: CommitmentStatus;
  readonly id: string;
  readonly decidedAt?: string;
  readonly rejectionReason?: string;
  readonly releaseReason?: string;
  /** In recording order. */
  readonly expenses: readonly Expense[];
}

export interface NoCommitment {
  readonly status: 'NOT_CREATED';
}

export type CommitmentState = NoCommitment | Commitment;

export const COMMITMENT_STATE_SCHEMA_VERSION = 2;

export function initialState(): CommitmentState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: CommitmentState, event: CommitmentEvent): CommitmentState {
  if (event.type === 'CommitmentRequested') {
    const { commitmentId, ...fields } = event.data;
    return { status: 'REQUESTED', id: commitmentId, ...fields, expenses: [] };
  }
  if (!exists(state)) return state;
  switch (event.type) {
    case 'QuotesCited':
      return { ...state, quotes: [...state.quotes, ...event.data.quotes] };
    case 'CommitmentApproved':
      return { ...state, status: 'APPROVED', decidedAt: event.data.decidedAt };
    case 'CommitmentRejected':
      return { ...state, status: 'REJECTED', decidedAt: event.data.decidedAt, rejectionReason: event.data.reason };
    case 'ExpenseRecorded': {
      const { commitmentId: _commitmentId, expenseId, ...fields } = event.data;
      return { ...state, expenses: [...state.expenses, { id: expenseId, ...fields }] };
    }
    case 'CommitmentReleased':
      return { ...state, status: 'RELEASED', releaseReason: event.data.reason };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

// ---------- read helpers ----------

export function exists(state: CommitmentState): state is Commitment {
  return state.status !== 'NOT_CREATED';
}

/** Sum of the expenses, in minor units. */
export function spentOf(commitment: Commitment): bigint {
  return commitment.expenses.reduce((sum, e) => sum + parseMinorUnits(e.amount.amount), 0n);
}

/** What can still be spent on the commitment (zero unless APPROVED). */
export function remainingOf(commitment: Commitment): bigint {
  if (commitment.status !== 'APPROVED') return 0n;
  return parseMinorUnits(commitment.amount.amount) - spentOf(commitment);
}

export function remainingAmount(commitment: Commitment): MoneyAmount {
  return { amount: formatMinorUnits(remainingOf(commitment)), currency: commitment.amount.currency };
}

export { invoiceKey } from '../budget/budget.events';
