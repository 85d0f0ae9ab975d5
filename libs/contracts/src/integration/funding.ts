import { EventSchemaViolationError } from '../errors';
import type { JsonSchema } from '../json-schema';
import { schemaIssues } from '../json-schema';
import type { EventTypeDefinition } from '../registry';
import { EventRegistry } from '../registry';
import type { LocalizedText } from '../vocabulary/localized-text';
import type { MoneyAmount } from '../vocabulary/money';
import { MAX_MINOR_UNITS } from '../vocabulary/money';
import { REGIONS } from '../vocabulary/regions';
import { localizedTextSchema, positiveMoneySchema, regionSchema } from '../vocabulary/schemas';

/*
 * The cross-context funding process (docs/domain.md, "Cross-context process: funding"), as the events
 * that cross service boundaries through Kafka. Producers of a request (campaigns, training,
 * partnerships) register `fundingRequestedDefinition` and `fundingWithdrawnDefinition` in their own
 * registry, so the events are published as `hrp.<producer>.FundingRequested.v2` and
 * `hrp.<producer>.FundingWithdrawn.v1`; finance reads both with `toFundingMessage`, registers the two
 * decision definitions and publishes `hrp.finance.CommitmentApproved.v1` / `hrp.finance.CommitmentRejected.v1`.
 * Both sides import the same schemas from here, so their fingerprints agree in the schema guard.
 *
 * The process is idempotent on both sides: finance deduplicates requests (and withdrawals) on
 * `requestId`, and a producer records a decision only while its request is pending (a redelivered
 * decision is a no-op).
 */

/** What a commitment request pays for: the aggregate kind that asked for funding. */
export const FUNDING_SOURCE_TYPES = ['CAMPAIGN', 'TRAINING_SESSION', 'AGREEMENT'] as const;
export type FundingSourceType = (typeof FUNDING_SOURCE_TYPES)[number];

const sourceTypeSet: ReadonlySet<string> = new Set(FUNDING_SOURCE_TYPES);

/** Type guard for `FundingSourceType`. */
export function isFundingSourceType(value: unknown): value is FundingSourceType {
  return typeof value === 'string' && sourceTypeSet.has(value);
}

/** Event type names and the schema version written today, shared by producers and consumers. */
export const FUNDING_EVENTS = {
  FundingRequested: { type: 'FundingRequested', schemaVersion: 2 },
  FundingWithdrawn: { type: 'FundingWithdrawn', schemaVersion: 1 },
  CommitmentApproved: { type: 'CommitmentApproved', schemaVersion: 1 },
  CommitmentRejected: { type: 'CommitmentRejected', schemaVersion: 1 },
} as const;

/** Longest purpose text, per language (a title, not a description). */
export const FUNDING_PURPOSE_MAX_LENGTH = 300;
/** Longest reason of a rejection or a withdrawal. */
export const FUNDING_REASON_MAX_LENGTH = 1000;

/** Most region codes a request names: every region of the vocabulary once. */
export const FUNDING_MAX_REGIONS = REGIONS.length;

/**
 * `FundingRequested` v2: a producer asks finance for a commitment on a budget line.
 * Published by the producer's relay after the commit (never from inside a decider).
 */
export interface FundingRequested {
  /** Unique id of this request; finance opens at most one commitment per request id. */
  readonly requestId: string;
  readonly sourceType: FundingSourceType;
  /** Id (stream id) of the aggregate asking, e.g. `campaign-<uuid>`. */
  readonly sourceId: string;
  readonly budgetLineId: string;
  /** Positive amount in minor units (a MinorUnits string) and its currency. */
  readonly amount: MoneyAmount;
  /** What the money is for, shown to finance (the campaign's or session's title). */
  readonly purpose: LocalizedText;
  /** ISO 8601 instant of the request. */
  readonly requestedAt: string;
  /**
   * Region codes of the activity asking (`MA-01` … `MA-12`, `NATIONAL`), distinct, so that finance
   * can scope its reads by region. Producers write at least one; empty only on a request written
   * as v1 (before v2) and upcast, whose regions are unknown.
   */
  readonly regions: readonly string[];
}

/**
 * `FundingWithdrawn` v1: the source was cancelled and no longer needs the money; finance releases
 * the commitment opened for `requestId` if nothing was spent on it. Published by the producer
 * that sent the request, after the commit.
 */
