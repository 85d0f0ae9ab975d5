import type { CommitmentApproved } from '@hrp/contracts';
import { EventSchemaViolationError, toFundingMessage } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { recordFundingDecisionFrom } from './agreement.decider';

const ID = 'agreement-1a2b';
const metadata: CommandMetadata = {
  now: '2025-03-03T10:00:01.000Z',
  actor: { subject: 'system', username: 'partnerships-funding-consumer' },
  correlationId: 'corr-from-finance',
  causationId: 'finance-event-12',
};
const approved = (data: Partial<CommitmentApproved> = {}): CommitmentApproved => ({
  commitmentId: 'commitment-2025-4',
  requestId: `${ID}.funding-request`,
  sourceType: 'AGREEMENT',
  sourceId: ID,
  amount: { amount: '5000000', currency: 'MAD' },
  decidedAt: '2025-03-03T10:00:00.000Z',
  ...data,
});

describe('Funding decisions from finance, for agreements', () => {
  it('maps an approval of an agreement’s commitment to RecordFundingDecision, with the consumer metadata', () => {
    expect(recordFundingDecisionFrom({ type: 'CommitmentApproved', data: approved() }, metadata)).toEqual({
      type: 'RecordFundingDecision',
      data: {
        agreementId: ID,
        decision: 'APPROVED',
        commitmentId: 'commitment-2025-4',
        requestId: `${ID}.funding-request`,
        amount: { amount: '5000000', currency: 'MAD' },
        decidedAt: '2025-03-03T10:00:00.000Z',
      },
      metadata,
    });
  });

  it('maps a rejection with its reason', () => {
    const command = recordFundingDecisionFrom({ type: 'CommitmentRejected', data: { ...approved(), reason: 'Ligne épuisée' } }, metadata);
    expect(command?.data).toEqual(expect.objectContaining({ agreementId: ID, decision: 'REJECTED', reason: 'Ligne épuisée' }));
  });

  it.each(['CAMPAIGN', 'TRAINING_SESSION'] as const)('ignores a commitment of a %s, and other finance events', (sourceType) => {
    expect(recordFundingDecisionFrom({ type: 'CommitmentApproved', data: approved({ sourceType, sourceId: 'x-1' }) }, metadata)).toBeNull();
    expect(recordFundingDecisionFrom({ type: 'BudgetApproved', data: {} }, metadata)).toBeNull();
  });

  it('throws on a decision that breaks its schema, so that the consumer dead-letters it', () => {
    expect(() => recordFundingDecisionFrom({ type: 'CommitmentRejected', data: approved() }, metadata)).toThrow(EventSchemaViolationError);
  });

  it('is read by finance as the shared request and withdrawal (what an agreement writes)', () => {
    const request = {
      requestId: `${ID}.funding-request`,
      sourceType: 'AGREEMENT',
      sourceId: ID,
      budgetLineId: 'line-1',
      amount: { amount: '5000000', currency: 'MAD' },
      purpose: { fr: 'Convention' },
      requestedAt: '2025-03-01T09:00:00.000Z',
      regions: ['NATIONAL'],
    };
    expect(toFundingMessage({ type: 'FundingRequested', data: request })).toEqual({ kind: 'REQUESTED', ...request });
  });
});
