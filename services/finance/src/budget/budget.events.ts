import type { DomainEvent } from '@hrp/domain-kit';
import type { MoneyAmount } from '@hrp/contracts';
import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';

/*
 * Finance — budget (docs/domain.md, "Finance — budget and administration"): the events of one
 * budget stream (one per fiscal year), the state they fold into, and read helpers over it. Event
 * data is plain JSON (money as MinorUnits strings, in the budget's one currency); optional fields
 * are absent, never null or undefined.
 *
 * The budget is the consistency boundary of "the sum of approved commitments never exceeds the
 * line": every commitment's approval first commits its amount on the line here (`FundsCommitted`),
 * so two approvals that race on the same line race on this one stream, and the loser is decided
 * again on the fresh state (and refused when the line no longer has the money).
 */

// ---------- vocabulary (spelled as the GraphQL enums) ----------

export const PROGRAMME_AREAS = ['AWARENESS', 'TRAINING', 'PARTNERSHIPS', 'ADVOCACY', 'OPERATIONS'] as const;
export type ProgrammeArea = (typeof PROGRAMME_AREAS)[number];

export type BudgetStatus = 'DRAFT' | 'APPROVED' | 'CLOSED';

/** Budget ids are their stream ids: `budget-<fiscal year>`, so a year has at most one budget. */
export const BUDGET_ID_PREFIX = 'budget-';

export function budgetStreamId(fiscalYear: number): string {
  return `${BUDGET_ID_PREFIX}${fiscalYear}`;
}

/**
 * Line ids name their budget: `budget-2026.line-3` is the third line of the 2026 draft. So a
 * message that names only a line (a `FundingRequested`) finds its budget without a lookup.
 */
export function budgetLineId(budgetId: string, n: number): string {
  return `${budgetId}.line-${n}`;
}

const LINE_ID = /^(budget-[0-9]{4})\.line-[1-9][0-9]{0,2}$/;

/** The budget a line id names, or null when it is not a line id. */
export function budgetIdOfLine(lineId: string): string | null {
  return LINE_ID.exec(lineId)?.[1] ?? null;
}

/**
 * The key under which an invoice is recorded once per supplier: case and runs of blanks do not
 * make a new invoice ("Atlas  Print" and "ATLAS PRINT" are one supplier).
 */
export function invoiceKey(supplier: string, invoiceRef: string): string {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
  return `${norm(supplier)}\u0000${norm(invoiceRef)}`;
}

/**
 * Defaults of docs/domain.md, in centimes of MAD: a commitment above 50,000.00 MAD needs the
 * director; above 200,000.00 MAD it must cite three quotes. Applied when a draft names none.
 */
export const DEFAULT_APPROVAL_THRESHOLD = 5_000_000n;
export const DEFAULT_PROCUREMENT_THRESHOLD = 20_000_000n;

// ---------- events ----------

export interface BudgetLineData {
  readonly lineId: string;
  readonly programmeArea: ProgrammeArea;
  /** Distinguishes lines of the same programme area. */
  readonly label?: string;
  readonly allocated: MoneyAmount;
}

/** Thresholds of the commitment approval rules, per budget (they change by decree, not by code). */
export interface Thresholds {
  /** Above it (strictly), a commitment needs the director; up to it, a finance officer. */
  readonly approval: MoneyAmount;
  /** Above it (strictly), a commitment must cite three quotes. */
  readonly procurement: MoneyAmount;
}

export type BudgetDrafted = DomainEvent<
  'BudgetDrafted',
  {
    readonly budgetId: string;
    readonly fiscalYear: number;
    readonly currency: string;
    readonly lines: readonly BudgetLineData[];
    /** The thresholds in force from the draft on (the defaults when the draft named none). */
    readonly thresholds: Thresholds;
  }
>;

export type BudgetThresholdsSet = DomainEvent<'BudgetThresholdsSet', { readonly budgetId: string; readonly thresholds: Thresholds }>;

export type BudgetApproved = DomainEvent<'BudgetApproved', { readonly budgetId: string }>;

