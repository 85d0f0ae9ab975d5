import type { Command, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { MoneyAmount } from '@hrp/contracts';
import { DEFAULT_CURRENCY, MAX_MINOR_UNITS, formatMinorUnits, isCurrencyCode, parseMinorUnits, schemaIssues } from '@hrp/contracts';

const DATE_SCHEMA = { type: 'string', format: 'date' } as const;
import type { Budget, BudgetEvent, BudgetLineData, BudgetState, ProgrammeArea, Thresholds } from './budget.events';
import {
  BUDGET_STATE_SCHEMA_VERSION,
  DEFAULT_APPROVAL_THRESHOLD,
  DEFAULT_PROCUREMENT_THRESHOLD,
  PROGRAMME_AREAS,
  budgetStreamId,
  budgetTotal,
  evolve,
  exists,
  findLine,
  initialState,
  invoiceKey,
  lineAvailable,
} from './budget.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const BudgetRules = {
  /** Closed: nothing is committed, spent, reallocated or changed any more. */
  closed: 'budget.closed',
  /** Money in another currency than the budget's. */
  currencyMismatch: 'budget.currency-mismatch',
  draftAlreadyExists: 'budget.draft.already-exists',
  approveRequiresAllocation: 'budget.approve.requires-allocation',
  closeRequiresApproved: 'budget.close.requires-approved',
  reallocateExceedsAvailable: 'budget.reallocate.exceeds-available',
  commitRequiresApproved: 'budget.commit.requires-approved',
  commitExceedsAvailable: 'budget.commit.exceeds-available',
  /** The same commitment id committed again with another line or amount. */
  commitConflict: 'budget.commit.conflict',
  /** The commitment was rejected or withdrawn (CommitmentVoided): its amount is never committed. */
  commitVoided: 'budget.commit.voided',
  spendUnknownCommitment: 'budget.spend.unknown-commitment',
  spendExceedsCommitment: 'budget.spend.exceeds-commitment',
  /** An invoice reference is spent once per supplier in the fiscal year, whatever the commitment. */
  spendDuplicateInvoice: 'budget.spend.duplicate-invoice',
} as const;
export type BudgetRule = (typeof BudgetRules)[keyof typeof BudgetRules];

export const BudgetLimits = {
  maxLines: 100,
  labelMaxLength: 200,
  reasonMaxLength: 1000,
  idMaxLength: 200,
  supplierMaxLength: 200,
  invoiceRefMaxLength: 100,
  minFiscalYear: 2000,
  maxFiscalYear: 2100,
} as const;

// ---------- commands ----------

/** `MoneyInput` as GraphQL hands it over (`MinorUnits` already parsed to a bigint). */
export interface MoneyInput {
  readonly amount: bigint;
  readonly currency?: string | null;
}

export interface BudgetLineInput {
  readonly programmeArea: ProgrammeArea;
  readonly label?: string | null;
  readonly allocated: MoneyInput;
}

export interface ThresholdsInput {
  readonly approval: MoneyInput;
  readonly procurement: MoneyInput;
}

/** The lines' ids are `metadata.ids[0..n-1]`, in the order of `lines`. */
export type DraftBudget = Command<
  'DraftBudget',
  {
    /** `budget-<fiscalYear>` (see `budgetStreamId`). */
    readonly budgetId: string;
    readonly fiscalYear: number;
    /** Default MAD; every amount of the budget is in it. */
    readonly currency?: string | null;
    readonly lines: readonly BudgetLineInput[];
    /** Default: DEFAULT_APPROVAL_THRESHOLD and DEFAULT_PROCUREMENT_THRESHOLD. */
    readonly thresholds?: ThresholdsInput | null;
  }
>;

export type SetBudgetThresholds = Command<'SetBudgetThresholds', { readonly budgetId: string; readonly thresholds: ThresholdsInput }>;
export type ApproveBudget = Command<'ApproveBudget', { readonly budgetId: string }>;

/** The reallocation's id is `metadata.ids[0]`: the same id again is a no-op. */
export type ReallocateFunds = Command<
  'ReallocateFunds',
  {
    readonly budgetId: string;
    readonly fromLineId: string;
    readonly toLineId: string;
    readonly amount: MoneyInput;
    readonly reason: string;
  }
>;