export interface FundingWithdrawn {
  /** The `FundingRequested.requestId` withdrawn. */
  readonly requestId: string;
  readonly sourceType: FundingSourceType;
  readonly sourceId: string;
  readonly budgetLineId: string;
  /** Why the source was cancelled; not blank. */
  readonly reason: string;
  /** ISO 8601 instant of the withdrawal. */
  readonly withdrawnAt: string;
}

/** Fields common to both decisions on a commitment. */
interface CommitmentDecisionBase {
  readonly commitmentId: string;
  /** The `FundingRequested.requestId` the commitment answers; absent for commitments entered by hand in finance. */
  readonly requestId?: string;
  readonly sourceType: FundingSourceType;
  readonly sourceId: string;
  /** The commitment's amount. */
  readonly amount: MoneyAmount;
  /** ISO 8601 instant of the decision. */
  readonly decidedAt: string;
}

/** `CommitmentApproved` v1, published by finance. */
export type CommitmentApproved = CommitmentDecisionBase;

/** `CommitmentRejected` v1, published by finance; `reason` is required and not blank. */
export interface CommitmentRejected extends CommitmentDecisionBase {
  readonly reason: string;
}

/** A finance decision, tagged, as consumers handle it. */
export type FundingDecision =
  ({ readonly decision: 'APPROVED' } & CommitmentApproved) | ({ readonly decision: 'REJECTED' } & CommitmentRejected);

/** A producer's funding message, tagged, as finance handles it. */
export type FundingMessage = ({ readonly kind: 'REQUESTED' } & FundingRequested) | ({ readonly kind: 'WITHDRAWN' } & FundingWithdrawn);

// ---------- schemas (never change in place: add a version with an upcaster) ----------

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const positiveAmount = positiveMoneySchema;
const sourceType: JsonSchema = { type: 'string', enum: FUNDING_SOURCE_TYPES };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const reason: JsonSchema = { type: 'string', minLength: 1, maxLength: FUNDING_REASON_MAX_LENGTH };

/** Schema of `FundingRequested` v1. */
export const fundingRequestedSchemaV1: JsonSchema = {
  type: 'object',
  required: ['requestId', 'sourceType', 'sourceId', 'budgetLineId', 'amount', 'purpose', 'requestedAt'],
  additionalProperties: false,
  properties: {
    requestId: id,
    sourceType,
    sourceId: id,
    budgetLineId: id,
    amount: positiveAmount,
    purpose: localizedTextSchema(FUNDING_PURPOSE_MAX_LENGTH),
    requestedAt: instant,
  },
};

/**
 * Schema of `FundingRequested` v2: v1 plus `regions`. Up to every region once; empty is allowed
 * only because v1 requests upcast to it (producers write at least one). Distinctness is checked by
 * `fundingRequestedIssues` (the schema subset has no `uniqueItems`).
 */
export const fundingRequestedSchemaV2: JsonSchema = {
  ...fundingRequestedSchemaV1,
  required: [...(fundingRequestedSchemaV1.required ?? []), 'regions'],
  properties: {
    ...fundingRequestedSchemaV1.properties,
    regions: { type: 'array', items: regionSchema, maxItems: FUNDING_MAX_REGIONS },
  },
};

/** `FundingRequested` v1 -> v2: a v1 request named no region, so its regions are unknown (empty). */
function fundingRequestedV1ToV2(data: Omit<FundingRequested, 'regions'>): FundingRequested {
  return { ...data, regions: [] };
}

/** Schema of `FundingWithdrawn` v1. */
export const fundingWithdrawnSchemaV1: JsonSchema = {
  type: 'object',
  required: ['requestId', 'sourceType', 'sourceId', 'budgetLineId', 'reason', 'withdrawnAt'],
  additionalProperties: false,
  properties: { requestId: id, sourceType, sourceId: id, budgetLineId: id, reason, withdrawnAt: instant },
};

const decisionProperties: Readonly<Record<string, JsonSchema>> = {
  commitmentId: id,
  requestId: id,
  sourceType,
  sourceId: id,
  amount: positiveAmount,
  decidedAt: instant,
};

/** Schema of `CommitmentApproved` v1. */
export const commitmentApprovedSchemaV1: JsonSchema = {
  type: 'object',
  required: ['commitmentId', 'sourceType', 'sourceId', 'amount', 'decidedAt'],
  additionalProperties: false,
  properties: decisionProperties,
};

/** Schema of `CommitmentRejected` v1. */
export const commitmentRejectedSchemaV1: JsonSchema = {
  type: 'object',
  required: ['commitmentId', 'sourceType', 'sourceId', 'amount', 'decidedAt', 'reason'],
  additionalProperties: false,
  properties: { ...decisionProperties, reason },
};