export type FundsReallocated = DomainEvent<
  'FundsReallocated',
  {
    readonly budgetId: string;
    readonly reallocationId: string;
    readonly fromLineId: string;
    readonly toLineId: string;
    readonly amount: MoneyAmount;
    readonly reason: string;
  }
>;

/** A commitment's amount, reserved on its line when the commitment is approved. */
export type FundsCommitted = DomainEvent<
  'FundsCommitted',
  { readonly budgetId: string; readonly lineId: string; readonly commitmentId: string; readonly amount: MoneyAmount }
>;

/** A released commitment gives its amount back to the line. */
export type FundsReleased = DomainEvent<
  'FundsReleased',
  { readonly budgetId: string; readonly lineId: string; readonly commitmentId: string; readonly amount: MoneyAmount }
>;

/**
 * An expense (supplier, invoice, date) spent on its commitment's line. The budget is where an
 * expense is decided (the year's books: nothing is spent on a closed budget, never more than the
 * commitment, an invoice once per supplier in the year); the commitment records it after.
 */
export type FundsSpent = DomainEvent<
  'FundsSpent',
  {
    readonly budgetId: string;
    readonly lineId: string;
    readonly commitmentId: string;
    readonly expenseId: string;
    readonly amount: MoneyAmount;
    readonly supplier: string;
    readonly invoiceRef: string;
    /** YYYY-MM-DD, the invoice's date. */
    readonly date: string;
  }
>;

/**
 * A commitment that will never take funds from this budget: rejected, or withdrawn by its source
 * before any approval. Recorded even when nothing was committed, so that an approval racing the
 * rejection or the withdrawal cannot commit its amount afterwards.
 */
export type CommitmentVoided = DomainEvent<'CommitmentVoided', { readonly budgetId: string; readonly commitmentId: string }>;

export type BudgetClosed = DomainEvent<'BudgetClosed', { readonly budgetId: string }>;

export type BudgetEvent =
  | BudgetDrafted
  | BudgetThresholdsSet
  | BudgetApproved
  | FundsReallocated
  | FundsCommitted
  | FundsReleased
  | FundsSpent
  | CommitmentVoided
  | BudgetClosed;

export type BudgetEventType = BudgetEvent['type'];

/** Every event type of the stream, in lifecycle order. */
export const BUDGET_EVENT_TYPES = [
  'BudgetDrafted',
  'BudgetThresholdsSet',
  'BudgetApproved',
  'FundsReallocated',
  'FundsCommitted',
  'FundsReleased',
  'FundsSpent',
  'CommitmentVoided',
  'BudgetClosed',
] as const satisfies readonly BudgetEventType[];

// ---------- state ----------

export interface BudgetLine {
  readonly id: string;
  readonly programmeArea: ProgrammeArea;
  readonly label?: string;
  /** MinorUnits strings, in the budget's currency. */
  readonly allocated: string;
  readonly committed: string;
  readonly spent: string;
}

/** What the budget knows of one commitment committed on it. */
export interface CommittedFunds {
  readonly lineId: string;
  readonly amount: string;
  readonly spent: string;
  readonly released: boolean;
  /** Expenses already counted, so that a redelivered one is not counted twice. */
  readonly expenseIds: readonly string[];
}

/** A budget that exists. JSON-safe (money as MinorUnits strings) so that it can be snapshotted. */
export interface Budget {
  readonly status: BudgetStatus;
  readonly id: string;
  readonly fiscalYear: number;
  readonly currency: string;
  /** In the order of the draft. */
  readonly lines: readonly BudgetLine[];
  readonly thresholds: Thresholds;
  /** By commitment id. */
  readonly commitments: Readonly<Record<string, CommittedFunds>>;
  readonly reallocationIds: readonly string[];
  /** Commitments voided on this budget (see CommitmentVoided). */
  readonly voided: readonly string[];
  /** Invoices spent in the year, by `invoiceKey`: the expense that spent each. */
  readonly invoices: Readonly<Record<string, string>>;
}

export interface NoBudget {
  readonly status: 'NOT_CREATED';
}

export type BudgetState = NoBudget | Budget;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const BUDGET_STATE_SCHEMA_VERSION = 2;

