import type { StoredEvent } from '@hrp/contracts';
import { toFundingMessage } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { BudgetCommand } from '../budget/budget.decider';
import type { BudgetEvent } from '../budget/budget.events';
import { budgetIdOfLine } from '../budget/budget.events';
import type { CommitmentCommand } from '../commitment/commitment.decider';
import type { CommitmentEvent } from '../commitment/commitment.events';
import { budgetIdOfCommitment, commitmentStreamIdForRequest } from '../commitment/commitment.events';

/*
 * The funding process as finance runs it (docs/funding-process.md): pure mappings from events to
 * the commands that follow them, run by the context kit's reactions (finance.context.ts).
 *
 * Each rule of money has one stream that decides it, and the other stream follows:
 * - the budget decides what is committed, spent and released (the line's allocation, the year's
 *   invoices, a closed budget); the commitment follows: FundsCommitted → CompleteApproval,
 *   FundsSpent → RecordExpense, FundsReleased / CommitmentVoided → ReleaseCommitment;
 * - the commitment decides its decision (approve XOR reject); the budget follows a rejection:
 *   CommitmentRejected → ReleaseFunds (voids the commitment there, or gives back what an approval
 *   racing the rejection committed).
 * The API runs the first step and, for a quick answer, the follower's step too; these reactions
 * make the second step happen whatever fails in between (a crash, a restart, a lost race), since
 * every step is idempotent and Kafka delivers each event at least once.
 *
 * From the producers (campaigns; training and partnerships with the same contract):
 * FundingRequested → RequestCommitment (stream derived from the request id: a redelivery opens
 * nothing twice); FundingWithdrawn → ReleaseFunds (the budget arbitrates: unspent funds go back,
 * a pending request is voided). One reaction reads both, so a source's request and withdrawal are
 * handled in their order (one partition per source stream).
 */

type Mapping<C> = (event: StoredEvent, metadata: CommandMetadata) => C | null;

/** The budget a line id names; a message naming no budget line is malformed (dead letter). */
function budgetOf(lineId: string): string {
  const budgetId = budgetIdOfLine(lineId);
  if (budgetId === null) throw new Error(`budgetLineId ${JSON.stringify(lineId)} names no budget line (budget-<year>.line-<n>)`);
  return budgetId;
}

/** The event's own actor: the step that follows is done on behalf of whoever did the first. */
function onBehalfOf(event: StoredEvent, metadata: CommandMetadata): CommandMetadata {
  const actor = event.metadata.actor;
  return actor ? { ...metadata, actor: { subject: actor.subject, username: actor.username } } : metadata;
}

const dataOf = <E extends BudgetEvent | CommitmentEvent>(event: StoredEvent) => event.data as E['data'];

// ---------- from the producers of funding requests ----------

export const fromProducers: Readonly<Record<string, Mapping<CommitmentCommand | BudgetCommand>>> = {
  FundingRequested: (event, metadata) => {
    const m = toFundingMessage(event);
    if (m === null || m.kind !== 'REQUESTED') return null;
    return {
      type: 'RequestCommitment',
      data: {
        commitmentId: commitmentStreamIdForRequest(budgetOf(m.budgetLineId), m.requestId),
        budgetId: budgetOf(m.budgetLineId),
        budgetLineId: m.budgetLineId,
        amount: { amount: BigInt(m.amount.amount), currency: m.amount.currency },
        purpose: m.purpose,
        sourceType: m.sourceType,
        sourceId: m.sourceId,
        regions: m.regions,
        requestId: m.requestId,
        quotes: [],
      },
      metadata,
    };
  },
  FundingWithdrawn: (event, metadata) => {
    const m = toFundingMessage(event);
    if (m === null || m.kind !== 'WITHDRAWN') return null;
    return {
      type: 'ReleaseFunds',
      data: { budgetId: budgetOf(m.budgetLineId), commitmentId: commitmentStreamIdForRequest(budgetOf(m.budgetLineId), m.requestId) },
      metadata,
    };
  },
};

// ---------- finance's own events: the follower steps ----------

export const followers: Readonly<Record<string, Mapping<CommitmentCommand | BudgetCommand>>> = {
  FundsCommitted: (event, metadata) => {
    const d = dataOf<Extract<BudgetEvent, { type: 'FundsCommitted' }>>(event);
    return { type: 'CompleteApproval', data: { commitmentId: d.commitmentId }, metadata: onBehalfOf(event, metadata) };
  },
  FundsSpent: (event, metadata) => {
    const d = dataOf<Extract<BudgetEvent, { type: 'FundsSpent' }>>(event);
    return {
      type: 'RecordExpense',
      data: {
        commitmentId: d.commitmentId,
        expenseId: d.expenseId,
        amount: { amount: BigInt(d.amount.amount), currency: d.amount.currency },
        supplier: d.supplier,
        invoiceRef: d.invoiceRef,
        date: d.date,
      },
      metadata: onBehalfOf(event, metadata),
    };
  },
  FundsReleased: (event, metadata) => releaseCommitment(dataOf<Extract<BudgetEvent, { type: 'FundsReleased' }>>(event), metadata),
  CommitmentVoided: (event, metadata) => releaseCommitment(dataOf<Extract<BudgetEvent, { type: 'CommitmentVoided' }>>(event), metadata),
  CommitmentRejected: (event, metadata) => {
    const d = dataOf<Extract<CommitmentEvent, { type: 'CommitmentRejected' }>>(event);
    const budgetId = budgetIdOfCommitmentEvent(event);
    return { type: 'ReleaseFunds', data: { budgetId, commitmentId: d.commitmentId }, metadata };
  },
};

/** The budget a commitment id names; an id that names none is malformed (dead letter). */
function budgetIdOfCommitmentEvent(event: StoredEvent): string {
  const commitmentId = (event.data as { commitmentId?: unknown }).commitmentId;
  const budgetId = typeof commitmentId === 'string' ? budgetIdOfCommitment(commitmentId) : null;
  if (budgetId === null) throw new Error(`commitment id ${JSON.stringify(commitmentId)} names no budget (commitment-<year>-<id>)`);
  return budgetId;
}

/** A commitment the budget released or voided: marked RELEASED (a no-op when rejected or released already). */
function releaseCommitment(d: { readonly commitmentId: string }, metadata: CommandMetadata): CommitmentCommand {
  return { type: 'ReleaseCommitment', data: { commitmentId: d.commitmentId, reason: 'funds released on the budget' }, metadata };
}
