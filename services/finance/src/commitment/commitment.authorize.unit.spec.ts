import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { Thresholds } from '../budget/budget.events';
import { authorize } from './commitment.authorize';
import type { CommitmentCommand, UserCommitmentCommand } from './commitment.decider';
import type { CommitmentEvent, CommitmentState } from './commitment.events';
import { evolve, initialState } from './commitment.events';
import type { FinancePrincipal } from './commitment.policy';

// ---------- fixtures ----------

const COMMITMENT_ID = 'commitment-5d0e';
const metadata: CommandMetadata = {
  now: '2025-03-05T10:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};
const mad = (amount: bigint) => ({ amount: String(amount), currency: 'MAD' });
/** The defaults of docs/domain.md: 50,000.00 and 200,000.00 MAD. */
const APPROVAL = 5_000_000n;
const THRESHOLDS: Thresholds = { approval: mad(APPROVAL), procurement: mad(20_000_000n) };
const TERA = 1_000_000_000_000n;

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, FinancePrincipal & { readonly region?: string }> = DEV_PRINCIPALS;

const requestedFor = (amount: bigint): CommitmentState =>
  [
    {
      type: 'CommitmentRequested',
      data: {
        commitmentId: COMMITMENT_ID,
        budgetId: 'budget-2025',
        budgetLineId: 'line-awareness',
        amount: mad(amount),
        purpose: { fr: 'Caravane' },
        sourceType: 'CAMPAIGN',
        sourceId: 'campaign-1',
        regions: ['MA-06'],
        quotes: [],
        requestedAt: metadata.now,
      },
    } satisfies CommitmentEvent,
  ].reduce(evolve, initialState());

const on = { commitmentId: COMMITMENT_ID };
const COMMANDS: Record<UserCommitmentCommand['type'], UserCommitmentCommand> = {
  RequestCommitment: {
    type: 'RequestCommitment',
    data: {
      ...on,
      budgetId: 'budget-2025',
      budgetLineId: 'line-awareness',
      amount: { amount: 1n },
      purpose: { fr: 'Caravane' },
      sourceType: 'CAMPAIGN',
      sourceId: 'campaign-1',
    },
    metadata,
  },
  CiteQuotes: { type: 'CiteQuotes', data: { ...on, quotes: ['DEV-1'] }, metadata },
  ApproveCommitment: { type: 'ApproveCommitment', data: { ...on, thresholds: THRESHOLDS }, metadata },
  RejectCommitment: { type: 'RejectCommitment', data: { ...on, reason: 'Ligne épuisée', thresholds: THRESHOLDS }, metadata },
  RecordExpense: {
    type: 'RecordExpense',
    data: { ...on, amount: { amount: 1n }, supplier: 'Atlas Print', invoiceRef: 'F-1', date: '2025-03-04' },
    metadata: { ...metadata, ids: ['expense-1'] },
  },
};

/** The process's commands: the type keeps them from `authorize`; the guard refuses them to a caller that goes round it. */
const SYSTEM_COMMANDS: Record<Exclude<CommitmentCommand, UserCommitmentCommand>['type'], CommitmentCommand> = {
  CompleteApproval: { type: 'CompleteApproval', data: on, metadata },
  ReleaseCommitment: { type: 'ReleaseCommitment', data: { ...on, reason: 'Campagne annulée' }, metadata },
};
const asUserCommand = (command: CommitmentCommand) => command as unknown as UserCommitmentCommand;

/** The columns: every command, and the decisions on each side of the approval threshold. */
const COLUMNS: Array<[string, UserCommitmentCommand, CommitmentState | undefined]> = [
  ['RequestCommitment', COMMANDS.RequestCommitment, undefined],
  ['CiteQuotes', COMMANDS.CiteQuotes, requestedFor(APPROVAL)],
  ['ApproveCommitment at the threshold', COMMANDS.ApproveCommitment, requestedFor(APPROVAL)],
  ['ApproveCommitment above it', COMMANDS.ApproveCommitment, requestedFor(APPROVAL + 1n)],
  ['RejectCommitment at the threshold', COMMANDS.RejectCommitment, requestedFor(APPROVAL)],
  ['RejectCommitment above it', COMMANDS.RejectCommitment, requestedFor(APPROVAL + 1n)],
  ['RecordExpense', COMMANDS.RecordExpense, requestedFor(APPROVAL)],
];

/**
 * Who may do what (Y), one column per entry of COLUMNS: Request CiteQuotes Approve≤ Approve>
 * Reject≤ Reject> RecordExpense. Rejecting follows approving: an officer up to the threshold.
 */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '-------',
  director: 'YYYYYYY',
  'campaign-manager': '-------',
  'training-coordinator': '-------',
  'partnership-officer': '-------',
  'advocacy-officer': '-------',
  'finance-officer': 'YYY-Y-Y',
  'me-officer': '-------',
  'regional-officer': '-------',
  'regional-officer-ma06': '-------',
  auditor: '-------',
  viewer: '-------',
};

