import type { Command, CommandMetadata, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { HumanRightsTag, MoneyAmount, ProducerFundingDecision } from '@hrp/contracts';
import {
  DEFAULT_CURRENCY,
  FUNDING_PURPOSE_MAX_LENGTH,
  FUNDING_REASON_MAX_LENGTH,
  MAX_MINOR_UNITS,
  fundingDecisionFor,
  fundingDecisionOutcome,
  fundingWithdrawalOf,
  isCurrencyCode,
  isHumanRightsTag,
  schemaIssues,
  toMoneyAmount,
  validateLocalizedText,
} from '@hrp/contracts';
import { PARTNER_ID_PREFIX } from '../partner/partner.events';
import type {
  Agreement,
  AgreementEvent,
  AgreementState,
  Commitments,
  Contribution,
  ContributionDirection,
  ContributionKind,
  Period,
} from './agreement.events';
import {
  AGREEMENT_ID_PREFIX,
  AGREEMENT_STATE_SCHEMA_VERSION,
  CONTRIBUTION_DIRECTIONS,
  CONTRIBUTION_KINDS,
  evolve,
  exists,
  initialState,
  isClosed,
  needsFunding,
  ourFinancialContributions,
} from './agreement.events';
import { noticesDue } from './agreement.expiry';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const AgreementRules = {
  /** Expired, terminated or cancelled: every user command is refused (system commands are no-ops). */
  closed: 'partnerships.agreement.closed',
  draftAlreadyExists: 'partnerships.agreement.draft.already-exists',
  /** The partner (read by the adapter) does not exist or is INACTIVE. */
  requiresActivePartner: 'partnerships.agreement.requires-active-partner',
  negotiateRequiresDraft: 'partnerships.negotiate.requires-draft',
  signRequiresNegotiation: 'partnerships.sign.requires-negotiation',
  /** Our financial contribution needs finance's approval first. */
  signRequiresFunding: 'partnerships.sign.requires-funding',
  activateRequiresSigned: 'partnerships.activate.requires-signed',
  activateBeforeStart: 'partnerships.activate.before-start',
  activateAfterEnd: 'partnerships.activate.after-end',
  renewRequiresSignedOrActive: 'partnerships.renew.requires-signed-or-active',
  /** The new end date is before the current one (the same date again is a no-op). */
  renewMustExtend: 'partnerships.renew.must-extend',
  /** A signed or active agreement is terminated; one not signed yet is cancelled. */
  terminateRequiresSigned: 'partnerships.terminate.requires-signed',
  cancelRequiresUnsigned: 'partnerships.cancel.requires-unsigned',
} as const;
export type AgreementRule = (typeof AgreementRules)[keyof typeof AgreementRules];

/** Limits of the inputs (characters are Unicode code points). */
export const AgreementLimits = {
  idMaxLength: 200,
  /** The title is the funding request's purpose. */
  titleMaxLength: FUNDING_PURPOSE_MAX_LENGTH,
  scopeMaxLength: 4000,
  maxCommitments: 50,
  commitmentMaxLength: 1000,
  maxContributions: 50,
  descriptionMaxLength: 1000,
  maxTags: 50,
  reasonMaxLength: FUNDING_REASON_MAX_LENGTH,
} as const;

// ---------- commands (one per GraphQL mutation, plus the system commands) ----------

/** `LocalizedTextInput` as GraphQL hands it over (null translations are dropped). */
export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/** A `MoneyInput` parsed by the adapter (e.g. `parseMinorUnits`); currency defaults to MAD. */
export interface MoneyInput {
  readonly amount: bigint;
  readonly currency?: string | null;
}

export type ContributionInput =
  | { readonly direction: ContributionDirection; readonly kind: 'FINANCIAL'; readonly money: MoneyInput }
  | {
      readonly direction: ContributionDirection;
      readonly kind: 'IN_KIND';
      readonly description: string;
      readonly estimatedValue: MoneyInput;
    };

/** What the adapter read of the partner's state when drafting; null when the partner does not exist. */
export interface PartnerOfAgreement {
  /** The partner state's status (`NOT_CREATED` when the stream is empty). */
  readonly status: string;
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type DraftAgreement = Command<
  'DraftAgreement',
  {
    /** The stream id, `agreement-<uuid>` (see `agreementStreamId`). */
    readonly agreementId: string;
    readonly partnerId: string;
    readonly partner: PartnerOfAgreement | null;
    readonly title: LocalizedTextInput;
    readonly scope: LocalizedTextInput;
    /** YYYY-MM-DD, end ≥ start (a closed interval). */
    readonly period: Period;
    readonly commitments: Commitments;
    readonly contributions?: readonly ContributionInput[] | null;
    /** Required when a FROM_US FINANCIAL contribution is given (its funding is requested on it). */
    readonly budgetLineId?: string | null;
    readonly tags?: readonly HumanRightsTag[] | null;
  }
>;

export type StartNegotiation = Command<'StartNegotiation', { readonly agreementId: string }>;
/** `signedOn`: the day of the signature, not after the day of `metadata.now`. */
export type SignAgreement = Command<'SignAgreement', { readonly agreementId: string; readonly signedOn: string }>;
/** `today` comes from the adapter's injected clock (YYYY-MM-DD). */
export type ActivateAgreement = Command<'ActivateAgreement', { readonly agreementId: string; readonly today: string }>;
export type RenewAgreement = Command<'RenewAgreement', { readonly agreementId: string; readonly newEnd: string }>;
export type TerminateAgreement = Command<'TerminateAgreement', { readonly agreementId: string; readonly reason: string }>;
export type CancelAgreement = Command<'CancelAgreement', { readonly agreementId: string; readonly reason: string }>;

/**
 * System command, built by the finance-events consumer (`recordFundingDecisionFrom`), never by a
 * GraphQL mutation: the authorization policy does not apply to it.
 */
export type RecordFundingDecision = Command<'RecordFundingDecision', { readonly agreementId: string } & ProducerFundingDecision>;

/**
 * System command, run by the scheduled daily check for every signed or active agreement, with
 * `today` from its injected clock (YYYY-MM-DD); never by a GraphQL mutation. See agreement.expiry.ts.
 */
export type RecordExpiryNotices = Command<'RecordExpiryNotices', { readonly agreementId: string; readonly today: string }>;

export type AgreementCommand =
  | DraftAgreement
  | StartNegotiation
  | SignAgreement
  | ActivateAgreement
  | RenewAgreement
  | TerminateAgreement
  | CancelAgreement
  | RecordFundingDecision
  | RecordExpiryNotices;

/** Commands a user may send through GraphQL (everything but the system commands). */
export type UserAgreementCommand = Exclude<AgreementCommand, RecordFundingDecision | RecordExpiryNotices>;

// ---------- decide ----------

export function decide(command: AgreementCommand, state: AgreementState): AgreementEvent[] {
  switch (command.type) {
    case 'DraftAgreement':
      return draft(command, state);
    case 'StartNegotiation':
      return startNegotiation(openAgreement(state, command.data.agreementId));
    case 'SignAgreement':
      return sign(command, state);
    case 'ActivateAgreement':
      return activate(command, state);
    case 'RenewAgreement':
      return renew(command, state);
    case 'TerminateAgreement':
      return terminate(command, state);
    case 'CancelAgreement':
      return cancel(command, state);
    case 'RecordFundingDecision':
      return recordFundingDecision(command, state);
    case 'RecordExpiryNotices':
      return recordExpiryNotices(command, state);
    default:
      return assertNever(command);
  }
}

/** The agreement, refused when it does not exist (NOT_FOUND) or is closed. */
function openAgreement(state: AgreementState, agreementId: string): Agreement {
  if (!exists(state)) throw new NotFoundError('Agreement', agreementId);
  if (isClosed(state)) {
    throw new IllegalStateError(AgreementRules.closed, `agreement ${state.id} is ${state.status.toLowerCase()}: it is closed to changes`);
  }
  return state;
}

// ---------- lifecycle ----------

function draft(command: DraftAgreement, state: AgreementState): AgreementEvent[] {
  const d = command.data;
  const agreementId = validateAgreementId(d.agreementId);
  const partnerId = validatePartnerId(d.partnerId);
  const title = validateLocalizedText(d.title, { field: 'title', maxLength: AgreementLimits.titleMaxLength });
  const scope = validateLocalizedText(d.scope, { field: 'scope', maxLength: AgreementLimits.scopeMaxLength });
  const period = validatePeriod(d.period);
  const commitments = validateCommitments(d.commitments);
  const contributions = validateArray(d.contributions ?? [], 'contributions', AgreementLimits.maxContributions).map(validateContribution);
  const budgetLineId = isGiven(d.budgetLineId) ? validateId(d.budgetLineId, 'budgetLineId') : undefined;
  const tags = validateTags(d.tags ?? []);
  const ours = ourFinancialContributions({ contributions });
  // Without a line, our money could never be funded and the agreement never signed: refused up front.
  if (ours.length > 0 && budgetLineId === undefined) {
    throw new ValidationError('an agreement with a financial contribution from us needs a budget line', 'budgetLineId');
  }
  const requested = ours.length > 0 ? total(ours.map((c) => c.money)) : undefined;

  if (exists(state)) throw new IllegalStateError(AgreementRules.draftAlreadyExists, `agreement ${state.id} already exists`);
  const partner = d.partner;
  if (!isGiven(partner) || partner.status !== 'ACTIVE') {
    const status = !isGiven(partner) || partner.status === 'NOT_CREATED' ? 'does not exist' : `is ${partner.status}`;
    throw new IllegalStateError(
      AgreementRules.requiresActivePartner,
      `agreements are drafted with an active partner; ${partnerId} ${status}`,
    );
  }

  const drafted: AgreementEvent = {
    type: 'AgreementDrafted',
    data: {
      agreementId,
      partnerId,
      title,
      scope,
      period,
      commitments,
      contributions,
      ...(budgetLineId !== undefined ? { budgetLineId } : {}),
      tags,
    },
  };
  if (requested === undefined || budgetLineId === undefined) return [drafted];
  return [
    drafted,
    {
      type: 'FundingRequested',
      data: {
        // Unique because an agreement requests funding at most once (when it is drafted).
        requestId: `${agreementId}.funding-request`,
        sourceType: 'AGREEMENT',
        sourceId: agreementId,
        budgetLineId,
        amount: requested,
        purpose: title,
        requestedAt: command.metadata.now,
        // Agreements are the institution's, national: finance scopes them as such.
        regions: ['NATIONAL'],
      },
    },
  ];
}

function startNegotiation(agreement: Agreement): AgreementEvent[] {
  if (agreement.status === 'UNDER_NEGOTIATION') return [];
  if (agreement.status !== 'DRAFT') {
    throw new IllegalStateError(
      AgreementRules.negotiateRequiresDraft,
      `negotiation starts from a draft; ${agreement.id} is ${agreement.status}`,
    );
  }
  return [{ type: 'AgreementNegotiationStarted', data: { agreementId: agreement.id } }];
}

function sign(command: SignAgreement, state: AgreementState): AgreementEvent[] {
  const signedOn = validateDate(command.data.signedOn, 'signedOn');
  const today = dayOf(command.metadata.now);
  if (signedOn > today) throw new ValidationError(`signedOn ${signedOn} is in the future (today is ${today})`, 'signedOn');
  const agreement = openAgreement(state, command.data.agreementId);
  // The same signature again is a no-op; another date on a signed agreement is refused below.
  if (agreement.status === 'SIGNED' && agreement.signedOn === signedOn) return [];
  if (agreement.status !== 'UNDER_NEGOTIATION') {
    throw new IllegalStateError(
      AgreementRules.signRequiresNegotiation,
      `an agreement is signed after its negotiation; ${agreement.id} is ${agreement.status}`,
    );
  }
  // A REJECTED agreement stays UNDER_NEGOTIATION and can never be signed: it can only be cancelled.
  if (needsFunding(agreement) && agreement.funding.status !== 'APPROVED') {
    throw new IllegalStateError(
      AgreementRules.signRequiresFunding,
      `agreement ${agreement.id} has a financial contribution from us and its funding is ${agreement.funding.status}, not APPROVED`,
    );
  }
  return [{ type: 'AgreementSigned', data: { agreementId: agreement.id, signedOn } }];
}

function activate(command: ActivateAgreement, state: AgreementState): AgreementEvent[] {
  const today = validateDate(command.data.today, 'today');
  const agreement = openAgreement(state, command.data.agreementId);
  if (agreement.status === 'ACTIVE') return [];
  if (agreement.status !== 'SIGNED') {
    throw new IllegalStateError(
      AgreementRules.activateRequiresSigned,
      `only a signed agreement is activated; ${agreement.id} is ${agreement.status}`,
    );
  }
  if (today < agreement.period.start) {
    throw new IllegalStateError(
      AgreementRules.activateBeforeStart,
      `agreement ${agreement.id} starts on ${agreement.period.start}; it cannot be activated on ${today}`,
    );
  }
  // Its period is over: the daily check marks it EXPIRED (or a renewal extends it first).
  if (today > agreement.period.end) {
    throw new IllegalStateError(
      AgreementRules.activateAfterEnd,
      `agreement ${agreement.id} ended on ${agreement.period.end}; it cannot be activated on ${today}`,
    );
  }
  return [{ type: 'AgreementActivated', data: { agreementId: agreement.id, activatedOn: today } }];
}

/**
 * Extends a SIGNED or ACTIVE agreement's period; the same end date again is a no-op. An EXPIRED
 * agreement is not renewed (it is closed): the notices at 60, 30 and 7 days exist so that it is
 * renewed in time, and one that lapsed is continued by a new agreement, negotiated and signed again.
 * The funding request is not repeated: finance's commitment covers the contribution as drafted.
 */
function renew(command: RenewAgreement, state: AgreementState): AgreementEvent[] {
  const newEnd = validateDate(command.data.newEnd, 'newEnd');
  const agreement = openAgreement(state, command.data.agreementId);
  if (agreement.status !== 'SIGNED' && agreement.status !== 'ACTIVE') {
    throw new IllegalStateError(
      AgreementRules.renewRequiresSignedOrActive,
      `only a signed or active agreement is renewed; ${agreement.id} is ${agreement.status}`,
    );
  }
  if (newEnd === agreement.period.end) return [];
  if (newEnd < agreement.period.end) {
    throw new IllegalStateError(
      AgreementRules.renewMustExtend,
      `a renewal extends the period: ${newEnd} is before the current end ${agreement.period.end}`,
    );
  }
  return [
    {
      type: 'AgreementRenewed',
      data: { agreementId: agreement.id, previousEnd: agreement.period.end, newEnd, renewedAt: command.metadata.now },
    },
  ];
}

/** SIGNED or ACTIVE -> TERMINATED; terminating twice is refused as `closed`. */
function terminate(command: TerminateAgreement, state: AgreementState): AgreementEvent[] {
  const reason = validateReason(command.data.reason);
  const agreement = openAgreement(state, command.data.agreementId);
  if (agreement.status !== 'SIGNED' && agreement.status !== 'ACTIVE') {
    throw new IllegalStateError(
      AgreementRules.terminateRequiresSigned,
      `only a signed or active agreement is terminated (an unsigned one is cancelled); ${agreement.id} is ${agreement.status}`,
    );
  }
  return closeWithWithdrawal(agreement, { type: 'AgreementTerminated', data: { agreementId: agreement.id, reason } }, reason, command);
}

/** DRAFT or UNDER_NEGOTIATION -> CANCELLED: the negotiation is abandoned. */
function cancel(command: CancelAgreement, state: AgreementState): AgreementEvent[] {
  const reason = validateReason(command.data.reason);
  const agreement = openAgreement(state, command.data.agreementId);
  if (agreement.status !== 'DRAFT' && agreement.status !== 'UNDER_NEGOTIATION') {
    throw new IllegalStateError(
      AgreementRules.cancelRequiresUnsigned,
      `only an agreement not signed yet is cancelled (a signed one is terminated); ${agreement.id} is ${agreement.status}`,
    );
  }
  return closeWithWithdrawal(agreement, { type: 'AgreementCancelled', data: { agreementId: agreement.id, reason } }, reason, command);
}

/** The closing event, then the withdrawal of an outstanding funding request (REQUESTED or APPROVED). */
function closeWithWithdrawal(agreement: Agreement, closing: AgreementEvent, reason: string, command: AgreementCommand): AgreementEvent[] {
  const source = { sourceType: 'AGREEMENT', sourceId: agreement.id, budgetLineId: agreement.budgetLineId } as const;
  const withdrawal = fundingWithdrawalOf(agreement.funding, source, reason, command.metadata.now);
  return withdrawal === undefined ? [closing] : [closing, { type: 'FundingWithdrawn', data: withdrawal }];
}

// ---------- funding (system command, from finance's decisions) ----------

/**
 * Recorded only while the request is pending (REQUESTED). Everything else is a no-op, never a
 * refusal, because the command comes from a Kafka consumer that may see a decision again
 * (redelivery after a crash), late (after the agreement was closed), or for an agreement that
 * never asked (a commitment entered by hand in finance): refusing would only block the consumer.
 */
function recordFundingDecision(command: RecordFundingDecision, state: AgreementState): AgreementEvent[] {
  if (!exists(state) || isClosed(state)) return [];
  const outcome = fundingDecisionOutcome(state.funding, command.data);
  if (outcome === null) return [];
  if (outcome.decision === 'APPROVED') return [{ type: 'FundingApproved', data: { agreementId: state.id, ...outcome.data } }];
  return [{ type: 'FundingRejected', data: { agreementId: state.id, ...outcome.data, reason: validateReason(outcome.data.reason) } }];
}

/**
 * Maps a consumed finance event (`CommitmentApproved` / `CommitmentRejected`, upcast to its current
 * version) to the command for the agreement it is about; `null` for other event types and for
 * commitments of campaigns or training sessions. The consumer passes its own metadata: `now`, a
 * system actor, and the consumed event's id as `causationId`.
 * @throws EventSchemaViolationError when the decision's data breaks its schema
 */
export function recordFundingDecisionFrom(
  event: { readonly type: string; readonly data: unknown },
  metadata: CommandMetadata,
): RecordFundingDecision | null {
  const found = fundingDecisionFor('AGREEMENT', event);
  return found === null ? null : { type: 'RecordFundingDecision', data: { agreementId: found.sourceId, ...found.decision }, metadata };
}

// ---------- follow-up (system command, from the daily check) ----------

/**
 * Writes the notices due on `today` (`noticesDue`): every threshold reached and not yet noticed,
 * largest first, then the expiry when the period has ended. A no-op for an agreement that does not
 * exist, is not in force, or has nothing due: the check runs every day on every agreement and
 * may run twice (see agreement.expiry.ts).
 */
function recordExpiryNotices(command: RecordExpiryNotices, state: AgreementState): AgreementEvent[] {
  const today = validateDate(command.data.today, 'today');
  if (!exists(state)) return [];
  const due = noticesDue(state, today);
  const endDate = state.period.end;
  const notices: AgreementEvent[] = due.thresholds.map((threshold) => ({
    type: 'AgreementExpiring',
    data: { agreementId: state.id, threshold, endDate, noticedOn: today },
  }));
  if (!due.expired) return notices;
  return [...notices, { type: 'AgreementExpired', data: { agreementId: state.id, endDate, expiredOn: today } }];
}

// ---------- input validation (ValidationError names the field) ----------

const AGREEMENT_ID = new RegExp(`^${AGREEMENT_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);
const PARTNER_ID = new RegExp(`^${PARTNER_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validateAgreementId(value: unknown): string {
  if (typeof value !== 'string' || !AGREEMENT_ID.test(value)) {
    throw new ValidationError(
      `agreementId must be ${AGREEMENT_ID_PREFIX}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`,
      'agreementId',
    );
  }
  return value;
}

function validatePartnerId(value: unknown): string {
  if (typeof value !== 'string' || !PARTNER_ID.test(value)) {
    throw new ValidationError(`partnerId must be ${PARTNER_ID_PREFIX}<id>, got ${JSON.stringify(value)}`, 'partnerId');
  }
  return value;
}

function validateShortText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateReason(value: unknown): string {
  return validateShortText(value, 'reason', AgreementLimits.reasonMaxLength);
}

function validateId(value: unknown, field: string): string {
  return validateShortText(value, field, AgreementLimits.idMaxLength);
}

function validateArray(value: unknown, field: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, field);
  if (max !== undefined && value.length > max) throw new ValidationError(`${field} has ${value.length} items, more than ${max}`, field);
  return value as unknown[];
}

function rejectDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ValidationError(`${field} lists ${v} twice`, field);
    seen.add(v);
  }
}

const DATE_SCHEMA = { type: 'string', format: 'date' } as const;

/** YYYY-MM-DD naming a real day; such dates compare correctly as strings. */
function validateDate(value: unknown, field: string): string {
  if (schemaIssues(DATE_SCHEMA, value).length > 0) {
    throw new ValidationError(`${field} must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, field);
  }
  return value as string;
}

/** The UTC day of an ISO 8601 instant (the command's `now`). */
function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

function validatePeriod(value: unknown): Period {
  if (typeof value !== 'object' || value === null) throw new ValidationError('period must be { start, end }', 'period');
  const { start, end } = value as Record<string, unknown>;
  const from = validateDate(start, 'period.start');
  const to = validateDate(end, 'period.end');
  if (to < from) throw new ValidationError(`period.end ${to} is before period.start ${from}`, 'period.end');
  return { start: from, end: to };
}

/** Trimmed, distinct undertakings of each side; either side may have none. */
function validateCommitments(value: unknown): Commitments {
  if (typeof value !== 'object' || value === null) throw new ValidationError('commitments must be { ours, theirs }', 'commitments');
  const c = value as Record<string, unknown>;
  const side = (v: unknown, field: string): string[] => {
    const items = validateArray(v, field, AgreementLimits.maxCommitments).map((t) =>
      validateShortText(t, field, AgreementLimits.commitmentMaxLength),
    );
    rejectDuplicates(items, field);
    return items;
  };
  return { ours: side(c.ours, 'commitments.ours'), theirs: side(c.theirs, 'commitments.theirs') };
}

function validateMoney(value: unknown, field: string, allowZero: boolean): MoneyAmount {
  if (typeof value !== 'object' || value === null) throw new ValidationError(`${field} must be { amount, currency? }`, field);
  const { amount, currency: given } = value as { amount?: unknown; currency?: unknown };
  const min = allowZero ? 0n : 1n;
  if (typeof amount !== 'bigint' || amount < min || amount > MAX_MINOR_UNITS) {
    const what = allowZero ? 'a non-negative' : 'a positive';
    throw new ValidationError(`${field}.amount must be ${what} integer number of minor units`, `${field}.amount`);
  }
  const currency = given ?? DEFAULT_CURRENCY;
  if (!isCurrencyCode(currency)) {
    throw new ValidationError(`${field}.currency must be three capital letters, got ${JSON.stringify(currency)}`, `${field}.currency`);
  }
  return toMoneyAmount({ amount, currency });
}

/** A financial contribution is above zero; an in-kind one is valued at zero or more (zero: not valued). */
function validateContribution(value: unknown): Contribution {
  if (typeof value !== 'object' || value === null) throw new ValidationError('a contribution must be an object', 'contributions');
  const c = value as Record<string, unknown>;
  const direction = c.direction;
  if (typeof direction !== 'string' || !(CONTRIBUTION_DIRECTIONS as readonly string[]).includes(direction)) {
    throw new ValidationError(`contributions.direction must be one of ${CONTRIBUTION_DIRECTIONS.join(', ')}`, 'contributions.direction');
  }
  const kind = c.kind as ContributionKind;
  if (!(CONTRIBUTION_KINDS as readonly unknown[]).includes(kind)) {
    throw new ValidationError(`contributions.kind must be one of ${CONTRIBUTION_KINDS.join(', ')}`, 'contributions.kind');
  }
  const dir = direction as ContributionDirection;
  if (kind === 'FINANCIAL') return { direction: dir, kind, money: validateMoney(c.money, 'contributions.money', false) };
  return {
    direction: dir,
    kind,
    description: validateShortText(c.description, 'contributions.description', AgreementLimits.descriptionMaxLength),
    estimatedValue: validateMoney(c.estimatedValue, 'contributions.estimatedValue', true),
  };
}

/** The sum of our financial contributions: one request has one amount, so one currency. */
function total(amounts: readonly MoneyAmount[]): MoneyAmount {
  const currency = amounts[0].currency;
  if (amounts.some((m) => m.currency !== currency)) {
    throw new ValidationError('our financial contributions must all be in one currency (one funding request)', 'contributions');
  }
  const sum = amounts.reduce((s, m) => s + BigInt(m.amount), 0n);
  if (sum > MAX_MINOR_UNITS)
    throw new ValidationError('our financial contributions add up to more than the largest amount', 'contributions');
  return toMoneyAmount({ amount: sum, currency });
}

function validateTags(values: unknown): HumanRightsTag[] {
  const tags = validateArray(values, 'tags', AgreementLimits.maxTags).map((v) => {
    if (!isHumanRightsTag(v)) throw new ValidationError('each tag needs a known kind and a non-blank ref', 'tags');
    const ref = v.ref.trim();
    if ([...ref].length > AgreementLimits.idMaxLength) {
      throw new ValidationError(`a tag ref is longer than ${AgreementLimits.idMaxLength}`, 'tags');
    }
    return { kind: v.kind, ref };
  });
  rejectDuplicates(
    tags.map((t) => `${t.kind} ${t.ref}`),
    'tags',
  );
  return tags;
}

// ---------- the decider ----------

export const agreementDecider: Decider<AgreementCommand, AgreementEvent, AgreementState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: AGREEMENT_STATE_SCHEMA_VERSION,
};
