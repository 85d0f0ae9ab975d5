import type { Command, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { FundingSourceType, LocalizedText, MoneyAmount } from '@hrp/contracts';
import {
  DEFAULT_CURRENCY,
  FUNDING_PURPOSE_MAX_LENGTH,
  FUNDING_REASON_MAX_LENGTH,
  MAX_MINOR_UNITS,
  formatMinorUnits,
  isCurrencyCode,
  isFundingSourceType,
  isRegion,
  parseMinorUnits,
  schemaIssues,
  validateLocalizedText,
} from '@hrp/contracts';
import type { Thresholds } from '../budget/budget.events';
import type { Commitment, CommitmentEvent, CommitmentState } from './commitment.events';
import {
  COMMITMENT_ID_PREFIX,
  COMMITMENT_STATE_SCHEMA_VERSION,
  evolve,
  exists,
  initialState,
  invoiceKey,
  remainingOf,
} from './commitment.events';
import { approvalRequirements } from './commitment.policy';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const CommitmentRules = {
  /** Money (or thresholds) in another currency than the commitment's. */
  currencyMismatch: 'commitment.currency-mismatch',
  requestAlreadyExists: 'commitment.request.already-exists',
  quotesRequireRequested: 'commitment.quotes.requires-requested',
  approveRequiresRequested: 'commitment.approve.requires-requested',
  /** Above the procurement threshold, three distinct quotes must be cited before approval. */
  approveRequiresQuotes: 'commitment.approve.requires-quotes',
  rejectRequiresRequested: 'commitment.reject.requires-requested',
  expenseRequiresApproved: 'commitment.expense.requires-approved',
  expenseExceedsCommitment: 'commitment.expense.exceeds-commitment',
  /** An invoice reference is recorded once per supplier. */
  expenseDuplicateInvoice: 'commitment.expense.duplicate-invoice',
  releaseHasExpenses: 'commitment.release.has-expenses',
} as const;
export type CommitmentRule = (typeof CommitmentRules)[keyof typeof CommitmentRules];

export const CommitmentLimits = {
  idMaxLength: 200,
  maxQuotes: 20,
  quoteMaxLength: 200,
  supplierMaxLength: 200,
  invoiceRefMaxLength: 100,
  reasonMaxLength: FUNDING_REASON_MAX_LENGTH,
} as const;

// ---------- commands ----------

/** `MoneyInput` as GraphQL hands it over (`MinorUnits` already parsed to a bigint). */
export interface MoneyInput {
  readonly amount: bigint;
  readonly currency?: string | null;
}

export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/**
 * From `requestCommitment` or from a consumed `FundingRequested` (then `requestId` is set and the
 * stream id derives from it: see `commitmentStreamIdForRequest`). The adapter resolves the budget
 * of the line.
 */
export type RequestCommitment = Command<
  'RequestCommitment',
  {
    readonly commitmentId: string;
    readonly budgetId: string;
    readonly budgetLineId: string;
    readonly amount: MoneyInput;
    readonly purpose: LocalizedTextInput;
    readonly sourceType: FundingSourceType;
    readonly sourceId: string;
    /** Regions of the source activity (from `FundingRequested` v2); none for a request entered by hand without them. */
    readonly regions?: readonly string[] | null;
    readonly requestId?: string | null;
    readonly quotes?: readonly string[] | null;
  }
>;

export type CiteQuotes = Command<'CiteQuotes', { readonly commitmentId: string; readonly quotes: readonly string[] }>;

/**
 * `thresholds` are the budget's, as the adapter read them for this decision: the rules in force
 * when the commitment is decided apply, not those of the day it was requested.
 */
export type ApproveCommitment = Command<'ApproveCommitment', { readonly commitmentId: string; readonly thresholds: Thresholds }>;
/** `thresholds`: the budget's, as for approval (the policy checks the right to decide by amount). */
export type RejectCommitment = Command<
  'RejectCommitment',
  { readonly commitmentId: string; readonly reason: string; readonly thresholds: Thresholds }
>;

/**
 * System command of the approval process: the commitment's amount is committed on its budget
 * (`FundsCommitted`), so the approval completes — after a crash between the two steps, or when
 * the process's follower gets there first. Rejected or released meanwhile: a no-op (the budget
 * gives the funds back when it learns of the rejection or release).
 */
export type CompleteApproval = Command<'CompleteApproval', { readonly commitmentId: string }>;

/**
 * The expense's id is `expenseId` when given (the process records on the commitment an expense the
 * budget has spent), else `metadata.ids[0]`.
 */
export type RecordExpense = Command<
  'RecordExpense',
  {
    readonly commitmentId: string;
    readonly expenseId?: string | null;
    readonly amount: MoneyInput;
    readonly supplier: string;
    readonly invoiceRef: string;
    readonly date: string;
  }
>;

/** From the funding process when the source is cancelled (or by a finance officer withdrawing it). */
export type ReleaseCommitment = Command<'ReleaseCommitment', { readonly commitmentId: string; readonly reason: string }>;

export type CommitmentCommand =
  RequestCommitment | CiteQuotes | ApproveCommitment | RejectCommitment | CompleteApproval | RecordExpense | ReleaseCommitment;

/** What users send through the API; the rest are the process's system commands. */
export type UserCommitmentCommand = RequestCommitment | CiteQuotes | ApproveCommitment | RejectCommitment | RecordExpense;

// ---------- decide ----------

export function decide(command: CommitmentCommand, state: CommitmentState): CommitmentEvent[] {
  switch (command.type) {
    case 'RequestCommitment':
      return request(command, state);
    case 'CiteQuotes':
      return citeQuotes(command, state);
    case 'ApproveCommitment':
      return approve(command, state);
    case 'RejectCommitment':
      return reject(command, state);
    case 'CompleteApproval':
      return completeApproval(command, state);
    case 'RecordExpense':
      return recordExpense(command, state);
    case 'ReleaseCommitment':
      return release(command, state);
    default:
      return assertNever(command);
  }
}

function existing(state: CommitmentState, commitmentId: string): Commitment {
  if (!exists(state)) throw new NotFoundError('Commitment', commitmentId);
  return state;
}

// ---------- request and decision ----------

function request(command: RequestCommitment, state: CommitmentState): CommitmentEvent[] {
  const d = command.data;
  const commitmentId = validateCommitmentId(d.commitmentId);
  const budgetId = validateId(d.budgetId, 'budgetId');
  const budgetLineId = validateId(d.budgetLineId, 'budgetLineId');
  const amount = validatePositive(d.amount, 'amount');
  const purpose: LocalizedText = validateLocalizedText(d.purpose, { field: 'purpose', maxLength: FUNDING_PURPOSE_MAX_LENGTH });
  if (!isFundingSourceType(d.sourceType)) throw new ValidationError(`unknown sourceType ${JSON.stringify(d.sourceType)}`, 'sourceType');
  const sourceId = validateId(d.sourceId, 'sourceId');
  const regions = validateRegions(d.regions ?? []);
  const requestId = isGiven(d.requestId) ? validateId(d.requestId, 'requestId') : undefined;
  const quotes = validateQuotes(d.quotes ?? []);

  if (exists(state)) {
    // The same funding request delivered again: it opened this commitment already.
    if (requestId !== undefined && state.requestId === requestId) return [];
    throw new IllegalStateError(CommitmentRules.requestAlreadyExists, `commitment ${state.id} already exists`);
  }
  return [
    {
      type: 'CommitmentRequested',
      data: {
        commitmentId,
        budgetId,
        budgetLineId,
        amount,
        purpose,
        sourceType: d.sourceType,
        sourceId,
        regions,
        ...(requestId !== undefined ? { requestId } : {}),
        quotes,
        requestedAt: command.metadata.now,
      },
    },
  ];
}

function citeQuotes(command: CiteQuotes, state: CommitmentState): CommitmentEvent[] {
  const quotes = validateQuotes(command.data.quotes);
  const commitment = existing(state, command.data.commitmentId);
  if (commitment.status !== 'REQUESTED') {
    throw new IllegalStateError(
      CommitmentRules.quotesRequireRequested,
      `quotes are cited before the decision; ${commitment.id} is ${commitment.status}`,
    );
  }
  const cited = new Set(commitment.quotes.map(quoteKey));
  const fresh = quotes.filter((q) => !cited.has(quoteKey(q)));
  if (fresh.length === 0) return [];
  if (commitment.quotes.length + fresh.length > CommitmentLimits.maxQuotes) {
    throw new ValidationError(`a commitment cites at most ${CommitmentLimits.maxQuotes} quotes`, 'quotes');
  }
  return [{ type: 'QuotesCited', data: { commitmentId: commitment.id, quotes: fresh } }];
}

/** Who may approve is the policy's business (`mayDecideCommitment`); the quotes are a rule of the commitment. */
function approve(command: ApproveCommitment, state: CommitmentState): CommitmentEvent[] {
  const commitment = existing(state, command.data.commitmentId);
  if (commitment.status === 'APPROVED') return [];
  if (commitment.status !== 'REQUESTED') {
    throw new IllegalStateError(
      CommitmentRules.approveRequiresRequested,
      `only a requested commitment can be approved; ${commitment.id} is ${commitment.status}`,
    );
  }
  const { thresholds } = command.data;
  const currency = commitment.amount.currency;
  if (thresholds.approval.currency !== currency || thresholds.procurement.currency !== currency) {
    throw new IllegalStateError(CommitmentRules.currencyMismatch, `the thresholds are not in ${currency}, the commitment's currency`);
  }
  const { quotesRequired } = approvalRequirements(parseMinorUnits(commitment.amount.amount), thresholds);
  if (commitment.quotes.length < quotesRequired) {
    throw new IllegalStateError(
      CommitmentRules.approveRequiresQuotes,
      `above ${thresholds.procurement.amount} ${currency} minor units a commitment cites ${quotesRequired} quotes; ${commitment.id} cites ${commitment.quotes.length}`,
    );
  }
  return [{ type: 'CommitmentApproved', data: { ...decisionBase(commitment), decidedAt: command.metadata.now } }];
}

function completeApproval(command: CompleteApproval, state: CommitmentState): CommitmentEvent[] {
  const commitment = existing(state, command.data.commitmentId);
  if (commitment.status !== 'REQUESTED') return [];
  return [{ type: 'CommitmentApproved', data: { ...decisionBase(commitment), decidedAt: command.metadata.now } }];
}

function reject(command: RejectCommitment, state: CommitmentState): CommitmentEvent[] {
  const reason = validateText(command.data.reason, 'reason', CommitmentLimits.reasonMaxLength);
  const commitment = existing(state, command.data.commitmentId);
  if (commitment.status === 'REJECTED') return [];
  if (commitment.status !== 'REQUESTED') {
    throw new IllegalStateError(
      CommitmentRules.rejectRequiresRequested,
      `only a requested commitment can be rejected; ${commitment.id} is ${commitment.status}`,
    );
  }
  return [{ type: 'CommitmentRejected', data: { ...decisionBase(commitment), reason, decidedAt: command.metadata.now } }];
}

function decisionBase(c: Commitment) {
  return {
    commitmentId: c.id,
    ...(c.requestId !== undefined ? { requestId: c.requestId } : {}),
    sourceType: c.sourceType,
    sourceId: c.sourceId,
    amount: c.amount,
  };
}

// ---------- expenses and release ----------

function recordExpense(command: RecordExpense, state: CommitmentState): CommitmentEvent[] {
  const d = command.data;
  const supplier = validateText(d.supplier, 'supplier', CommitmentLimits.supplierMaxLength);
  const invoiceRef = validateText(d.invoiceRef, 'invoiceRef', CommitmentLimits.invoiceRefMaxLength);
  const date = validateDate(d.date, 'date');
  // An invoice is not dated after the day it is recorded.
  if (date > command.metadata.now.slice(0, 10)) throw new ValidationError(`date ${date} is in the future`, 'date');
  const commitment = existing(state, d.commitmentId);
  // The process recording again an expense the budget spent (a redelivery): nothing new.
  if (isGiven(d.expenseId) && commitment.expenses.some((e) => e.id === String(d.expenseId).trim())) return [];
  const amount = validatePositive(d.amount, 'amount', commitment.amount.currency);

  const key = invoiceKey(supplier, invoiceRef);
  const same = commitment.expenses.find((e) => invoiceKey(e.supplier, e.invoiceRef) === key);
  if (same !== undefined) {
    // The same invoice recorded again (a retried request): nothing new. Another amount or date under
    // the same reference is a second invoice with a reused number: refused.
    if (same.amount.amount === amount.amount && same.date === date) return [];
    throw new IllegalStateError(
      CommitmentRules.expenseDuplicateInvoice,
      `invoice ${invoiceRef} of ${supplier} is already recorded on ${commitment.id}`,
    );
  }
  if (commitment.status !== 'APPROVED') {
    throw new IllegalStateError(
      CommitmentRules.expenseRequiresApproved,
      `expenses are recorded on an approved commitment; ${commitment.id} is ${commitment.status}`,
    );
  }
  const remaining = remainingOf(commitment);
  if (parseMinorUnits(amount.amount) > remaining) {
    throw new IllegalStateError(
      CommitmentRules.expenseExceedsCommitment,
      `commitment ${commitment.id} has ${formatMinorUnits(remaining)} ${amount.currency} minor units left, less than ${amount.amount}`,
    );
  }
  const expenseId = isGiven(d.expenseId) ? validateId(d.expenseId, 'expenseId') : command.metadata.ids?.[0];
  if (expenseId === undefined || expenseId.length === 0)
    throw new Error('RecordExpense needs an expenseId or a fresh id in metadata.ids[0]');
  if (commitment.expenses.some((e) => e.id === expenseId)) return [];
  return [{ type: 'ExpenseRecorded', data: { commitmentId: commitment.id, expenseId, amount, supplier, invoiceRef, date } }];
}

/**
 * Releases a commitment whose source was cancelled: a pending request is withdrawn, an approved
 * commitment gives its amount back, as long as nothing was spent on it. Released already, or
 * rejected (nothing was ever committed): a no-op, since the process may ask again.
 */
function release(command: ReleaseCommitment, state: CommitmentState): CommitmentEvent[] {
  const reason = validateText(command.data.reason, 'reason', CommitmentLimits.reasonMaxLength);
  const commitment = existing(state, command.data.commitmentId);
  if (commitment.status === 'RELEASED' || commitment.status === 'REJECTED') return [];
  if (commitment.expenses.length > 0) {
    throw new IllegalStateError(CommitmentRules.releaseHasExpenses, `commitment ${commitment.id} has expenses: it cannot be released`);
  }
  return [{ type: 'CommitmentReleased', data: { commitmentId: commitment.id, reason, releasedAt: command.metadata.now } }];
}

// ---------- input validation (ValidationError names the field) ----------

const COMMITMENT_ID = new RegExp(`^${COMMITMENT_ID_PREFIX}[A-Za-z0-9_.:-]{1,180}$`);
const DATE_SCHEMA = { type: 'string', format: 'date' } as const;

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validateCommitmentId(value: unknown): string {
  if (typeof value !== 'string' || !COMMITMENT_ID.test(value)) {
    throw new ValidationError(`commitmentId must be ${COMMITMENT_ID_PREFIX}<id>, got ${JSON.stringify(value)}`, 'commitmentId');
  }
  return value;
}

function validateText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateId(value: unknown, field: string): string {
  return validateText(value, field, CommitmentLimits.idMaxLength);
}

function quoteKey(quote: string): string {
  return quote.replace(/\s+/g, ' ').toUpperCase();
}

/** Quote references, trimmed and distinct (case and blanks ignored): three copies of one quote are one quote. */
function validateQuotes(values: unknown): string[] {
  if (!Array.isArray(values)) throw new ValidationError('quotes must be a list', 'quotes');
  if (values.length > CommitmentLimits.maxQuotes) throw new ValidationError(`at most ${CommitmentLimits.maxQuotes} quotes`, 'quotes');
  const quotes = values.map((v) => validateText(v, 'quotes', CommitmentLimits.quoteMaxLength));
  const keys = new Set(quotes.map(quoteKey));
  if (keys.size !== quotes.length) throw new ValidationError('quotes cites the same quote twice', 'quotes');
  return quotes;
}

/** Region codes, distinct. */
function validateRegions(values: unknown): string[] {
  if (!Array.isArray(values)) throw new ValidationError('regions must be a list', 'regions');
  for (const v of values) if (!isRegion(v)) throw new ValidationError(`unknown region ${JSON.stringify(v)}`, 'regions');
  return [...new Set(values as string[])];
}

function validateDate(value: unknown, field: string): string {
  if (schemaIssues(DATE_SCHEMA, value).length > 0) {
    throw new ValidationError(`${field} must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, field);
  }
  return value as string;
}

/** A positive MoneyInput; when `expected` is given, in that currency (a rule of the commitment). */
function validatePositive(value: MoneyInput, field: string, expected?: string): MoneyAmount {
  const amount: unknown = value?.amount;
  if (typeof amount !== 'bigint' || amount <= 0n || amount > MAX_MINOR_UNITS) {
    throw new ValidationError(`${field}.amount must be a positive integer number of minor units`, `${field}.amount`);
  }
  const currency = value.currency ?? expected ?? DEFAULT_CURRENCY;
  if (!isCurrencyCode(currency)) {
    throw new ValidationError(`${field}.currency must be three capital letters, got ${JSON.stringify(currency)}`, `${field}.currency`);
  }
  if (expected !== undefined && currency !== expected) {
    throw new IllegalStateError(CommitmentRules.currencyMismatch, `the commitment is in ${expected}, not ${currency}`);
  }
  return { amount: formatMinorUnits(amount), currency };
}

// ---------- the decider ----------

export const commitmentDecider: Decider<CommitmentCommand, CommitmentEvent, CommitmentState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: COMMITMENT_STATE_SCHEMA_VERSION,
};
