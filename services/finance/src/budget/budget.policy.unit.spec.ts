import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { FinancePrincipal } from '../commitment/commitment.policy';
import type { BudgetCommand, UserBudgetCommand } from './budget.decider';
import { budgetDecider } from './budget.decider';
import { BUDGET_COMMAND_ROLES, authorize } from './budget.policy';

// ---------- fixtures ----------

const BUDGET_ID = 'budget-2025';
const metadata: CommandMetadata = {
  now: '2025-01-10T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, FinancePrincipal & { readonly region?: string }> = DEV_PRINCIPALS;

const COMMANDS: Record<UserBudgetCommand['type'], UserBudgetCommand> = {
  DraftBudget: {
    type: 'DraftBudget',
    data: { budgetId: BUDGET_ID, fiscalYear: 2025, lines: [{ programmeArea: 'AWARENESS', allocated: { amount: 100n } }] },
    metadata: { ...metadata, ids: ['line-1'] },
  },
  SetBudgetThresholds: {
    type: 'SetBudgetThresholds',
    data: { budgetId: BUDGET_ID, thresholds: { approval: { amount: 1n }, procurement: { amount: 2n } } },
    metadata,
  },
  ApproveBudget: { type: 'ApproveBudget', data: { budgetId: BUDGET_ID }, metadata },
  ReallocateFunds: {
    type: 'ReallocateFunds',
    data: { budgetId: BUDGET_ID, fromLineId: 'line-1', toLineId: 'line-2', amount: { amount: 1n }, reason: 'Priorité' },
    metadata: { ...metadata, ids: ['realloc-1'] },
  },
  CloseBudget: { type: 'CloseBudget', data: { budgetId: BUDGET_ID }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as UserBudgetCommand['type'][];

/**
 * Who may do what (Y), one column per command in the order of COMMANDS:
 * Draft SetThresholds Approve Reallocate Close.
 */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '-----',
  director: 'YYYYY',
  'campaign-manager': '-----',
  'training-coordinator': '-----',
  'partnership-officer': '-----',
  'advocacy-officer': '-----',
  'finance-officer': 'Y----',
  'me-officer': '-----',
  'regional-officer': '-----',
  'regional-officer-ma06': '-----',
  auditor: '-----',
  viewer: '-----',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

describe('Budget policy', () => {
  describe('for every development user and every user command', () => {
    it('has a row for every development user and a column for every user command', () => {
      expect(Object.keys(MATRIX)).toHaveLength(12);
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
      expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(BUDGET_COMMAND_ROLES).sort());
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as UserBudgetCommand['type']], budgetDecider.initialState());
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.stringMatching(new RegExp(`^${command} needs the `)));
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['viewer', 'director'] }, COMMANDS.CloseBudget).ok).toBe(true);
      expect(authorize({ roles: ['auditor', 'finance-officer'] }, COMMANDS.DraftBudget).ok).toBe(true);
      expect(authorize({ roles: ['auditor', 'finance-officer'] }, COMMANDS.ApproveBudget).ok).toBe(false);
    });

    it('refuses a user without any role', () => {
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command).ok).toBe(false);
    });
  });

  describe('for the system commands', () => {
    const system: BudgetCommand[] = [
      {
        type: 'CommitFunds',
        data: { budgetId: BUDGET_ID, lineId: 'line-1', commitmentId: 'commitment-1', amount: { amount: '1', currency: 'MAD' } },
        metadata,
      },
      { type: 'ReleaseFunds', data: { budgetId: BUDGET_ID, commitmentId: 'commitment-1' }, metadata },
      {
        type: 'SpendFunds',
        data: {
          budgetId: BUDGET_ID,
          commitmentId: 'commitment-1',
          expenseId: 'expense-1',
          amount: { amount: '1', currency: 'MAD' },
          supplier: 'Atlas Print',
          invoiceRef: 'F-1',
          date: '2025-01-09',
        },
        metadata,
      },
    ];

    it.each(Object.keys(USERS))('refuses them to %s: only finance’s commitment process runs them, without the policy', (user) => {
      for (const command of system) {
        expect(authorize(USERS[user], command as unknown as UserBudgetCommand)).toEqual({
          ok: false,
          reason: expect.stringMatching(/system command/),
        });
      }
    });
  });
});
