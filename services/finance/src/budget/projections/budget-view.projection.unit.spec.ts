import type { StoredEvent } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { applyUpdate } from '@hrp/messaging';
import type { BudgetCommand } from '../budget.decider';
import { budgetDecider } from '../budget.decider';
import type { Budget, BudgetEvent } from '../budget.events';
import { budgetLineId, evolve, initialState } from '../budget.events';
import { BUDGET_EVENT_TYPES } from '../budget.events';
import type { BudgetViewDoc } from './budget-view.projection';
import { budgetFigures, budgetViewHandlers, executionRate, fieldKey } from './budget-view.projection';

// ---------- fixtures ----------

const BUDGET_ID = 'budget-2026';
const L1 = budgetLineId(BUDGET_ID, 1);
const L2 = budgetLineId(BUDGET_ID, 2);
const L3 = budgetLineId(BUDGET_ID, 3);
const TERA = 1_000_000_000_000n;
const meta = (ids: string[] = []): CommandMetadata => ({
  now: '2026-01-10T09:00:00.000Z',
  actor: { subject: 'kc-director', username: 'director' },
  correlationId: 'corr-1',
  ids,
});
const mad = (amount: bigint) => ({ amount: String(amount), currency: 'MAD' });

/** Runs commands through the decider: the events it writes and the state they fold into. */
function run(commands: BudgetCommand[]): { events: BudgetEvent[]; state: Budget } {
  let state = initialState();
  const events: BudgetEvent[] = [];
  for (const c of commands) {
    for (const e of budgetDecider.decide(c, state)) {
      events.push(e);
      state = evolve(state, e);
    }
  }
  return { events, state: state as Budget };
}