export type CloseBudget = Command<'CloseBudget', { readonly budgetId: string }>;

/*
 * System commands of finance's own approval and expense process (not GraphQL mutations): the
 * commitment's approval commits its amount here first, an expense spends it, a release frees it.
 */
export type CommitFunds = Command<
  'CommitFunds',
  { readonly budgetId: string; readonly lineId: string; readonly commitmentId: string; readonly amount: MoneyAmount }
>;
export type ReleaseFunds = Command<'ReleaseFunds', { readonly budgetId: string; readonly commitmentId: string }>;
export type SpendFunds = Command<
  'SpendFunds',
  {
    readonly budgetId: string;
    readonly commitmentId: string;
    readonly expenseId: string;
    readonly amount: MoneyAmount;
    readonly supplier: string;
    readonly invoiceRef: string;
    readonly date: string;
  }
>;

export type BudgetCommand =
  DraftBudget | SetBudgetThresholds | ApproveBudget | ReallocateFunds | CloseBudget | CommitFunds | ReleaseFunds | SpendFunds;

export type UserBudgetCommand = Exclude<BudgetCommand, CommitFunds | ReleaseFunds | SpendFunds>;

// ---------- decide ----------

export function decide(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  switch (command.type) {
    case 'DraftBudget':
      return draft(command, state);
    case 'SetBudgetThresholds':
      return setThresholds(command, state);
    case 'ApproveBudget':
      return approve(openBudget(state, command.data.budgetId));
    case 'ReallocateFunds':
      return reallocate(command, state);
    case 'CloseBudget':
      return close(command, state);
    case 'CommitFunds':
      return commit(command, state);
    case 'ReleaseFunds':
      return release(command, state);
    case 'SpendFunds':
      return spend(command, state);
    default:
      return assertNever(command);
  }
}

/** The budget, refused when it does not exist (NOT_FOUND) or is closed. */
function openBudget(state: BudgetState, budgetId: string): Budget {
  if (!exists(state)) throw new NotFoundError('Budget', budgetId);
  if (state.status === 'CLOSED') throw new IllegalStateError(BudgetRules.closed, `budget ${state.id} is closed`);
  return state;
}

// ---------- lifecycle ----------

function draft(command: DraftBudget, state: BudgetState): BudgetEvent[] {
  const d = command.data;
  const fiscalYear = validateFiscalYear(d.fiscalYear);
  if (d.budgetId !== budgetStreamId(fiscalYear)) {
    throw new ValidationError(`budgetId must be ${budgetStreamId(fiscalYear)} (one budget per fiscal year)`, 'budgetId');
  }
  const currency = validateCurrency(d.currency ?? DEFAULT_CURRENCY, 'currency');
  const lines = validateLines(d.lines, currency, command.metadata.ids ?? []);
  const thresholds = isGiven(d.thresholds)
    ? validateThresholds(d.thresholds, currency)
    : { approval: amountOf(DEFAULT_APPROVAL_THRESHOLD, currency), procurement: amountOf(DEFAULT_PROCUREMENT_THRESHOLD, currency) };

  // A second draft of the year is refused rather than ignored: its lines would be silently lost.
  // A retried request is the Idempotency-Key's business.
  if (exists(state)) throw new IllegalStateError(BudgetRules.draftAlreadyExists, `the budget of ${fiscalYear} already exists`);
  return [{ type: 'BudgetDrafted', data: { budgetId: d.budgetId, fiscalYear, currency, lines, thresholds } }];
}

/** Thresholds may change in DRAFT and APPROVED (a decree changes them during the year). */
function setThresholds(command: SetBudgetThresholds, state: BudgetState): BudgetEvent[] {
  const budget = openBudget(state, command.data.budgetId);
  const thresholds = validateThresholds(command.data.thresholds, budget.currency);
  if (
    thresholds.approval.amount === budget.thresholds.approval.amount &&
    thresholds.procurement.amount === budget.thresholds.procurement.amount
  ) {
    return [];
  }
  return [{ type: 'BudgetThresholdsSet', data: { budgetId: budget.id, thresholds } }];
}