export function initialState(): BudgetState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: BudgetState, event: BudgetEvent): BudgetState {
  if (event.type === 'BudgetDrafted') {
    const d = event.data;
    return {
      status: 'DRAFT',
      id: d.budgetId,
      fiscalYear: d.fiscalYear,
      currency: d.currency,
      lines: d.lines.map((l) => ({
        id: l.lineId,
        programmeArea: l.programmeArea,
        ...(l.label !== undefined ? { label: l.label } : {}),
        allocated: l.allocated.amount,
        committed: '0',
        spent: '0',
      })),
      thresholds: d.thresholds,
      commitments: {},
      reallocationIds: [],
      voided: [],
      invoices: {},
    };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a budget.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'BudgetThresholdsSet':
      return { ...state, thresholds: event.data.thresholds };
    case 'BudgetApproved':
      return { ...state, status: 'APPROVED' };
    case 'FundsReallocated': {
      const { fromLineId, toLineId, amount, reallocationId } = event.data;
      const moved = units(amount.amount);
      const lines = state.lines.map((l) => {
        if (l.id === fromLineId) return { ...l, allocated: add(l.allocated, -moved) };
        if (l.id === toLineId) return { ...l, allocated: add(l.allocated, moved) };
        return l;
      });
      return { ...state, lines, reallocationIds: [...state.reallocationIds, reallocationId] };
    }
    case 'FundsCommitted': {
      const { lineId, commitmentId, amount } = event.data;
      return {
        ...updateLine(state, lineId, (l) => ({ ...l, committed: add(l.committed, units(amount.amount)) })),
        commitments: {
          ...state.commitments,
          [commitmentId]: { lineId, amount: amount.amount, spent: '0', released: false, expenseIds: [] },
        },
      };
    }
    case 'FundsReleased': {
      const { lineId, commitmentId, amount } = event.data;
      const funds = state.commitments[commitmentId];
      return {
        ...updateLine(state, lineId, (l) => ({ ...l, committed: add(l.committed, -units(amount.amount)) })),
        commitments: funds === undefined ? state.commitments : { ...state.commitments, [commitmentId]: { ...funds, released: true } },
      };
    }
    case 'FundsSpent': {
      const { lineId, commitmentId, expenseId, amount, supplier, invoiceRef } = event.data;
      const funds = state.commitments[commitmentId];
      const spent = units(amount.amount);
      return {
        ...updateLine(state, lineId, (l) => ({ ...l, spent: add(l.spent, spent) })),
        invoices: { ...state.invoices, [invoiceKey(supplier, invoiceRef)]: expenseId },
        commitments:
          funds === undefined
            ? state.commitments
            : {
                ...state.commitments,
                [commitmentId]: { ...funds, spent: add(funds.spent, spent), expenseIds: [...funds.expenseIds, expenseId] },
              },
      };
    }
    case 'CommitmentVoided':
      return { ...state, voided: [...state.voided, event.data.commitmentId] };
    case 'BudgetClosed':
      return { ...state, status: 'CLOSED' };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

function updateLine(state: Budget, lineId: string, change: (l: BudgetLine) => BudgetLine): Budget {
  return { ...state, lines: state.lines.map((l) => (l.id === lineId ? change(l) : l)) };
}

function units(amount: string): bigint {
  return parseMinorUnits(amount, { allowNegative: true });
}

function add(amount: string, delta: bigint): string {
  return formatMinorUnits(units(amount) + delta);
}

// ---------- read helpers over the state ----------

export function exists(state: BudgetState): state is Budget {
  return state.status !== 'NOT_CREATED';
}

export function findLine(budget: Budget, lineId: string): BudgetLine | undefined {
  return budget.lines.find((l) => l.id === lineId);
}

/** Allocated minus committed: what the line can still commit (or give away in a reallocation). */
export function lineAvailable(line: BudgetLine): bigint {
  return units(line.allocated) - units(line.committed);
}

/** Sum of the lines' allocations (a reallocation never changes it). */
export function budgetTotal(budget: Budget): bigint {
  return budget.lines.reduce((sum, l) => sum + units(l.allocated), 0n);
}
