import { EventSchemaViolationError } from '../errors';
import { EventRegistry } from '../registry';
import type { CommitmentApproved, CommitmentRejected, FundingRequested } from './funding';
import {
  FUNDING_EVENTS,
  commitmentApprovedDefinition,
  commitmentRejectedDefinition,
  fundingRequestedDefinition,
  fundingRequestedIssues,
  isCommitmentApproved,
  isCommitmentRejected,
  isFundingRequested,
  isFundingSourceType,
  toFundingDecision,
} from './funding';

// ---------- fixtures ----------

const request = (data: Partial<Record<keyof FundingRequested, unknown>> = {}): Record<string, unknown> => ({
  requestId: 'request-1',
  sourceType: 'CAMPAIGN',
  sourceId: 'campaign-1a2b',
  budgetLineId: 'line-awareness-2025',
  amount: { amount: '5000000', currency: 'MAD' },
  purpose: { fr: 'Caravane des droits', ar: 'قافلة الحقوق' },
  requestedAt: '2025-03-01T09:00:00.000Z',
  ...data,
});
const approval = (data: Partial<Record<keyof CommitmentApproved, unknown>> = {}): Record<string, unknown> => ({
  commitmentId: 'commitment-9',
  requestId: 'request-1',
  sourceType: 'CAMPAIGN',
  sourceId: 'campaign-1a2b',
  amount: { amount: '5000000', currency: 'MAD' },
  decidedAt: '2025-03-05T10:00:00+01:00',
  ...data,
});
const rejection = (data: Partial<Record<keyof CommitmentRejected, unknown>> = {}): Record<string, unknown> => ({
  ...approval(),
  reason: 'Ligne épuisée',
  ...data,
});

describe('Funding integration events', () => {
  describe('FundingRequested v1', () => {
    it('accepts a complete request', () => {
      expect(fundingRequestedIssues(request())).toEqual([]);
      expect(isFundingRequested(request())).toBe(true);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a zero amount', request({ amount: { amount: '0', currency: 'MAD' } })],
      ['a negative amount', request({ amount: { amount: '-5', currency: 'MAD' } })],
      ['a decimal amount', request({ amount: { amount: '50.00', currency: 'MAD' } })],
      ['an amount beyond 64 bits', request({ amount: { amount: '9999999999999999999', currency: 'MAD' } })],
      ['a lowercase currency', request({ amount: { amount: '1', currency: 'mad' } })],
      ['an unknown source type', request({ sourceType: 'DOSSIER' })],
      ['a blank budget line', request({ budgetLineId: '  ' })],
      ['a purpose without French', request({ purpose: { en: 'Rights caravan' } })],
      ['a purpose longer than 300 characters', request({ purpose: { fr: 'x'.repeat(301) } })],
      ['a request time that is only a date', request({ requestedAt: '2025-03-01' })],
      ['an unknown field', { ...request(), priority: 'HIGH' }],
      ['a missing request id', request({ requestId: undefined })],
    ])('refuses %s', (_what, data) => {
      expect(fundingRequestedIssues(data)).not.toEqual([]);
      expect(isFundingRequested(data)).toBe(false);
    });
  });

  describe('CommitmentApproved and CommitmentRejected v1', () => {
    it('accept a decision with or without the request id', () => {
      expect(isCommitmentApproved(approval())).toBe(true);
      expect(isCommitmentApproved(approval({ requestId: undefined }))).toBe(true);
      expect(isCommitmentRejected(rejection())).toBe(true);
    });

    it('require a non-blank reason for a rejection', () => {
      expect(isCommitmentRejected(approval())).toBe(false);
      expect(isCommitmentRejected(rejection({ reason: '   ' }))).toBe(false);
      expect(isCommitmentApproved(rejection())).toBe(false);
    });
  });

  describe('reading a finance event as a decision', () => {
    it('tags an approval and a rejection', () => {
      expect(toFundingDecision({ type: 'CommitmentApproved', data: approval() })).toEqual({ decision: 'APPROVED', ...approval() });
      expect(toFundingDecision({ type: 'CommitmentRejected', data: rejection() })).toEqual({ decision: 'REJECTED', ...rejection() });
    });

    it('returns null for any other event type', () => {
      expect(toFundingDecision({ type: 'FundingRequested', data: request() })).toBeNull();
    });

    it('throws on a decision that breaks its schema', () => {
      expect(() => toFundingDecision({ type: 'CommitmentApproved', data: approval({ amount: 5000000 }) })).toThrow(
        EventSchemaViolationError,
      );
    });
  });

  describe('the registry definitions', () => {
    it('register in any context at the agreed names and versions', () => {
      const producer = new EventRegistry('campaigns').register(fundingRequestedDefinition);
      const finance = new EventRegistry('finance').register(commitmentApprovedDefinition).register(commitmentRejectedDefinition);
      expect(producer.currentVersion('FundingRequested')).toBe(FUNDING_EVENTS.FundingRequested.schemaVersion);
      expect(finance.types()).toEqual(['CommitmentApproved', 'CommitmentRejected']);
      expect(producer.issues('FundingRequested', request())).toEqual([]);
      expect(finance.issues('CommitmentRejected', rejection())).toEqual([]);
    });

    it('name every source type', () => {
      expect(['CAMPAIGN', 'TRAINING_SESSION', 'AGREEMENT'].every(isFundingSourceType)).toBe(true);
      expect(isFundingSourceType('campaign')).toBe(false);
    });
  });
});
