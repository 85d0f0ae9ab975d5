import type { LocalizedText, StoredEvent } from '@hrp/contracts';
import { listKeys } from '@hrp/context-kit';
import type { ProjectionHandler, ProjectionUpdate } from '@hrp/messaging';
import type { CommitmentEvent } from '../commitment.events';
import { fieldKey } from '../../budget/projections/budget-view.projection';

/** Name of the read model (collections `commitment_view__v<generation>`). */
export const COMMITMENT_VIEW = 'commitment_view';

/**
 * The commitment read model: one document per commitment, listed in the order of their requests
 * (oldest first: the pending ones are worked through in that order). `regions` (the source
 * activity's) scopes what a regional officer reads; `status`, `budgetLineId`, `sourceId` and
 * `regions` are the list's filters.
 */
export interface CommitmentViewDoc {
  _id: string;
  _version: number;
  _position: number;
  requestedPosition: number;
  listBucket: number;
  listBlock: number;
  budgetId: string;
  budgetLineId: string;
  amount: { amount: string; currency: string };
  purpose: LocalizedText;
  sourceType: string;
  sourceId: string;
  regions: string[];
  requestId?: string;
  quotes: string[];
  status: string;
  requestedAt: string;
  decidedAt?: string;
  rejectionReason?: string;
  releaseReason?: string;
  expenses: Record<string, ExpenseView>;
  expenseOrder: string[];
  updatedAt: string;
}

export interface ExpenseView {
  id: string;
  amount: { amount: string; currency: string };
  supplier: string;
  invoiceRef: string;
  date: string;
}

type Of<T extends CommitmentEvent['type']> = Extract<CommitmentEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

/** Mongo update per event type; pure (the same event always gives the same update). */
export const commitmentViewHandlers: Record<CommitmentEvent['type'], ProjectionHandler> = {
  CommitmentRequested: (e) => {
    const d = e.data as Of<'CommitmentRequested'>;
    return {
      $set: {
        requestedPosition: e.position,
        ...listKeys(e.position),
        budgetId: d.budgetId,
        budgetLineId: d.budgetLineId,
        amount: d.amount,
        purpose: d.purpose,
        sourceType: d.sourceType,
        sourceId: d.sourceId,
        regions: d.regions,
        ...(d.requestId !== undefined ? { requestId: d.requestId } : {}),
        quotes: d.quotes,
        status: 'REQUESTED',
        requestedAt: d.requestedAt,
        expenses: {},
        expenseOrder: [],
        ...touched(e),
      },
    };
  },
  QuotesCited: (e) =>
    ({
      $set: touched(e),
      $push: { quotes: { $each: (e.data as Of<'QuotesCited'>).quotes } },
    }) as unknown as ProjectionUpdate,
  CommitmentApproved: (e) => ({ $set: { status: 'APPROVED', decidedAt: (e.data as Of<'CommitmentApproved'>).decidedAt, ...touched(e) } }),
  CommitmentRejected: (e) => {
    const d = e.data as Of<'CommitmentRejected'>;
    return { $set: { status: 'REJECTED', decidedAt: d.decidedAt, rejectionReason: d.reason, ...touched(e) } };
  },
  ExpenseRecorded: (e) => {
    const d = e.data as Of<'ExpenseRecorded'>;
    const expense: ExpenseView = { id: d.expenseId, amount: d.amount, supplier: d.supplier, invoiceRef: d.invoiceRef, date: d.date };
    return {
      $set: { [`expenses.${fieldKey(d.expenseId)}`]: expense, ...touched(e) },
      $push: { expenseOrder: d.expenseId },
    } as unknown as ProjectionUpdate;
  },
  CommitmentReleased: (e) => ({ $set: { status: 'RELEASED', releaseReason: (e.data as Of<'CommitmentReleased'>).reason, ...touched(e) } }),
};
