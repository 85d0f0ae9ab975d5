import type { StoredEvent } from '@hrp/contracts';
import type { CommandMetadata, DomainEvent } from '@hrp/domain-kit';
import { applyUpdate, type ProjectionHandler } from '@hrp/messaging';
import type { BudgetCommand } from './budget/budget.decider';
import { budgetDecider } from './budget/budget.decider';
import type { Budget } from './budget/budget.events';
import { budgetLineId } from './budget/budget.events';
import { budgetViewHandlers, type BudgetViewDoc } from './budget/projections/budget-view.projection';
import type { CommitmentCommand } from './commitment/commitment.decider';
import { commitmentDecider } from './commitment/commitment.decider';
import type { Commitment } from './commitment/commitment.events';
import { COMMITMENT_EVENT_TYPES } from './commitment/commitment.events';
import { commitmentViewHandlers, type CommitmentViewDoc } from './commitment/projections/commitment-view.projection';
import { budgetFromState, budgetFromView, commitmentFromState, commitmentFromView } from './finance.graph';

/*
 * A query answers from the read model, or — before the read model has the entity — from the state
 * folded from the stream. Both must give the same GraphQL object for the same history.
 */

const meta = (ids: string[] = []): CommandMetadata => ({
  now: '2026-02-10T09:00:00.000Z',
  actor: { subject: 'kc-director', username: 'director' },
  correlationId: 'corr-1',
  ids,
});

function run<C, E extends DomainEvent, S>(decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S }, commands: C[]) {
  let state = decider.initialState();
  const events: E[] = [];
  for (const c of commands)
    for (const e of decider.decide(c, state)) {
      events.push(e);
      state = decider.evolve(state, e);
    }
  return { events, state };
}

function project<D>(streamId: string, handlers: Record<string, ProjectionHandler>, events: readonly DomainEvent[]): D {
  let doc: Record<string, unknown> = { _id: streamId };
  events.forEach((e, i) => {
    const stored: StoredEvent = {
      streamId,
      streamVersion: i + 1,
      position: 500 + i,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: { eventId: `e-${i}`, time: '2026-02-10T09:00:00.000Z', actor: { subject: 's', username: 'u' }, correlationId: 'c' },
    };
    doc = applyUpdate(doc, handlers[e.type](stored), { set: { _version: i + 1, _position: 500 + i } });
  });
  return doc as D;
}

const BUDGET_ID = 'budget-2026';
const L1 = budgetLineId(BUDGET_ID, 1);
const C1 = 'commitment-2026-req-campaign-1.funding-request';
const mad = (amount: string) => ({ amount, currency: 'MAD' });