/** The view's document after the events, each applied as the store would (twice when `again`). */
function project(events: readonly BudgetEvent[], again = false): BudgetViewDoc {
  let doc: Record<string, unknown> = { _id: BUDGET_ID, _version: 0, _position: 0 };
  events.forEach((e, i) => {
    const stored: StoredEvent = {
      streamId: BUDGET_ID,
      streamVersion: i + 1,
      position: 100 + i,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: {
        eventId: `e-${i}`,
        time: `2026-01-10T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
        actor: { subject: 's', username: 'u' },
        correlationId: 'c',
      },
    };
    const update = budgetViewHandlers[e.type](stored);
    doc = applyUpdate(doc, update);
    if (again) doc = applyUpdate(doc, update);
  });
  return doc as unknown as BudgetViewDoc;
}

const draft = (lines: [string, bigint][]): BudgetCommand => ({
  type: 'DraftBudget',
  data: {
    budgetId: BUDGET_ID,
    fiscalYear: 2026,
    lines: lines.map(([programmeArea, amount]) => ({
      programmeArea: programmeArea as never,
      label: `${programmeArea}-${String(amount)}`,
      allocated: { amount },
    })),
  },
  metadata: meta(lines.map((_, i) => budgetLineId(BUDGET_ID, i + 1))),
});
const approve: BudgetCommand = { type: 'ApproveBudget', data: { budgetId: BUDGET_ID }, metadata: meta() };
const commit = (commitmentId: string, lineId: string, amount: bigint): BudgetCommand => ({
  type: 'CommitFunds',
  data: { budgetId: BUDGET_ID, lineId, commitmentId, amount: mad(amount) },
  metadata: meta(),
});
const spend = (commitmentId: string, expenseId: string, amount: bigint, invoiceRef: string): BudgetCommand => ({
  type: 'SpendFunds',
  data: { budgetId: BUDGET_ID, commitmentId, expenseId, amount: mad(amount), supplier: 'Atlas Print', invoiceRef, date: '2026-02-01' },
  metadata: meta(),
});
const release = (commitmentId: string): BudgetCommand => ({
  type: 'ReleaseFunds',
  data: { budgetId: BUDGET_ID, commitmentId },
  metadata: meta(),
});
const reallocate = (id: string, from: string, to: string, amount: bigint): BudgetCommand => ({
  type: 'ReallocateFunds',
  data: { budgetId: BUDGET_ID, fromLineId: from, toLineId: to, amount: { amount }, reason: 'Priorité' },
  metadata: meta([id]),
});

/** The state's figures per line, as the view must give them. */
const stateFigures = (b: Budget) =>
  b.lines.map((l) => ({ id: l.id, allocated: BigInt(l.allocated), committed: BigInt(l.committed), spent: BigInt(l.spent) }));

describe('budget view', () => {
  it('has a handler for every event type of the budget', () => {
    expect(Object.keys(budgetViewHandlers).sort()).toEqual([...BUDGET_EVENT_TYPES].sort());
  });

  it('escapes the ids it uses as field names, reversibly distinct', () => {
    expect(fieldKey('commitment-2026-req-campaign-1.funding-request')).toBe('commitment-2026-req-campaign-1%2Efunding-request');
    expect(fieldKey('a$b%c')).toBe('a%24b%25c');
    expect(fieldKey('a.b')).not.toBe(fieldKey('a%2Eb'));
  });

  const history = () =>
    run([
      draft([
        ['AWARENESS', TERA],
        ['AWARENESS', TERA + 1n],
        ['OPERATIONS', 5n],
      ]),
      approve,
      commit('commitment-2026-a.1', L1, TERA - 1n),
      commit('commitment-2026-b', L2, 7n),
      spend('commitment-2026-a.1', 'expense-1', 333_333_333_333n, 'F-1'),
      spend('commitment-2026-a.1', 'expense-2', 333_333_333_333n, 'F-2'),
      spend('commitment-2026-a.1', 'expense-3', 333_333_333_333n, 'F-3'),
      release('commitment-2026-b'),
      release('commitment-2026-never-approved'),
      reallocate('realloc-1', L2, L3, 2n),
    ]);

  it('gives, per line, exactly the figures of the budget state, at 10^12 centimes', () => {
    const { events, state } = history();
    const figures = budgetFigures(project(events));
    expect(figures.lines.map(({ id, allocated, committed, spent }) => ({ id, allocated, committed, spent }))).toEqual(stateFigures(state));
    expect(figures.lines[0]).toMatchObject({ allocated: TERA, committed: TERA - 1n, spent: 999_999_999_999n });
    expect(figures.lines[1]).toMatchObject({ allocated: TERA - 1n, committed: 0n, spent: 0n });
    expect(figures.lines[2]).toMatchObject({ allocated: 7n, committed: 0n, spent: 0n });
  });

  it('sums programme areas and the whole budget exactly; a reallocation keeps the total', () => {
    const figures = budgetFigures(project(history().events));
    expect(figures.areas).toEqual([
      { programmeArea: 'AWARENESS', allocated: 2n * TERA - 1n, committed: TERA - 1n, spent: 999_999_999_999n },
      { programmeArea: 'OPERATIONS', allocated: 7n, committed: 0n, spent: 0n },
    ]);
    expect(figures.total).toEqual({ allocated: 2n * TERA + 6n, committed: TERA - 1n, spent: 999_999_999_999n });
  });

  it('is the same when every event is applied twice (redelivery)', () => {
    const { events } = history();
    expect(budgetFigures(project(events, true))).toEqual(budgetFigures(project(events)));
  });

  it('computes the execution rate as spent over allocated, 0 when nothing is allocated', () => {
    expect(executionRate({ allocated: 200n, committed: 0n, spent: 3n })).toBe(0.015);
    expect(executionRate({ allocated: 0n, committed: 0n, spent: 0n })).toBe(0);
    expect(executionRate({ allocated: 3n * TERA, committed: 0n, spent: TERA })).toBeCloseTo(1 / 3, 9);
  });

  it('keeps status and thresholds as the events say', () => {
    const { events } = run([
      draft([['TRAINING', 10n]]),
      {
        type: 'SetBudgetThresholds',
        data: { budgetId: BUDGET_ID, thresholds: { approval: { amount: 1n }, procurement: { amount: 2n } } },
        metadata: meta(),
      },
      approve,
      { type: 'CloseBudget', data: { budgetId: BUDGET_ID }, metadata: meta() },
    ]);
    const doc = project(events);
    expect(doc).toMatchObject({
      status: 'CLOSED',
      thresholds: { approval: mad(1n), procurement: mad(2n) },
      currency: 'MAD',
      fiscalYear: 2026,
    });
  });
});
