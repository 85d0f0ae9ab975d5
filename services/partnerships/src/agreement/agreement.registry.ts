import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import {
  EventRegistry,
  fundingRequestedDefinition,
  fundingWithdrawnDefinition,
  humanRightsTagSchema,
  localizedTextSchema,
  moneyAmountSchema,
  nonNegativeMoneySchema,
  positiveMoneySchema,
} from '@hrp/contracts';
import { PARTNERSHIPS_CONTEXT, partnerIdSchema } from '../partner/partner.registry';
import { AgreementLimits } from './agreement.decider';
import { AGREEMENT_ID_PREFIX, CONTRIBUTION_DIRECTIONS, EXPIRY_THRESHOLDS } from './agreement.events';

/*
 * The schemas of an agreement stream's events, every version, with their upcasters (the shared
 * FundingRequested is at v2, with its upcaster from v1; the others are v1). Once wired, the
 * context kit validates what `decide` produced against them before an append and stamps the
 * current version; the event store upcasts what it reads. Their fingerprints are guarded by
 * agreement.registry.unit.spec.ts against agreement.registry.snapshot.json: a published schema
 * never changes in place; a change is a new version with an upcaster.
 *
 * FundingRequested and FundingWithdrawn are libs/contracts' own definitions, so that finance reads
 * what an agreement writes with the same schemas.
 *
 * Partnerships has one registry per context: the wiring registers `partnerEventDefinitions` and
 * `agreementEventDefinitions` in one `EventRegistry(PARTNERSHIPS_CONTEXT)`; the registry exported
 * here holds the agreement's alone, for its own tests and snapshot.
 */

/** As the decider checks it: `agreement-<id>`. */
const agreementId: JsonSchema = { type: 'string', pattern: `^${AGREEMENT_ID_PREFIX}[A-Za-z0-9_-]{1,100}$` };
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const id = text(AgreementLimits.idMaxLength);
const date: JsonSchema = { type: 'string', format: 'date' };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const reason = text(AgreementLimits.reasonMaxLength);
const direction: JsonSchema = { type: 'string', enum: CONTRIBUTION_DIRECTIONS };
const commitmentList: JsonSchema = {
  type: 'array',
  items: text(AgreementLimits.commitmentMaxLength),
  maxItems: AgreementLimits.maxCommitments,
};

/**
 * A contribution: FINANCIAL (money above zero) or IN_KIND (a description and a value at zero or more).
 * Which fields go with which kind is the decider's check: the schema subset has no `oneOf`.
 */
const contributionSchema: JsonSchema = {
  type: 'object',
  required: ['direction', 'kind'],
  additionalProperties: false,
  properties: {
    direction,
    kind: { type: 'string', enum: ['FINANCIAL', 'IN_KIND'] },
    money: positiveMoneySchema,
    description: text(AgreementLimits.descriptionMaxLength),
    estimatedValue: nonNegativeMoneySchema,
  },
};

/** Every event type of an agreement stream, at its current version, in lifecycle order. */
export const agreementEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'AgreementDrafted',
    object(
      {
        agreementId,
        partnerId: partnerIdSchema,
        title: localizedTextSchema(AgreementLimits.titleMaxLength),
        scope: localizedTextSchema(AgreementLimits.scopeMaxLength),
        period: object({ start: date, end: date }),
        commitments: object({ ours: commitmentList, theirs: commitmentList }),
        contributions: { type: 'array', items: contributionSchema, maxItems: AgreementLimits.maxContributions },
        budgetLineId: id,
        tags: { type: 'array', items: humanRightsTagSchema, maxItems: AgreementLimits.maxTags },
      },
      ['budgetLineId'],
    ),
    'An agreement was drafted with an active partner',
  ),
  fundingRequestedDefinition,
  v1(
    'FundingApproved',
    object({ agreementId, commitmentId: id, requestId: id, amount: moneyAmountSchema, decidedAt: instant }, ['requestId']),
    "Finance approved the agreement's commitment",
  ),
  v1(
    'FundingRejected',
    object({ agreementId, commitmentId: id, requestId: id, amount: moneyAmountSchema, reason, decidedAt: instant }, ['requestId']),
    "Finance rejected the agreement's commitment",
  ),
  v1('AgreementNegotiationStarted', object({ agreementId }), 'DRAFT -> UNDER_NEGOTIATION'),
  v1('AgreementSigned', object({ agreementId, signedOn: date }), 'UNDER_NEGOTIATION -> SIGNED'),
  v1('AgreementActivated', object({ agreementId, activatedOn: date }), 'SIGNED -> ACTIVE, on or after the start of the period'),
  v1(
    'AgreementRenewed',
    object({ agreementId, previousEnd: date, newEnd: date, renewedAt: instant }),
    'The period was extended (the expiry notices start again for the new end)',
  ),
  v1(
    'AgreementExpiring',
    object({ agreementId, threshold: { type: 'integer', enum: EXPIRY_THRESHOLDS }, endDate: date, noticedOn: date }),
    'The follow-up reached 60, 30 or 7 days before the end (once per threshold and end date)',
  ),
  v1('AgreementExpired', object({ agreementId, endDate: date, expiredOn: date }), 'SIGNED or ACTIVE -> EXPIRED, the day after the end'),
  v1('AgreementTerminated', object({ agreementId, reason }), 'SIGNED or ACTIVE -> TERMINATED, with a reason'),
  v1('AgreementCancelled', object({ agreementId, reason }), 'DRAFT or UNDER_NEGOTIATION -> CANCELLED, with a reason'),
  fundingWithdrawnDefinition,
];

/** The agreement's event types alone, registered at their current version. */
export const agreementEventRegistry = agreementEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(PARTNERSHIPS_CONTEXT));