const table: Array<[string, string, boolean, number]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COLUMNS.map(([column], i) => [user, column, row[i] === 'Y', i] as [string, string, boolean, number]),
);

describe('Commitment authorization', () => {
  describe('for every development user, every command, on each side of the approval threshold', () => {
    it('has a row for every development user and a column for every command', () => {
      expect(Object.keys(MATRIX)).toHaveLength(12);
      expect(Object.values(MATRIX).every((row) => row.length === COLUMNS.length)).toBe(true);
      expect(new Set(COLUMNS.map(([, command]) => command.type))).toEqual(new Set(Object.keys(COMMANDS)));
    });

    it.each(table)('%s running %s: allowed = %s', (user, _column, allowed, i) => {
      const [, command, state] = COLUMNS[i];
      const decision = authorize(USERS[user], command, state);
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.any(String));
    });
  });

  describe('when rejecting', () => {
    it.each([
      ['just below', APPROVAL - 1n, true],
      ['at', APPROVAL, true],
      ['just above', APPROVAL + 1n, false],
    ])('lets a finance officer reject %s the approval threshold: %s', (_where, amount, allowed) => {
      const decision = authorize(USERS['finance-officer'], COMMANDS.RejectCommitment, requestedFor(amount));
      expect(decision).toEqual(allowed ? { ok: true } : { ok: false, reason: expect.stringMatching(/director/) });
    });

    it.each([APPROVAL - 1n, APPROVAL, APPROVAL + 1n, TERA])('lets the director reject at any amount (%p)', (amount) => {
      expect(authorize(USERS.director, COMMANDS.RejectCommitment, requestedFor(amount))).toEqual({ ok: true });
    });

    it('follows the thresholds the command carries (the budget’s), not the defaults', () => {
      const raised: Thresholds = { approval: mad(TERA), procurement: mad(TERA) };
      const reject = (thresholds: Thresholds): UserCommitmentCommand => ({
        type: 'RejectCommitment',
        data: { ...on, reason: 'Ligne épuisée', thresholds },
        metadata,
      });
      const officer = USERS['finance-officer'];
      expect(authorize(officer, reject(raised), requestedFor(TERA)).ok).toBe(true);
      expect(authorize(officer, reject(raised), requestedFor(TERA + 1n)).ok).toBe(false);
      const lowered: Thresholds = { approval: mad(1n), procurement: mad(TERA) };
      expect(authorize(officer, reject(lowered), requestedFor(2n)).ok).toBe(false);
    });
  });

  describe('for the system commands', () => {
    const system = Object.entries(SYSTEM_COMMANDS);

    it.each(Object.keys(USERS))('refuses CompleteApproval and ReleaseCommitment to %s: only finance’s process runs them', (user) => {
      for (const [type, command] of system) {
        expect(authorize(USERS[user], asUserCommand(command), requestedFor(APPROVAL))).toEqual({
          ok: false,
          reason: `${type} is a system command, run by finance's process only`,
        });
      }
    });

    it('refuses them before the commitment exists too', () => {
      for (const [, command] of system) expect(authorize(USERS.director, asUserCommand(command)).ok).toBe(false);
    });
  });

  describe('when approving', () => {
    it('follows the thresholds the command carries (the budget’s), not the defaults', () => {
      const raised: Thresholds = { approval: mad(TERA), procurement: mad(TERA) };
      const approve = (thresholds: Thresholds): UserCommitmentCommand => ({
        type: 'ApproveCommitment',
        data: { ...on, thresholds },
        metadata,
      });
      const officer = USERS['finance-officer'];
      expect(authorize(officer, approve(raised), requestedFor(TERA)).ok).toBe(true);
      expect(authorize(officer, approve(raised), requestedFor(TERA + 1n))).toEqual({
        ok: false,
        reason: expect.stringMatching(/director/),
      });
      expect(authorize(officer, approve(THRESHOLDS), requestedFor(APPROVAL - 1n)).ok).toBe(true);
    });
  });

  describe('when the commitment does not exist', () => {
    it.each(['ApproveCommitment', 'RejectCommitment', 'CiteQuotes', 'RecordExpense'] as const)(
      'lets a finance officer through with %s, for the decider to answer NOT_FOUND',
      (type) => {
        expect(authorize(USERS['finance-officer'], COMMANDS[type], initialState()).ok).toBe(true);
        expect(authorize(USERS['finance-officer'], COMMANDS[type]).ok).toBe(true);
      },
    );

    it('still refuses the roles that never write', () => {
      expect(authorize(USERS.viewer, COMMANDS.ApproveCommitment, initialState()).ok).toBe(false);
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['auditor', 'director'] }, COMMANDS.ApproveCommitment, requestedFor(TERA)).ok).toBe(true);
      expect(authorize({ roles: ['viewer', 'finance-officer'] }, COMMANDS.RecordExpense, requestedFor(1n)).ok).toBe(true);
      expect(authorize({ roles: [] }, COMMANDS.RequestCommitment).ok).toBe(false);
    });
  });
});