/** Registry definition of `FundingRequested` (v1 and v2, with the upcaster), for every producer's registry. */
export const fundingRequestedDefinition: EventTypeDefinition = {
  type: FUNDING_EVENTS.FundingRequested.type,
  currentVersion: FUNDING_EVENTS.FundingRequested.schemaVersion,
  schemas: { 1: fundingRequestedSchemaV1, 2: fundingRequestedSchemaV2 },
  upcasters: { 1: fundingRequestedV1ToV2 },
  description: 'A commitment request sent to finance (integration event, libs/contracts/src/integration/funding.ts)',
};

/** Registry definition of `FundingWithdrawn`, for every producer's registry. */
export const fundingWithdrawnDefinition: EventTypeDefinition = {
  type: FUNDING_EVENTS.FundingWithdrawn.type,
  currentVersion: FUNDING_EVENTS.FundingWithdrawn.schemaVersion,
  schemas: { 1: fundingWithdrawnSchemaV1 },
  description: 'A funding request withdrawn because its source was cancelled (integration event)',
};

/** Registry definition of `CommitmentApproved`, for finance's registry. */
export const commitmentApprovedDefinition: EventTypeDefinition = {
  type: FUNDING_EVENTS.CommitmentApproved.type,
  currentVersion: FUNDING_EVENTS.CommitmentApproved.schemaVersion,
  schemas: { 1: commitmentApprovedSchemaV1 },
  description: 'Finance approved a commitment (integration event)',
};

/** Registry definition of `CommitmentRejected`, for finance's registry. */
export const commitmentRejectedDefinition: EventTypeDefinition = {
  type: FUNDING_EVENTS.CommitmentRejected.type,
  currentVersion: FUNDING_EVENTS.CommitmentRejected.schemaVersion,
  schemas: { 1: commitmentRejectedSchemaV1 },
  description: 'Finance rejected a commitment, with a reason (integration event)',
};

// ---------- validators and type guards ----------

/** Checks that the schema cannot express: amounts within 64 bits, text not blank. */
function semanticIssues(data: unknown): string[] {
  const issues: string[] = [];
  const o = data as Record<string, unknown>;
  const amount = (o.amount as Record<string, unknown> | undefined)?.amount;
  if (typeof amount === 'string' && /^[0-9]+$/.test(amount) && BigInt(amount) > MAX_MINOR_UNITS) {
    issues.push(`$.amount.amount: more than ${MAX_MINOR_UNITS} minor units`);
  }
  for (const key of ['requestId', 'sourceId', 'budgetLineId', 'commitmentId', 'reason'] as const) {
    const v = o[key];
    if (typeof v === 'string' && v.length > 0 && v.trim().length === 0) issues.push(`$.${key}: blank`);
  }
  const purpose = o.purpose as Record<string, unknown> | undefined;
  if (typeof purpose?.fr === 'string' && purpose.fr.length > 0 && purpose.fr.trim().length === 0) issues.push('$.purpose.fr: blank');
  if (Array.isArray(o.regions)) {
    const seen = new Set<unknown>();
    for (const region of o.regions as unknown[]) {
      if (seen.has(region)) issues.push(`$.regions: ${JSON.stringify(region)} listed twice`);
      seen.add(region);
    }
  }
  return issues;
}

function issuesOf(schema: JsonSchema, data: unknown): string[] {
  const issues = schemaIssues(schema, data);
  return issues.length > 0 ? issues : semanticIssues(data);
}

/** Problems with `data` as a `FundingRequested` v2, the current version (empty when valid). */
export function fundingRequestedIssues(data: unknown): string[] {
  return issuesOf(fundingRequestedSchemaV2, data);
}

/** Problems with `data` as a `FundingWithdrawn` v1 (empty when valid). */
export function fundingWithdrawnIssues(data: unknown): string[] {
  return issuesOf(fundingWithdrawnSchemaV1, data);
}

/** Problems with `data` as a `CommitmentApproved` v1 (empty when valid). */
export function commitmentApprovedIssues(data: unknown): string[] {
  return issuesOf(commitmentApprovedSchemaV1, data);
}

/** Problems with `data` as a `CommitmentRejected` v1 (empty when valid). */
export function commitmentRejectedIssues(data: unknown): string[] {
  return issuesOf(commitmentRejectedSchemaV1, data);
}