function approve(budget: Budget): BudgetEvent[] {
  if (budget.status === 'APPROVED') return [];
  if (budgetTotal(budget) <= 0n) {
    throw new IllegalStateError(
      BudgetRules.approveRequiresAllocation,
      `budget ${budget.id} allocates nothing: there is nothing to approve`,
    );
  }
  return [{ type: 'BudgetApproved', data: { budgetId: budget.id } }];
}

/**
 * Closing ends the fiscal year's execution. Open commitments stay as they are (committed, partly
 * spent) and are reported so; carrying them over to the next year is a decision of its own.
 */
function close(command: CloseBudget, state: BudgetState): BudgetEvent[] {
  if (!exists(state)) throw new NotFoundError('Budget', command.data.budgetId);
  if (state.status === 'CLOSED') return [];
  if (state.status !== 'APPROVED') {
    throw new IllegalStateError(BudgetRules.closeRequiresApproved, `only an approved budget can be closed; ${state.id} is ${state.status}`);
  }
  return [{ type: 'BudgetClosed', data: { budgetId: state.id } }];
}

/**
 * Moves allocation between two lines of the same budget, in DRAFT or APPROVED; the total is
 * unchanged by construction. Only what the source line has not committed can move.
 */
function reallocate(command: ReallocateFunds, state: BudgetState): BudgetEvent[] {
  const d = command.data;
  const reason = validateText(d.reason, 'reason', BudgetLimits.reasonMaxLength);
  if (d.fromLineId === d.toLineId) throw new ValidationError('a reallocation moves money between two different lines', 'toLineId');
  const reallocationId = command.metadata.ids?.[0];
  if (reallocationId === undefined || reallocationId.length === 0) throw new Error('ReallocateFunds needs a fresh id in metadata.ids[0]');

  const budget = openBudget(state, d.budgetId);
  if (budget.reallocationIds.includes(reallocationId)) return [];
  const amount = validatePositive(d.amount, budget.currency, 'amount');
  const from = findLine(budget, d.fromLineId);
  if (from === undefined) throw new NotFoundError('BudgetLine', d.fromLineId);
  if (findLine(budget, d.toLineId) === undefined) throw new NotFoundError('BudgetLine', d.toLineId);
  if (amount > lineAvailable(from)) {
    throw new IllegalStateError(
      BudgetRules.reallocateExceedsAvailable,
      `line ${from.id} has ${formatMinorUnits(lineAvailable(from))} ${budget.currency} not committed, less than the ${formatMinorUnits(amount)} to move`,
    );
  }
  return [
    {
      type: 'FundsReallocated',
      data: {
        budgetId: budget.id,
        reallocationId,
        fromLineId: from.id,
        toLineId: d.toLineId,
        amount: amountOf(amount, budget.currency),
        reason,
      },
    },
  ];
}

// ---------- commitments and expenses (system commands) ----------

function commit(command: CommitFunds, state: BudgetState): BudgetEvent[] {
  const d = command.data;
  const budget = openBudget(state, d.budgetId);
  const amount = validateAmount(d.amount, budget.currency, 'amount');
  const already = budget.commitments[d.commitmentId];
  if (budget.voided.includes(d.commitmentId)) {
    throw new IllegalStateError(
      BudgetRules.commitVoided,
      `commitment ${d.commitmentId} was rejected or withdrawn: nothing is committed for it`,
    );
  }
  if (already !== undefined) {
    // The same approval again (a retry, a redelivery): nothing new. Anything else is a bug upstream.
    if (already.lineId === d.lineId && already.amount === formatMinorUnits(amount)) return [];
    throw new IllegalStateError(BudgetRules.commitConflict, `commitment ${d.commitmentId} is already committed on ${already.lineId}`);
  }
  if (budget.status !== 'APPROVED') {
    throw new IllegalStateError(BudgetRules.commitRequiresApproved, `nothing is committed on a ${budget.status} budget (${budget.id})`);
  }
  const line = findLine(budget, d.lineId);
  if (line === undefined) throw new NotFoundError('BudgetLine', d.lineId);
  if (amount > lineAvailable(line)) {
    throw new IllegalStateError(
      BudgetRules.commitExceedsAvailable,
      `line ${line.id} has ${formatMinorUnits(lineAvailable(line))} ${budget.currency} available, less than the ${formatMinorUnits(amount)} to commit`,
    );
  }
  return [{ type: 'FundsCommitted', data: { budgetId: budget.id, lineId: line.id, commitmentId: d.commitmentId, amount: d.amount } }];
}

