import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { Thresholds } from '../budget/budget.events';
import { authorize } from './commitment.authorize';
import type { CommitmentCommand } from './commitment.decider';
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
        quotes: [],
        requestedAt: metadata.now,
      },
    } satisfies CommitmentEvent,
  ].reduce(evolve, initialState());

const on = { commitmentId: COMMITMENT_ID };
const COMMANDS: Record<CommitmentCommand['type'], CommitmentCommand> = {
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
  RejectCommitment: { type: 'RejectCommitment', data: { ...on, reason: 'Ligne épuisée' }, metadata },
  RecordExpense: {
    type: 'RecordExpense',
    data: { ...on, amount: { amount: 1n }, supplier: 'Atlas Print', invoiceRef: 'F-1', date: '2025-03-04' },
    metadata: { ...metadata, ids: ['expense-1'] },
  },
  ReleaseCommitment: { type: 'ReleaseCommitment', data: { ...on, reason: 'Campagne annulée' }, metadata },
};

/** The columns: every command, and the decisions on each side of the approval threshold. */
const COLUMNS: Array<[string, CommitmentCommand, CommitmentState | undefined]> = [
  ['RequestCommitment', COMMANDS.RequestCommitment, undefined],
  ['CiteQuotes', COMMANDS.CiteQuotes, requestedFor(APPROVAL)],
  ['ApproveCommitment at the threshold', COMMANDS.ApproveCommitment, requestedFor(APPROVAL)],
  ['ApproveCommitment above it', COMMANDS.ApproveCommitment, requestedFor(APPROVAL + 1n)],
  ['RejectCommitment at the threshold', COMMANDS.RejectCommitment, requestedFor(APPROVAL)],
  ['RejectCommitment above it', COMMANDS.RejectCommitment, requestedFor(APPROVAL + 1n)],
  ['RecordExpense', COMMANDS.RecordExpense, requestedFor(APPROVAL)],
  ['ReleaseCommitment', COMMANDS.ReleaseCommitment, requestedFor(APPROVAL)],
];

/**
 * Who may do what (Y), one column per entry of COLUMNS: Request CiteQuotes Approve≤ Approve>
 * Reject≤ Reject> RecordExpense Release. The officer's `-` on Reject≤ is the fail-closed rule of
 * commitment.authorize.ts until RejectCommitment carries the budget's thresholds.
 */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '--------',
  director: 'YYYYYYYY',
  'campaign-manager': '--------',
  'training-coordinator': '--------',
  'partnership-officer': '--------',
  'advocacy-officer': '--------',
  'finance-officer': 'YYY---YY',
  'me-officer': '--------',
  'regional-officer': '--------',
  'regional-officer-ma06': '--------',
  auditor: '--------',
  viewer: '--------',
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

  describe('when approving', () => {
    it('follows the thresholds the command carries (the budget’s), not the defaults', () => {
      const raised: Thresholds = { approval: mad(TERA), procurement: mad(TERA) };
      const approve = (thresholds: Thresholds): CommitmentCommand => ({ type: 'ApproveCommitment', data: { ...on, thresholds }, metadata });
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
    it.each(['ApproveCommitment', 'RejectCommitment', 'CiteQuotes', 'RecordExpense', 'ReleaseCommitment'] as const)(
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