/** Type guard for `FundingRequested` v2 data. */
export function isFundingRequested(data: unknown): data is FundingRequested {
  return fundingRequestedIssues(data).length === 0;
}

/** Type guard for `FundingWithdrawn` v1 data. */
export function isFundingWithdrawn(data: unknown): data is FundingWithdrawn {
  return fundingWithdrawnIssues(data).length === 0;
}

/** Type guard for `CommitmentApproved` v1 data. */
export function isCommitmentApproved(data: unknown): data is CommitmentApproved {
  return commitmentApprovedIssues(data).length === 0;
}

/** Type guard for `CommitmentRejected` v1 data. */
export function isCommitmentRejected(data: unknown): data is CommitmentRejected {
  return commitmentRejectedIssues(data).length === 0;
}

/**
 * Reads a consumed finance event (already upcast to the current version) as a `FundingDecision`;
 * `null` for any other event type, so that a consumer can pass every event of finance's topic.
 * @throws EventSchemaViolationError when a decision's data breaks its schema (a producer bug:
 * dead-letter it rather than guess)
 */
export function toFundingDecision(event: { readonly type: string; readonly data: unknown }): FundingDecision | null {
  switch (event.type) {
    case FUNDING_EVENTS.CommitmentApproved.type: {
      const issues = commitmentApprovedIssues(event.data);
      if (issues.length > 0) throw new EventSchemaViolationError(event.type, FUNDING_EVENTS.CommitmentApproved.schemaVersion, issues);
      return { decision: 'APPROVED', ...(event.data as CommitmentApproved) };
    }
    case FUNDING_EVENTS.CommitmentRejected.type: {
      const issues = commitmentRejectedIssues(event.data);
      if (issues.length > 0) throw new EventSchemaViolationError(event.type, FUNDING_EVENTS.CommitmentRejected.schemaVersion, issues);
      return { decision: 'REJECTED', ...(event.data as CommitmentRejected) };
    }
    default:
      return null;
  }
}

/** Upcasts the producers' funding messages; consumers do not hold the producers' registries. */
const fundingMessages = new EventRegistry('funding').register(fundingRequestedDefinition).register(fundingWithdrawnDefinition);

/**
 * Reads a consumed producer event as a `FundingMessage`; `null` for any other event type, so that
 * a consumer can pass every event of a producer's topic. With `schemaVersion` (as a consumed
 * `StoredEvent` carries it) older versions are upcast first, e.g. a `FundingRequested` v1 gets
 * `regions: []`; without it the data is taken to be at the current version.
 * @throws EventSchemaViolationError when the data breaks its schema (a producer bug: dead-letter it
 * rather than guess); UnsupportedSchemaVersionError for a version newer than this code knows
 */
export function toFundingMessage(event: {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion?: number;
}): FundingMessage | null {
  switch (event.type) {
    case FUNDING_EVENTS.FundingRequested.type: {
      const data = currentData(event);
      const issues = fundingRequestedIssues(data);
      if (issues.length > 0) throw new EventSchemaViolationError(event.type, FUNDING_EVENTS.FundingRequested.schemaVersion, issues);
      return { kind: 'REQUESTED', ...(data as FundingRequested) };
    }
    case FUNDING_EVENTS.FundingWithdrawn.type: {
      const data = currentData(event);
      const issues = fundingWithdrawnIssues(data);
      if (issues.length > 0) throw new EventSchemaViolationError(event.type, FUNDING_EVENTS.FundingWithdrawn.schemaVersion, issues);
      return { kind: 'WITHDRAWN', ...(data as FundingWithdrawn) };
    }
    default:
      return null;
  }
}

function currentData(event: { readonly type: string; readonly data: unknown; readonly schemaVersion?: number }): unknown {
  if (event.schemaVersion === undefined) return event.data;
  return fundingMessages.upcast({ type: event.type, schemaVersion: event.schemaVersion, data: event.data }).data;
}

// ---------- the producers' side of the process (pure: no clock, no ids, no framework) ----------

/** Where a producer's own request stands, as its aggregate's state keeps it. */
export type FundingRequestStatus = 'NOT_REQUESTED' | 'REQUESTED' | 'APPROVED' | 'REJECTED';

/** The part of a producer aggregate's state that the process reads: its status and the request it sent. */
export interface FundingRequestState {
  readonly status: FundingRequestStatus;
  /** The pending or answered request (set from REQUESTED on). */
  readonly requestId?: string;
}

