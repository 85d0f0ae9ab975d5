import { eventTypeV1 as v1, nonNegativeMoneySchema, objectSchema as object, positiveMoneySchema } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import { EventRegistry } from '@hrp/contracts';
import { BudgetLimits } from './budget.decider';
import { BUDGET_ID_PREFIX, PROGRAMME_AREAS } from './budget.events';

/*
 * The schemas of a budget stream's events, every version, with their upcasters (none yet: all are
 * v1). Once wired, the context kit validates what `decide` produced against them before an append
 * and stamps the current version; the event store upcasts what it reads. Their fingerprints are
 * guarded by budget.registry.unit.spec.ts against budget.registry.snapshot.json: a published schema
 * never changes in place; a change is a new version with an upcaster.
 *
 * Finance has one registry per context: the wiring registers `budgetEventDefinitions` and
 * `commitmentEventDefinitions` (commitment.registry.ts) in one `EventRegistry(FINANCE_CONTEXT)`;
 * the registry exported here holds the budget's alone, for its own tests and snapshot.
 *
 * Framework-free: @hrp/contracts and this aggregate's domain constants only.
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const FINANCE_CONTEXT = 'finance';

const budgetId: JsonSchema = { type: 'string', pattern: `^${BUDGET_ID_PREFIX}[0-9]{4}$` };
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: BudgetLimits.idMaxLength };
const currency: JsonSchema = { type: 'string', pattern: '^[A-Z]{3}$' };
/** Money as the budget writes it: MinorUnits strings, never negative (zero for an unfunded line). */
const nonNegativeMoney = nonNegativeMoneySchema;
const positiveMoney = positiveMoneySchema;
const thresholds = object({ approval: nonNegativeMoney, procurement: nonNegativeMoney });

const fundsOfCommitment = { budgetId, lineId: id, commitmentId: id, amount: positiveMoney };

/** Every event type of a budget stream, at its current version, in lifecycle order. */
export const budgetEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'BudgetDrafted',
    object({
      budgetId,
      fiscalYear: { type: 'integer', minimum: BudgetLimits.minFiscalYear, maximum: BudgetLimits.maxFiscalYear },
      currency,
      lines: {
        type: 'array',
        minItems: 1,
        maxItems: BudgetLimits.maxLines,
        items: object(
          {
            lineId: id,
            programmeArea: { type: 'string', enum: PROGRAMME_AREAS },
            label: { type: 'string', minLength: 1, maxLength: BudgetLimits.labelMaxLength },
            allocated: nonNegativeMoney,
          },
          ['label'],
        ),
      },
      thresholds,
    }),
    'The budget of a fiscal year was drafted, with its lines and thresholds',
  ),
  v1('BudgetThresholdsSet', object({ budgetId, thresholds }), 'The director set the commitment approval thresholds'),
  v1('BudgetApproved', object({ budgetId }), 'DRAFT -> APPROVED, by the director'),
  v1(
    'FundsReallocated',
    object({
      budgetId,
      reallocationId: id,
      fromLineId: id,
      toLineId: id,
      amount: positiveMoney,
      reason: { type: 'string', minLength: 1, maxLength: BudgetLimits.reasonMaxLength },
    }),
    'Allocation moved between two lines (the total unchanged), with a reason',
  ),
  v1('FundsCommitted', object(fundsOfCommitment), "An approved commitment's amount reserved on its line"),
  v1('FundsReleased', object(fundsOfCommitment), "A released commitment's amount given back to its line"),
  v1(
    'FundsSpent',
    object({
      ...fundsOfCommitment,
      expenseId: id,
      supplier: { type: 'string', minLength: 1, maxLength: BudgetLimits.supplierMaxLength },
      invoiceRef: { type: 'string', minLength: 1, maxLength: BudgetLimits.invoiceRefMaxLength },
      date: { type: 'string', format: 'date' },
    }),
    "An expense (supplier, invoice, date) spent on its commitment's line",
  ),
  v1(
    'CommitmentVoided',
    object({ budgetId, commitmentId: id }),
    'A commitment rejected or withdrawn: its amount is never committed on this budget',
  ),
  v1('BudgetClosed', object({ budgetId }), 'APPROVED -> CLOSED: nothing moves any more'),
];

/** The budget's event types alone, registered at their current version. */
export const budgetEventRegistry = budgetEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(FINANCE_CONTEXT));
