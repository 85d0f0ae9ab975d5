import { REGIONS, eventTypeV1 as v1, objectSchema as object, positiveMoneySchema, regionSchema } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import {
  EventRegistry,
  FUNDING_PURPOSE_MAX_LENGTH,
  FUNDING_SOURCE_TYPES,
  commitmentApprovedDefinition,
  commitmentRejectedDefinition,
  localizedTextSchema,
} from '@hrp/contracts';
import { FINANCE_CONTEXT } from '../budget/budget.registry';
import { CommitmentLimits } from './commitment.decider';
import { COMMITMENT_ID_PREFIX } from './commitment.events';

/*
 * The schemas of a commitment stream's events, every version, with their upcasters (none yet: all
 * are v1). CommitmentApproved and CommitmentRejected are the integration events of the funding
 * process: their definitions are libs/contracts' own (integration/funding.ts), so the payload
 * finance writes is the one campaigns reads, fingerprint for fingerprint. Guarded by
 * commitment.registry.unit.spec.ts against commitment.registry.snapshot.json.
 *
 * Finance has one registry per context: the wiring registers `budgetEventDefinitions` and
 * `commitmentEventDefinitions` in one `EventRegistry(FINANCE_CONTEXT)`; the registry exported here
 * holds the commitment's alone, for its own tests and snapshot.
 */

/** As the decider checks it: `commitment-<id>`. */
const commitmentId: JsonSchema = { type: 'string', pattern: `^${COMMITMENT_ID_PREFIX}[A-Za-z0-9_.:-]{1,180}$` };
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: CommitmentLimits.idMaxLength };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const positiveMoney = positiveMoneySchema;
const quote: JsonSchema = { type: 'string', minLength: 1, maxLength: CommitmentLimits.quoteMaxLength };
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });

/** Every event type of a commitment stream, at its current version, in lifecycle order. */
export const commitmentEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'CommitmentRequested',
    object(
      {
        commitmentId,
        budgetId: id,
        budgetLineId: id,
        amount: positiveMoney,
        purpose: localizedTextSchema(FUNDING_PURPOSE_MAX_LENGTH),
        sourceType: { type: 'string', enum: FUNDING_SOURCE_TYPES },
        sourceId: id,
        regions: { type: 'array', items: regionSchema, maxItems: REGIONS.length },
        requestId: id,
        quotes: { type: 'array', items: quote, maxItems: CommitmentLimits.maxQuotes },
        requestedAt: instant,
      },
      ['requestId'],
    ),
    'A commitment was requested on a budget line (by hand or from a FundingRequested)',
  ),
  v1(
    'QuotesCited',
    object({ commitmentId, quotes: { type: 'array', items: quote, minItems: 1, maxItems: CommitmentLimits.maxQuotes } }),
    'Suppliers’ quotes cited before the decision',
  ),
  commitmentApprovedDefinition,
  commitmentRejectedDefinition,
  v1(
    'ExpenseRecorded',
    object({
      commitmentId,
      expenseId: id,
      amount: positiveMoney,
      supplier: text(CommitmentLimits.supplierMaxLength),
      invoiceRef: text(CommitmentLimits.invoiceRefMaxLength),
      date: { type: 'string', format: 'date' },
    }),
    'An expense (supplier, invoice, date) recorded against an approved commitment',
  ),
  v1(
    'CommitmentReleased',
    object({ commitmentId, reason: text(CommitmentLimits.reasonMaxLength), releasedAt: instant }),
    'The commitment was released (its source cancelled, nothing spent)',
  ),
];

/** The commitment's event types alone, registered at their current version. */
export const commitmentEventRegistry = commitmentEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(FINANCE_CONTEXT));
