import { Injectable } from '@nestjs/common';
import type { Principal } from '@hrp/auth';
import { CommandService, commandMetadata } from '@hrp/context-kit';
import { ConcurrencyError, NotFoundError, fold, type Decider } from '@hrp/domain-kit';
import { EventStore } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import type { Budget, BudgetState } from '../budget/budget.events';
import { DEFAULT_APPROVAL_THRESHOLD, DEFAULT_PROCUREMENT_THRESHOLD, exists as budgetExists, findLine } from '../budget/budget.events';
import type { ApproveCommitment, RecordExpense, RejectCommitment } from '../commitment/commitment.decider';
import { commitmentDecider } from '../commitment/commitment.decider';
import { authorize as authorizeCommitment } from '../commitment/commitment.authorize';
import type { Commitment, CommitmentState } from '../commitment/commitment.events';
import { exists as commitmentExists } from '../commitment/commitment.events';
import { budgetAggregate, commitmentAggregate } from '../finance.context';

/*
 * The API's side of the funding process (funding.process.ts has the reactions' side): decisions
 * that move money are taken on the budget first — the one stream that sees every commitment of
 * the line, so that two approvals racing for the last funds of a line are decided one after the
 * other and the loser is refused — then recorded on the commitment. Before anything is written,
 * the caller's right and the commitment's own rules are checked on the state read, so a refusal
 * writes nothing. Should the second step not happen (a crash, a rejection that won the race), the
 * process's reactions complete or undo it from the first step's event.
 */

type Input<C extends { type: string; data: unknown }> = { readonly type: C['type']; readonly data: C['data'] };

@Injectable()
export class FundingDesk {
  constructor(
    private readonly commands: CommandService,
    private readonly store: EventStore,
  ) {}

  /** The latest state of a stream, folded from the store (the command path's truth, not a read model). */
  private async load<S>(decider: Decider<never, never, S>, streamId: string): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    return { state: fold(decider, events as never[]), version: events.at(-1)?.streamVersion ?? 0 };
  }

  /** The commitment and its budget, checked: exists, at the version the caller saw. */
  private async commitmentAndBudget(
    commitmentId: string,
    expectedVersion?: number | null,
  ): Promise<{ commitment: Commitment; budget: Budget | null }> {
    if (expectedVersion != null && (!Number.isInteger(expectedVersion) || expectedVersion < 0))
      throw graphQLError('BAD_USER_INPUT', 'expectedVersion must be a non-negative integer', { field: 'expectedVersion' });
    const c = await this.load<CommitmentState>(commitmentDecider as never, commitmentId);
    if (!commitmentExists(c.state)) throw new NotFoundError('Commitment', commitmentId);
    if (expectedVersion != null && expectedVersion !== c.version) throw new ConcurrencyError(commitmentId, expectedVersion, c.version);
    const b = await this.load<BudgetState>(budgetAggregate.decider as never, c.state.budgetId);
    return { commitment: c.state, budget: budgetExists(b.state) ? b.state : null };
  }

  /** The budget a step needs: NOT_FOUND when the commitment's line names a year never drafted. */
  private static required(budget: Budget | null, commitment: Commitment): Budget {
    if (budget === null) throw new NotFoundError('Budget', commitment.budgetId);
    return budget;
  }

  /** The user policy and the commitment's rules on the state read: a refusal here writes nothing. */
  private precheck<C extends ApproveCommitment | RejectCommitment | RecordExpense>(
    principal: Principal,
    input: Input<C>,
    commitment: Commitment,
    ids: readonly string[] = [],
  ): boolean {
    const verdict = authorizeCommitment(principal, input as C, commitment);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    return commitmentDecider.decide({ ...input, metadata: commandMetadata(principal, ids) } as C, commitment).length > 0;
  }

  /** Budget first (CommitFunds: the line's allocation), then the commitment (CommitmentApproved). */
  async approve(principal: Principal, commitmentId: string, expectedVersion?: number | null) {
    const found = await this.commitmentAndBudget(commitmentId, expectedVersion);
    const { commitment } = found;
    const budget = FundingDesk.required(found.budget, commitment);
    const input: Input<ApproveCommitment> = { type: 'ApproveCommitment', data: { commitmentId, thresholds: budget.thresholds } };
    if (this.precheck(principal, input, commitment)) {
      await this.commands.run(budgetAggregate, {
        type: 'CommitFunds',
        data: { budgetId: budget.id, lineId: commitment.budgetLineId, commitmentId, amount: commitment.amount },
        metadata: commandMetadata(principal),
      });
    }
    return this.commands.execute(commitmentAggregate, principal, input);
  }

  /** The commitment decides (REQUESTED → REJECTED); the budget follows (voids it, or gives back what a racing approval committed). */
  async reject(principal: Principal, commitmentId: string, reason: string, expectedVersion?: number | null) {
    const { commitment, budget } = await this.commitmentAndBudget(commitmentId, expectedVersion);
    // A request on a line of a year never drafted is still rejected, under the default thresholds.
    const currency = commitment.amount.currency;
    const thresholds = budget?.thresholds ?? {
      approval: { amount: DEFAULT_APPROVAL_THRESHOLD.toString(), currency },
      procurement: { amount: DEFAULT_PROCUREMENT_THRESHOLD.toString(), currency },
    };
    const input: Input<RejectCommitment> = { type: 'RejectCommitment', data: { commitmentId, reason, thresholds } };
    this.precheck(principal, input, commitment);
    const r = await this.commands.execute(commitmentAggregate, principal, input, { expectedVersion });
    await this.commands.run(budgetAggregate, {
      type: 'ReleaseFunds',
      data: { budgetId: commitment.budgetId, commitmentId },
      metadata: commandMetadata(principal),
    });
    return r;
  }

  /** The budget decides (closed, over the commitment, an invoice twice in the year), then the commitment records it. */
  async recordExpense(
    principal: Principal,
    commitmentId: string,
    expense: Omit<RecordExpense['data'], 'commitmentId' | 'expenseId'>,
    expenseId: string,
    expectedVersion?: number | null,
  ) {
    const found = await this.commitmentAndBudget(commitmentId, expectedVersion);
    const { commitment } = found;
    const budget = FundingDesk.required(found.budget, commitment);
    const input: Input<RecordExpense> = { type: 'RecordExpense', data: { commitmentId, ...expense } };
    if (this.precheck(principal, input, commitment, [expenseId])) {
      const amount = { amount: expense.amount.amount.toString(), currency: expense.amount.currency ?? commitment.amount.currency };
      await this.commands.run(budgetAggregate, {
        type: 'SpendFunds',
        data: {
          budgetId: budget.id,
          commitmentId,
          expenseId,
          amount,
          supplier: expense.supplier,
          invoiceRef: expense.invoiceRef,
          date: expense.date,
        },
        metadata: commandMetadata(principal),
      });
    }
    return this.commands.execute(commitmentAggregate, principal, { ...input, data: { ...input.data, expenseId } }, { ids: [expenseId] });
  }

  /** A request entered in finance: on a line of an existing budget, in the budget's currency. */
  async checkLine(budgetId: string, lineId: string, currency: string | null | undefined): Promise<void> {
    const b = await this.load<BudgetState>(budgetAggregate.decider as never, budgetId);
    if (!budgetExists(b.state) || findLine(b.state, lineId) === undefined) throw new NotFoundError('BudgetLine', lineId);
    if (currency != null && currency !== b.state.currency)
      throw graphQLError('BAD_USER_INPUT', `the budget is in ${b.state.currency}, not ${currency}`, { field: 'input.amount.currency' });
  }
}
