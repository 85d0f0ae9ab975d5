import { EventSchemaViolationError } from '../errors';
import type { JsonSchema } from '../json-schema';
import { schemaIssues } from '../json-schema';
import type { EventTypeDefinition } from '../registry';
import type { LocalizedText } from '../vocabulary/localized-text';
import type { MoneyAmount } from '../vocabulary/money';
import { MAX_MINOR_UNITS } from '../vocabulary/money';
import { localizedTextSchema, positiveMoneySchema } from '../vocabulary/schemas';

/*
 * The cross-context funding process (docs/domain.md, "Cross-context process: funding"), as the events
 * that cross service boundaries through Kafka. Producers of a request (campaigns, training,
 * partnerships) register `fundingRequestedDefinition` in their own registry, so the event is
 * published as `hrp.<producer>.FundingRequested.v1`; finance registers the two decision
 * definitions and publishes `hrp.finance.CommitmentApproved.v1` / `hrp.finance.CommitmentRejected.v1`.
 * Both sides import the same schemas from here, so their fingerprints agree in the schema guard.
 *
 * The process is idempotent on both sides: finance deduplicates requests on `requestId`, and a
 * producer records a decision only while its request is pending (a redelivered decision is a no-op).
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
  FundingRequested: { type: 'FundingRequested', schemaVersion: 1 },
  CommitmentApproved: { type: 'CommitmentApproved', schemaVersion: 1 },
  CommitmentRejected: { type: 'CommitmentRejected', schemaVersion: 1 },
} as const;

/** Longest purpose text, per language (a title, not a description). */
export const FUNDING_PURPOSE_MAX_LENGTH = 300;
/** Longest rejection reason. */
export const FUNDING_REASON_MAX_LENGTH = 1000;

/**
 * `FundingRequested` v1: a producer asks finance for a commitment on a budget line.
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

// ---------- schemas (v1; never change in place: add v2 with an upcaster) ----------

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const positiveAmount = positiveMoneySchema;
const sourceType: JsonSchema = { type: 'string', enum: FUNDING_SOURCE_TYPES };
const instant: JsonSchema = { type: 'string', format: 'date-time' };

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
  properties: { ...decisionProperties, reason: { type: 'string', minLength: 1, maxLength: FUNDING_REASON_MAX_LENGTH } },
};

/** Registry definition of `FundingRequested`, for every producer's registry. */
export const fundingRequestedDefinition: EventTypeDefinition = {
  type: FUNDING_EVENTS.FundingRequested.type,
  currentVersion: FUNDING_EVENTS.FundingRequested.schemaVersion,
  schemas: { 1: fundingRequestedSchemaV1 },
  description: 'A commitment request sent to finance (integration event, libs/contracts/src/integration/funding.ts)',
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
  return issues;
}

function issuesOf(schema: JsonSchema, data: unknown): string[] {
  const issues = schemaIssues(schema, data);
  return issues.length > 0 ? issues : semanticIssues(data);
}

/** Problems with `data` as a `FundingRequested` v1 (empty when valid). */
export function fundingRequestedIssues(data: unknown): string[] {
  return issuesOf(fundingRequestedSchemaV1, data);
}

/** Problems with `data` as a `CommitmentApproved` v1 (empty when valid). */
export function commitmentApprovedIssues(data: unknown): string[] {
  return issuesOf(commitmentApprovedSchemaV1, data);
}

/** Problems with `data` as a `CommitmentRejected` v1 (empty when valid). */
export function commitmentRejectedIssues(data: unknown): string[] {
  return issuesOf(commitmentRejectedSchemaV1, data);
}

/** Type guard for `FundingRequested` v1 data. */
export function isFundingRequested(data: unknown): data is FundingRequested {
  return fundingRequestedIssues(data).length === 0;
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