/**
 * The commitment will not take (or keep) funds from this budget: rejected, or its source withdrew
 * the request. Committed and unspent: its amount goes back to the line (FundsReleased). Not
 * committed: voided (CommitmentVoided), so that an approval racing it cannot commit afterwards.
 * Already released or voided, or no budget at all: a no-op (the process may ask again). Spent on: a no-op — the
 * expenses are real and the commitment stays as it is. On a closed budget the books no longer
 * move: a committed amount stays committed (a no-op), while voiding (which moves no money) is
 * still recorded.
 */
function release(command: ReleaseFunds, state: BudgetState): BudgetEvent[] {
  // No budget (a request named a line of a year never drafted): nothing was committed, and
  // nothing can be until it exists, by which time the commitment is decided.
  if (!exists(state)) return [];
  const budget = state;
  const commitmentId = validateText(command.data.commitmentId, 'commitmentId', BudgetLimits.idMaxLength);
  const funds = budget.commitments[commitmentId];
  if (funds === undefined) {
    if (budget.voided.includes(commitmentId)) return [];
    return [{ type: 'CommitmentVoided', data: { budgetId: budget.id, commitmentId } }];
  }
  if (funds.released || parseMinorUnits(funds.spent) > 0n || budget.status === 'CLOSED') return [];
  return [
    {
      type: 'FundsReleased',
      data: { budgetId: budget.id, lineId: funds.lineId, commitmentId, amount: amountOf(parseMinorUnits(funds.amount), budget.currency) },
    },
  ];
}

function spend(command: SpendFunds, state: BudgetState): BudgetEvent[] {
  const d = command.data;
  const budget = openBudget(state, d.budgetId);
  const amount = validateAmount(d.amount, budget.currency, 'amount');
  const supplier = validateText(d.supplier, 'supplier', BudgetLimits.supplierMaxLength);
  const invoiceRef = validateText(d.invoiceRef, 'invoiceRef', BudgetLimits.invoiceRefMaxLength);
  if (schemaIssues(DATE_SCHEMA, d.date).length > 0) {
    throw new ValidationError(`date must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(d.date)}`, 'date');
  }
  const expenseId = validateText(d.expenseId, 'expenseId', BudgetLimits.idMaxLength);
  const funds = budget.commitments[d.commitmentId];
  if (funds === undefined || funds.released) {
    throw new IllegalStateError(BudgetRules.spendUnknownCommitment, `commitment ${d.commitmentId} has no funds committed on ${budget.id}`);
  }
  if (funds.expenseIds.includes(expenseId)) return [];
  const spentBy = budget.invoices[invoiceKey(supplier, invoiceRef)];
  if (spentBy !== undefined) {
    throw new IllegalStateError(
      BudgetRules.spendDuplicateInvoice,
      `invoice ${invoiceRef} of ${supplier} is already recorded in ${budget.id} (expense ${spentBy})`,
    );
  }
  const remaining = parseMinorUnits(funds.amount) - parseMinorUnits(funds.spent);
  if (amount > remaining) {
    throw new IllegalStateError(
      BudgetRules.spendExceedsCommitment,
      `commitment ${d.commitmentId} has ${formatMinorUnits(remaining)} ${budget.currency} left, less than the ${formatMinorUnits(amount)} spent`,
    );
  }
  return [
    {
      type: 'FundsSpent',
      data: {
        budgetId: budget.id,
        lineId: funds.lineId,
        commitmentId: d.commitmentId,
        expenseId,
        amount: d.amount,
        supplier,
        invoiceRef,
        date: d.date,
      },
    },
  ];
}

// ---------- input validation (ValidationError names the field) ----------

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function amountOf(amount: bigint, currency: string): MoneyAmount {
  return { amount: formatMinorUnits(amount), currency };
}

function validateFiscalYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < BudgetLimits.minFiscalYear || value > BudgetLimits.maxFiscalYear) {
    throw new ValidationError(
      `fiscalYear must be a year between ${BudgetLimits.minFiscalYear} and ${BudgetLimits.maxFiscalYear}, got ${JSON.stringify(value)}`,
      'fiscalYear',
    );
  }
  return value;
}