describe('read model and stream give the same objects', () => {
  it('Budget, its lines and programme areas', () => {
    const commands: BudgetCommand[] = [
      {
        type: 'DraftBudget',
        data: {
          budgetId: BUDGET_ID,
          fiscalYear: 2026,
          lines: [
            { programmeArea: 'AWARENESS', allocated: { amount: 1_000_000_000_000n } },
            { programmeArea: 'TRAINING', label: 'Magistrats', allocated: { amount: 300n } },
            { programmeArea: 'AWARENESS', label: 'Régions', allocated: { amount: 0n } },
          ],
        },
        metadata: meta([L1, budgetLineId(BUDGET_ID, 2), budgetLineId(BUDGET_ID, 3)]),
      },
      { type: 'ApproveBudget', data: { budgetId: BUDGET_ID }, metadata: meta() },
      { type: 'CommitFunds', data: { budgetId: BUDGET_ID, lineId: L1, commitmentId: C1, amount: mad('999999999999') }, metadata: meta() },
      {
        type: 'SpendFunds',
        data: {
          budgetId: BUDGET_ID,
          commitmentId: C1,
          expenseId: 'x.1',
          amount: mad('1'),
          supplier: 'S',
          invoiceRef: 'F',
          date: '2026-02-01',
        },
        metadata: meta(),
      },
      {
        type: 'ReallocateFunds',
        data: {
          budgetId: BUDGET_ID,
          fromLineId: budgetLineId(BUDGET_ID, 2),
          toLineId: budgetLineId(BUDGET_ID, 3),
          amount: { amount: 100n },
          reason: 'R',
        },
        metadata: meta(['realloc.1']),
      },
    ];
    const { events, state } = run(budgetDecider, commands);
    const doc = project<BudgetViewDoc>(BUDGET_ID, budgetViewHandlers, events);
    const fromView = budgetFromView(doc);
    expect(fromView).toEqual(budgetFromState(state as Budget, events.length));
    expect(fromView).toMatchObject({ total: mad('1000000000300'), committed: mad('999999999999'), spent: mad('1'), available: mad('301') });
    // a regional officer's view: the visible lines, and totals over them alone
    const scoped = budgetFromView(doc, (id) => id === budgetLineId(BUDGET_ID, 2));
    expect(scoped).toMatchObject({
      total: mad('200'),
      lines: [{ id: budgetLineId(BUDGET_ID, 2) }],
      programmeAreas: [{ programmeArea: 'TRAINING' }],
    });
    expect(scoped).toEqual(budgetFromState(state as Budget, events.length, (id) => id === budgetLineId(BUDGET_ID, 2)));
  });

  it('Commitment, with quotes, decision and expenses (ids with dots)', () => {
    const commands: CommitmentCommand[] = [
      {
        type: 'RequestCommitment',
        data: {
          commitmentId: C1,
          budgetId: BUDGET_ID,
          budgetLineId: L1,
          amount: { amount: 30_000_000n },
          purpose: { fr: 'Caravane' },
          sourceType: 'CAMPAIGN',
          sourceId: 'campaign-1',
          regions: ['MA-06'],
          requestId: 'campaign-1.funding-request',
          quotes: ['DEV-1'],
        },
        metadata: meta(),
      },
      { type: 'CiteQuotes', data: { commitmentId: C1, quotes: ['DEV-2', 'DEV-3'] }, metadata: meta() },
      { type: 'CompleteApproval', data: { commitmentId: C1 }, metadata: meta() },
      {
        type: 'RecordExpense',
        data: {
          commitmentId: C1,
          expenseId: 'expense.1',
          amount: { amount: 10_000_000n },
          supplier: 'Atlas',
          invoiceRef: 'F-1',
          date: '2026-02-01',
        },
        metadata: meta(),
      },
      {
        type: 'RecordExpense',
        data: {
          commitmentId: C1,
          expenseId: 'expense.2',
          amount: { amount: 5n },
          supplier: 'Atlas',
          invoiceRef: 'F-2',
          date: '2026-02-02',
        },
        metadata: meta(),
      },
    ];
    const { events, state } = run(commitmentDecider, commands);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(COMMITMENT_EVENT_TYPES.filter((t) => !['CommitmentRejected', 'CommitmentReleased'].includes(t))),
    );
    const fromView = commitmentFromView(project<CommitmentViewDoc>(C1, commitmentViewHandlers, events));
    expect(fromView).toEqual(commitmentFromState(state as Commitment, events.length));
    expect(fromView).toMatchObject({
      status: 'APPROVED',
      quotes: ['DEV-1', 'DEV-2', 'DEV-3'],
      spent: mad('10000005'),
      remaining: mad('19999995'),
      expenses: [{ id: 'expense.1' }, { id: 'expense.2' }],
    });
  });

  it('a rejected, then a released commitment', () => {
    const base: CommitmentCommand = {
      type: 'RequestCommitment',
      data: {
        commitmentId: C1,
        budgetId: BUDGET_ID,
        budgetLineId: L1,
        amount: { amount: 5n },
        purpose: { fr: 'P' },
        sourceType: 'AGREEMENT',
        sourceId: 'agreement-1',
      },
      metadata: meta(),
    };
    for (const last of [
      {
        type: 'RejectCommitment',
        data: { commitmentId: C1, reason: 'Non', thresholds: { approval: mad('1'), procurement: mad('1') } },
        metadata: meta(),
      },
      { type: 'ReleaseCommitment', data: { commitmentId: C1, reason: 'Annulée' }, metadata: meta() },
    ] as CommitmentCommand[]) {
      const { events, state } = run(commitmentDecider, [base, last]);
      const fromView = commitmentFromView(project<CommitmentViewDoc>(C1, commitmentViewHandlers, events));
      expect(fromView).toEqual(commitmentFromState(state as Commitment, events.length));
      expect(fromView.remaining).toEqual(mad('0'));
    }
  });
});
