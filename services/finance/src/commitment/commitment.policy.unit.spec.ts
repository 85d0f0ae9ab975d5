import type { Thresholds } from '../budget/budget.events';
import { approvalRequirements, mayDecideCommitment } from './commitment.policy';

const mad = (amount: bigint) => ({ amount: String(amount), currency: 'MAD' });
/** The defaults of docs/domain.md: 50,000.00 and 200,000.00 MAD. */
const APPROVAL = 5_000_000n;
const PROCUREMENT = 20_000_000n;
const THRESHOLDS: Thresholds = { approval: mad(APPROVAL), procurement: mad(PROCUREMENT) };
const TERA = 1_000_000_000_000n;

const officer = { roles: ['finance-officer'] };
const director = { roles: ['director'] };
const others = [['campaign-manager'], ['auditor'], ['viewer'], ['me-officer'], ['regional-officer'], ['admin'], []];

describe('Commitment approval rights', () => {
  describe('at the approval threshold', () => {
    it.each([
      ['just below', APPROVAL - 1n],
      ['at', APPROVAL],
    ])('%s it, a finance officer decides (and the director too)', (_where, amount) => {
      expect(approvalRequirements(amount, THRESHOLDS).approver).toBe('finance-officer');
      expect(mayDecideCommitment(officer, amount, THRESHOLDS)).toEqual({ ok: true });
      expect(mayDecideCommitment(director, amount, THRESHOLDS)).toEqual({ ok: true });
    });

    it('just above it, only the director decides', () => {
      const amount = APPROVAL + 1n;
      expect(approvalRequirements(amount, THRESHOLDS).approver).toBe('director');
      expect(mayDecideCommitment(officer, amount, THRESHOLDS)).toMatchObject({ ok: false, reason: expect.stringMatching(/director/) });
      expect(mayDecideCommitment(director, amount, THRESHOLDS)).toEqual({ ok: true });
    });
  });

  describe('at the procurement threshold', () => {
    it.each([
      ['just below', PROCUREMENT - 1n],
      ['at', PROCUREMENT],
    ])('%s it, no quotes are required', (_where, amount) => {
      expect(approvalRequirements(amount, THRESHOLDS)).toEqual({ approver: 'director', quotesRequired: 0 });
    });

    it('just above it, three quotes are required', () => {
      expect(approvalRequirements(PROCUREMENT + 1n, THRESHOLDS)).toEqual({ approver: 'director', quotesRequired: 3 });
    });
  });

  it('follows the budget’s thresholds, not the defaults', () => {
    const raised: Thresholds = { approval: mad(TERA), procurement: mad(TERA) };
    expect(approvalRequirements(TERA, raised)).toEqual({ approver: 'finance-officer', quotesRequired: 0 });
    expect(approvalRequirements(TERA + 1n, raised)).toEqual({ approver: 'director', quotesRequired: 3 });
  });

  it('keeps the two rules independent when the procurement threshold is the lower one', () => {
    const inverted: Thresholds = { approval: mad(PROCUREMENT), procurement: mad(APPROVAL) };
    expect(approvalRequirements(APPROVAL + 1n, inverted)).toEqual({ approver: 'finance-officer', quotesRequired: 3 });
  });

  it.each(others)('refuses %p any decision', (...roles) => {
    expect(mayDecideCommitment({ roles: roles.filter(Boolean) }, 1n, THRESHOLDS).ok).toBe(false);
  });
});
