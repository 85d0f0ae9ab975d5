import type { CommitmentApproved, CommitmentRejected } from '@hrp/contracts';
import { EventSchemaViolationError, FUNDING_EVENTS } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { recordFundingDecisionFrom } from './campaign.decider';

// ---------- fixtures ----------

const metadata: CommandMetadata = {
  now: '2025-03-05T10:00:01.000Z',
  actor: { subject: 'system', username: 'campaigns-funding-consumer' },
  correlationId: 'corr-from-finance',
  causationId: 'finance-event-77',
};
const approved = (data: Partial<CommitmentApproved> = {}): CommitmentApproved => ({
  commitmentId: 'commitment-9',
  requestId: 'request-1',
  sourceType: 'CAMPAIGN',
  sourceId: 'campaign-1a2b',
  amount: { amount: '5000000', currency: 'MAD' },
  decidedAt: '2025-03-05T10:00:00.000Z',
  ...data,
});
const rejected = (data: Partial<CommitmentRejected> = {}): CommitmentRejected => ({ ...approved(), reason: 'Ligne épuisée', ...data });

describe('Funding decisions from finance', () => {
  describe('when finance approves a campaign commitment', () => {
    it('becomes RecordFundingDecision APPROVED for that campaign, with the consumer metadata', () => {
      expect(recordFundingDecisionFrom({ type: FUNDING_EVENTS.CommitmentApproved.type, data: approved() }, metadata)).toEqual({
        type: 'RecordFundingDecision',
        data: {
          campaignId: 'campaign-1a2b',
          decision: 'APPROVED',
          commitmentId: 'commitment-9',
          requestId: 'request-1',
          amount: { amount: '5000000', currency: 'MAD' },
          decidedAt: '2025-03-05T10:00:00.000Z',
        },
        metadata,
      });
    });

    it('leaves the request id out when finance names none', () => {
      const { requestId: _none, ...data } = approved();
      const command = recordFundingDecisionFrom({ type: 'CommitmentApproved', data }, metadata);
      expect(command?.data).not.toHaveProperty('requestId');
    });
  });

  describe('when finance rejects a campaign commitment', () => {
    it('becomes RecordFundingDecision REJECTED with the reason', () => {
      const command = recordFundingDecisionFrom({ type: 'CommitmentRejected', data: rejected() }, metadata);
      expect(command?.data).toEqual(
        expect.objectContaining({ decision: 'REJECTED', reason: 'Ligne épuisée', campaignId: 'campaign-1a2b' }),
      );
    });
  });

  describe('when the event is not about a campaign', () => {
    it.each(['TRAINING_SESSION', 'AGREEMENT'] as const)('ignores a commitment of a %s', (sourceType) => {
      expect(
        recordFundingDecisionFrom({ type: 'CommitmentApproved', data: approved({ sourceType, sourceId: 'x-1' }) }, metadata),
      ).toBeNull();
    });

    it('ignores other finance events', () => {
      expect(recordFundingDecisionFrom({ type: 'BudgetApproved', data: { budgetId: 'b-2025' } }, metadata)).toBeNull();
    });
  });

  describe('when the decision breaks its schema', () => {
    it('throws, so that the consumer dead-letters it instead of guessing', () => {
      expect(() => recordFundingDecisionFrom({ type: 'CommitmentRejected', data: approved() }, metadata)).toThrow(
        EventSchemaViolationError,
      );
    });
  });
});
