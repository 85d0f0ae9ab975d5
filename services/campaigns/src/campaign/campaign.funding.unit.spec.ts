import type { CommitmentApproved, CommitmentRejected } from '@hrp/contracts';
import { EventSchemaViolationError, FUNDING_EVENTS, toFundingMessage } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { CampaignCommand } from './campaign.decider';
import { campaignDecider, recordFundingDecisionFrom } from './campaign.decider';
import type { CampaignEvent, CampaignState } from './campaign.events';

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

const CAMPAIGN_ID = 'campaign-1a2b';
const userMetadata = (now: string, ids?: string[]): CommandMetadata => ({
  now,
  actor: { subject: 'kc-campaign-manager', username: 'campaign-manager' },
  correlationId: 'corr-1',
  ...(ids !== undefined ? { ids } : {}),
});
const createWithCost: CampaignCommand = {
  type: 'CreateCampaign',
  data: {
    campaignId: CAMPAIGN_ID,
    title: { fr: 'Caravane des droits' },
    themes: [],
    audiences: ['YOUTH'],
    channels: ['EVENTS'],
    regions: ['MA-06', 'MA-01'],
    startDate: '2025-04-01',
    endDate: '2025-06-30',
    targetReach: 100,
    knownPartners: [],
    budgetLineId: 'line-awareness-2025',
    estimatedCost: { amount: 5_000_000n },
  },
  metadata: userMetadata('2025-03-01T09:00:00.000Z'),
};

/** Runs the commands through decide and evolve, returning every event written. */
function run(commands: readonly CampaignCommand[]): CampaignEvent[] {
  let state: CampaignState = campaignDecider.initialState();
  const written: CampaignEvent[] = [];
  for (const command of commands) {
    const events = campaignDecider.decide(command, state);
    state = events.reduce(campaignDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

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

  describe('what a campaign sends to finance', () => {
    const sent = run([
      createWithCost,
      { type: 'PlanCampaign', data: { campaignId: CAMPAIGN_ID }, metadata: userMetadata('2025-03-02T09:00:00.000Z', ['request-1']) },
      {
        type: 'CancelCampaign',
        data: { campaignId: CAMPAIGN_ID, reason: 'Partenaire retiré' },
        metadata: userMetadata('2025-03-03T09:00:00.000Z'),
      },
    ])
      .map((e) => toFundingMessage(e))
      .filter((m) => m !== null);

    it('is read by finance as a request with the campaign regions, then its withdrawal', () => {
      expect(sent).toEqual([
        expect.objectContaining({ kind: 'REQUESTED', requestId: 'request-1', sourceId: CAMPAIGN_ID, regions: ['MA-06', 'MA-01'] }),
        {
          kind: 'WITHDRAWN',
          requestId: 'request-1',
          sourceType: 'CAMPAIGN',
          sourceId: CAMPAIGN_ID,
          budgetLineId: 'line-awareness-2025',
          reason: 'Partenaire retiré',
          withdrawnAt: '2025-03-03T09:00:00.000Z',
        },
      ]);
    });
  });
});