function validateCurrency(value: unknown, field: string): string {
  if (!isCurrencyCode(value)) throw new ValidationError(`${field} must be three capital letters, got ${JSON.stringify(value)}`, field);
  return value;
}

function sameCurrency(currency: string, expected: string): void {
  if (currency !== expected) {
    throw new IllegalStateError(BudgetRules.currencyMismatch, `the budget is in ${expected}, not ${currency}`);
  }
}

/** A MoneyInput (bigint) in the budget's currency, non-negative. */
function validateMoney(value: MoneyInput, budgetCurrency: string, field: string): bigint {
  const amount: unknown = value?.amount;
  if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_MINOR_UNITS) {
    throw new ValidationError(`${field}.amount must be a non-negative integer number of minor units`, `${field}.amount`);
  }
  sameCurrency(validateCurrency(value.currency ?? budgetCurrency, `${field}.currency`), budgetCurrency);
  return amount;
}

function validatePositive(value: MoneyInput, budgetCurrency: string, field: string): bigint {
  const amount = validateMoney(value, budgetCurrency, field);
  if (amount === 0n) throw new ValidationError(`${field}.amount must be above zero`, `${field}.amount`);
  return amount;
}

/** A MoneyAmount of a system command (from a commitment's events): positive, in the budget's currency. */
function validateAmount(value: MoneyAmount, budgetCurrency: string, field: string): bigint {
  const amount = parseMinorUnits(value.amount, { field: `${field}.amount` });
  if (amount === 0n) throw new ValidationError(`${field}.amount must be above zero`, `${field}.amount`);
  sameCurrency(value.currency, budgetCurrency);
  return amount;
}

/** No order is imposed between the two: they are independent rules and either may be the lower. */
function validateThresholds(value: ThresholdsInput, currency: string): Thresholds {
  if (typeof value !== 'object' || value === null) throw new ValidationError('thresholds are required', 'thresholds');
  return {
    approval: amountOf(validateMoney(value.approval, currency, 'thresholds.approval'), currency),
    procurement: amountOf(validateMoney(value.procurement, currency, 'thresholds.procurement'), currency),
  };
}

function validateText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

/**
 * At least one line; a programme area may have several lines, told apart by their labels (no two
 * lines with the same area and label). A zero allocation is allowed: a line funded later by a
 * reallocation. The total must fit the 64-bit range of every amount.
 */
function validateLines(values: unknown, currency: string, ids: readonly string[]): BudgetLineData[] {
  if (!Array.isArray(values)) throw new ValidationError('lines must be a list', 'lines');
  const inputs = values as BudgetLineInput[];
  if (inputs.length === 0) throw new ValidationError('a budget needs at least one line', 'lines');
  if (inputs.length > BudgetLimits.maxLines) throw new ValidationError(`a budget has at most ${BudgetLimits.maxLines} lines`, 'lines');
  // An adapter bug, not a user error: a plain Error surfaces as an internal error.
  if (ids.length < inputs.length || new Set(ids).size !== ids.length) {
    throw new Error('DraftBudget needs one distinct fresh line id per line in metadata.ids');
  }
  const seen = new Set<string>();
  let total = 0n;
  const lines = inputs.map((input, i): BudgetLineData => {
    const programmeArea = input?.programmeArea;
    if (!(PROGRAMME_AREAS as readonly string[]).includes(programmeArea)) {
      throw new ValidationError(
        `programmeArea must be one of ${PROGRAMME_AREAS.join(', ')}, got ${JSON.stringify(programmeArea)}`,
        'lines',
      );
    }
    const label = isGiven(input.label) ? validateText(input.label, 'lines.label', BudgetLimits.labelMaxLength) : undefined;
    const key = `${programmeArea} ${label ?? ''}`;
    if (seen.has(key)) throw new ValidationError(`two lines of ${programmeArea} need different labels`, 'lines');
    seen.add(key);
    const allocated = validateMoney(input.allocated, currency, 'lines.allocated');
    total += allocated;
    return { lineId: ids[i], programmeArea, ...(label !== undefined ? { label } : {}), allocated: amountOf(allocated, currency) };
  });
  if (total > MAX_MINOR_UNITS) throw new ValidationError('the total of the lines is out of range', 'lines');
  return lines;
}

// ---------- the decider ----------

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: BUDGET_STATE_SCHEMA_VERSION,
};