/** What a producer records of a decision in its own `FundingApproved` / `FundingRejected`, beside its aggregate's id. */
export interface RecordedFundingDecision {
  readonly commitmentId: string;
  /** Absent when finance's decision carries none (a commitment entered by hand in finance). */
  readonly requestId?: string;
  readonly amount: MoneyAmount;
  readonly decidedAt: string;
}

/**
 * A finance decision addressed to one producer aggregate, without the source (the producer's
 * `RecordFundingDecision` command names its aggregate by its own id field).
 */
export type ProducerFundingDecision = RecordedFundingDecision &
  ({ readonly decision: 'APPROVED' } | { readonly decision: 'REJECTED'; readonly reason: string });

/** What to record of a decision: the producer's `FundingApproved` or `FundingRejected` data, beside its aggregate's id. */
export type FundingDecisionOutcome =
  | { readonly decision: 'APPROVED'; readonly data: RecordedFundingDecision }
  | { readonly decision: 'REJECTED'; readonly data: RecordedFundingDecision & { readonly reason: string } };

/** `requestId` as an optional field: absent, not `undefined`, when there is none. */
function requestIdField(requestId: string | undefined): { readonly requestId?: string } {
  return requestId !== undefined ? { requestId } : {};
}

/**
 * Reads a consumed finance event (upcast to its current version) as a decision for a producer of
 * `sourceType`, with the `sourceId` of the aggregate it is about; `null` for other event types and
 * for commitments of other source types, so that a producer's consumer can pass every event of
 * finance's topic.
 * @throws EventSchemaViolationError when the decision's data breaks its schema
 */
export function fundingDecisionFor(
  sourceType: FundingSourceType,
  event: { readonly type: string; readonly data: unknown },
): { readonly sourceId: string; readonly decision: ProducerFundingDecision } | null {
  const decision = toFundingDecision(event);
  if (decision === null || decision.sourceType !== sourceType) return null;
  const fields = {
    commitmentId: decision.commitmentId,
    ...requestIdField(decision.requestId),
    amount: decision.amount,
    decidedAt: decision.decidedAt,
  };
  return {
    sourceId: decision.sourceId,
    decision:
      decision.decision === 'APPROVED' ? { ...fields, decision: 'APPROVED' } : { ...fields, decision: 'REJECTED', reason: decision.reason },
  };
}

/**
 * What a producer records of a decision on its request: the decision while the request is pending
 * (REQUESTED) and the decision answers it (or either side has no request id); `null`, a no-op,
 * otherwise. Never a refusal, because decisions come from a Kafka consumer that may see one again
 * (redelivery after a crash), late, or for an aggregate that never asked (a commitment entered by
 * hand in finance): refusing would only block the consumer. Whether the aggregate exists and is
 * still open is the producer's own check, before this one.
 */
export function fundingDecisionOutcome(funding: FundingRequestState, decision: ProducerFundingDecision): FundingDecisionOutcome | null {
  if (funding.status !== 'REQUESTED') return null; // same decision again, or nothing was requested
  if (decision.requestId !== undefined && funding.requestId !== undefined && decision.requestId !== funding.requestId) return null;
  const head = { commitmentId: decision.commitmentId, ...requestIdField(decision.requestId), amount: decision.amount };
  return decision.decision === 'APPROVED'
    ? { decision: 'APPROVED', data: { ...head, decidedAt: decision.decidedAt } }
    : { decision: 'REJECTED', data: { ...head, reason: decision.reason, decidedAt: decision.decidedAt } };
}

/**
 * The withdrawal of an outstanding request (REQUESTED or APPROVED) when its source is cancelled,
 * so that finance releases the commitment it opened for it; `undefined` when nothing was requested
 * or finance already said no. The producer wraps it in its own `FundingWithdrawn` event.
 */
export function fundingWithdrawalOf(
  funding: FundingRequestState,
  source: { readonly sourceType: FundingSourceType; readonly sourceId: string; readonly budgetLineId?: string },
  reason: string,
  now: string,
): FundingWithdrawn | undefined {
  if (funding.status !== 'REQUESTED' && funding.status !== 'APPROVED') return undefined;
  // Both are set whenever a request was made (the producer checks the budget line; its evolve keeps the id).
  if (funding.requestId === undefined || source.budgetLineId === undefined) return undefined;
  return {
    requestId: funding.requestId,
    sourceType: source.sourceType,
    sourceId: source.sourceId,
    budgetLineId: source.budgetLineId,
    reason,
    withdrawnAt: now,
  };
}
