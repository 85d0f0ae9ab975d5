import { join } from 'node:path';
import { EventSchemaViolationError } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { BudgetCommand } from './budget.decider';
import { budgetDecider } from './budget.decider';
import type { BudgetEvent, BudgetState } from './budget.events';
import { BUDGET_EVENT_TYPES } from './budget.events';
import { budgetEventDefinitions, budgetEventRegistry } from './budget.registry';

const SNAPSHOT_FILE = join(__dirname, 'budget.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/finance/src/budget/budget.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const ID = 'budget-2025';
const TERA = 1_000_000_000_000n;
const meta = (ids?: string[]): CommandMetadata => ({
  now: '2025-01-10T09:00:00.000Z',
  actor: { subject: 'kc-director', username: 'director' },
  correlationId: 'c-1',
  ...(ids ? { ids } : {}),
});
const mad = (amount: bigint) => ({ amount: String(amount), currency: 'MAD' });

/** Runs the commands in order, returning every event written. */
function run(commands: BudgetCommand[]): BudgetEvent[] {
  let state: BudgetState = budgetDecider.initialState();
  const written: BudgetEvent[] = [];
  for (const command of commands) {
    const events = budgetDecider.decide(command, state);
    state = events.reduce(budgetDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const wholeLife = (): BudgetEvent[] =>
  run([
    {
      type: 'DraftBudget',
      data: {
        budgetId: ID,
        fiscalYear: 2025,
        lines: [
          { programmeArea: 'AWARENESS', allocated: { amount: TERA } },
          { programmeArea: 'TRAINING', label: 'Formation des magistrats', allocated: { amount: 50_000_000n, currency: 'MAD' } },
          { programmeArea: 'OPERATIONS', allocated: { amount: 0n } },
        ],
      },
      metadata: meta(['line-awareness', 'line-training', 'line-operations']),
    },
    {
      type: 'SetBudgetThresholds',
      data: { budgetId: ID, thresholds: { approval: { amount: 10_000_000n }, procurement: { amount: 0n } } },
      metadata: meta(),
    },
    { type: 'ApproveBudget', data: { budgetId: ID }, metadata: meta() },
    {
      type: 'ReallocateFunds',
      data: { budgetId: ID, fromLineId: 'line-awareness', toLineId: 'line-operations', amount: { amount: 1n }, reason: 'Loyer' },
      metadata: meta(['realloc-1']),
    },
    {
      type: 'CommitFunds',
      data: { budgetId: ID, lineId: 'line-awareness', commitmentId: 'commitment-1', amount: mad(TERA - 1n) },
      metadata: meta(),
    },
    {
      type: 'SpendFunds',
      data: {
        budgetId: ID,
        commitmentId: 'commitment-1',
        expenseId: 'expense-1',
        amount: mad(TERA - 1n),
        supplier: 'Atlas Print',
        invoiceRef: 'F-2025-001',
        date: '2025-01-09',
      },
      metadata: meta(),
    },
    {
      type: 'CommitFunds',
      data: { budgetId: ID, lineId: 'line-training', commitmentId: 'commitment-2', amount: mad(3_000_000n) },
      metadata: meta(),
    },
    { type: 'ReleaseFunds', data: { budgetId: ID, commitmentId: 'commitment-2' }, metadata: meta() },
    // withdrawn before its approval: voided
    { type: 'ReleaseFunds', data: { budgetId: ID, commitmentId: 'commitment-3' }, metadata: meta() },
    { type: 'CloseBudget', data: { budgetId: ID }, metadata: meta() },
  ]);

describe('Budget event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the finance context', () => {
      expect(budgetEventRegistry.context).toBe('finance');
      expect(budgetEventRegistry.types()).toEqual([...BUDGET_EVENT_TYPES]);
      expect(budgetEventDefinitions.map((d) => d.type)).toEqual([...BUDGET_EVENT_TYPES]);
      for (const type of BUDGET_EVENT_TYPES) expect(budgetEventRegistry.currentVersion(type)).toBe(1);
    });
  });

  describe('when a whole budget life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(BUDGET_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: budgetEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses it with every problem listed', () => {
      const error = (() => {
        try {
          budgetEventRegistry.validate('FundsCommitted', {
            budgetId: ID,
            lineId: 'line-awareness',
            commitmentId: 'commitment-1',
            amount: { amount: '-5', currency: 'MAD' },
            extra: true,
          });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventSchemaViolationError);
      expect((error as EventSchemaViolationError).issues.length).toBeGreaterThanOrEqual(2);
      expect((error as EventSchemaViolationError).issues).toEqual(
        expect.arrayContaining([expect.stringContaining('$.amount.amount'), expect.stringContaining('extra')]),
      );
    });

    it('refuses a budget id that is not the stream id of a fiscal year', () => {
      expect(budgetEventRegistry.issues('BudgetApproved', { budgetId: 'budget-25' })).toHaveLength(1);
      expect(budgetEventRegistry.issues('BudgetApproved', { budgetId: 'campaign-2025' })).toHaveLength(1);
    });

    it('refuses an expense without its invoice, or with a date that is not a calendar date', () => {
      const spent = wholeLife().find((e) => e.type === 'FundsSpent');
      expect(spent).toBeDefined();
      const { supplier: _supplier, invoiceRef: _invoiceRef, ...withoutInvoice } = spent?.data ?? {};
      expect(budgetEventRegistry.issues('FundsSpent', withoutInvoice)).toHaveLength(2);
      expect(budgetEventRegistry.issues('FundsSpent', { ...spent?.data, date: '09/01/2025' })).toEqual([expect.stringContaining('$.date')]);
    });

    it('refuses a voiding without its commitment', () => {
      expect(budgetEventRegistry.issues('CommitmentVoided', { budgetId: ID })).toHaveLength(1);
    });

    it('refuses an unknown programme area and a line without allocation', () => {
      const drafted = wholeLife().find((e) => e.type === 'BudgetDrafted');
      const broken = { ...drafted?.data, lines: [{ lineId: 'l', programmeArea: 'CULTURE' }] };
      expect(budgetEventRegistry.issues('BudgetDrafted', broken)).toHaveLength(2);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [budgetEventRegistry], UPDATE);
    });
  });
});
