import type { CommitmentApproved, CommitmentRejected } from '@hrp/contracts';
import { EventSchemaViolationError, FUNDING_EVENTS, toFundingMessage } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { TrainingSessionCommand } from './session.decider';
import { recordFundingDecisionFrom, trainingSessionDecider } from './session.decider';
import type { TrainingSessionEvent, TrainingSessionState } from './session.events';

// ---------- fixtures ----------

const SESSION_ID = 'session-1a2b';
const metadata: CommandMetadata = {
  now: '2025-04-03T10:00:01.000Z',
  actor: { subject: 'system', username: 'training-funding-consumer' },
  correlationId: 'corr-from-finance',
  causationId: 'finance-event-77',
};
const approved = (data: Partial<CommitmentApproved> = {}): CommitmentApproved => ({
  commitmentId: 'commitment-2025-9',
  requestId: `${SESSION_ID}.funding-request`,
  sourceType: 'TRAINING_SESSION',
  sourceId: SESSION_ID,
  amount: { amount: '1200000', currency: 'MAD' },
  decidedAt: '2025-04-03T10:00:00.000Z',
  ...data,
});
const rejected = (data: Partial<CommitmentRejected> = {}): CommitmentRejected => ({ ...approved(), reason: 'Ligne épuisée', ...data });

const userMetadata = (now: string): CommandMetadata => ({
  now,
  actor: { subject: 'kc-training-coordinator', username: 'training-coordinator' },
  correlationId: 'corr-1',
});
const scheduleWithCost: TrainingSessionCommand = {
  type: 'ScheduleTrainingSession',
  data: {
    sessionId: SESSION_ID,
    moduleId: 'module-1',
    module: { status: 'PUBLISHED', title: { fr: 'Droits des femmes', en: 'Women’s rights' } },
    trainers: ['N. Tazi'],
    region: 'MA-01',
    venue: 'Tanger',
    startDate: '2025-05-12',
    endDate: '2025-05-14',
    capacity: 20,
    passMark: 50,
    knownPartners: [],
    budgetLineId: 'budget-2025.line-2',
    estimatedCost: { amount: 1_200_000n },
  },
  metadata: userMetadata('2025-04-01T09:00:00.000Z'),
};

/** Runs the commands through decide and evolve, returning every event written. */
function run(commands: readonly TrainingSessionCommand[]): TrainingSessionEvent[] {
  let state: TrainingSessionState = trainingSessionDecider.initialState();
  const written: TrainingSessionEvent[] = [];
  for (const command of commands) {
    const events = trainingSessionDecider.decide(command, state);
    state = events.reduce(trainingSessionDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

describe('Funding decisions from finance', () => {
  describe('when finance approves a training session commitment', () => {
    it('becomes RecordFundingDecision APPROVED for that session, with the consumer metadata', () => {
      expect(recordFundingDecisionFrom({ type: FUNDING_EVENTS.CommitmentApproved.type, data: approved() }, metadata)).toEqual({
        type: 'RecordFundingDecision',
        data: {
          sessionId: SESSION_ID,
          decision: 'APPROVED',
          commitmentId: 'commitment-2025-9',
          requestId: `${SESSION_ID}.funding-request`,
          amount: { amount: '1200000', currency: 'MAD' },
          decidedAt: '2025-04-03T10:00:00.000Z',
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

  describe('when finance rejects a training session commitment', () => {
    it('becomes RecordFundingDecision REJECTED with the reason', () => {
      const command = recordFundingDecisionFrom({ type: 'CommitmentRejected', data: rejected() }, metadata);
      expect(command?.data).toEqual(expect.objectContaining({ decision: 'REJECTED', reason: 'Ligne épuisée', sessionId: SESSION_ID }));
    });
  });

  describe('when the event is not about a training session', () => {
    it.each(['CAMPAIGN', 'AGREEMENT'] as const)('ignores a commitment of a %s', (sourceType) => {
      expect(
        recordFundingDecisionFrom({ type: 'CommitmentApproved', data: approved({ sourceType, sourceId: 'x-1' }) }, metadata),
      ).toBeNull();
    });

    it('ignores other finance events', () => {
      expect(recordFundingDecisionFrom({ type: 'BudgetApproved', data: { budgetId: 'budget-2025' } }, metadata)).toBeNull();
    });
  });

  describe('when the decision breaks its schema', () => {
    it('throws, so that the consumer dead-letters it instead of guessing', () => {
      expect(() => recordFundingDecisionFrom({ type: 'CommitmentRejected', data: approved() }, metadata)).toThrow(
        EventSchemaViolationError,
      );
    });
  });

  describe('a whole exchange, through decide', () => {
    it('records the decision finance sends back for the session’s own request', () => {
      const request = run([scheduleWithCost]).find((e) => e.type === 'FundingRequested');
      const command = recordFundingDecisionFrom(
        { type: 'CommitmentApproved', data: approved({ requestId: request?.data.requestId }) },
        metadata,
      );
      expect(command).not.toBeNull();
      expect(run([scheduleWithCost, command!]).map((e) => e.type)).toEqual([
        'TrainingSessionScheduled',
        'FundingRequested',
        'FundingApproved',
      ]);
    });
  });

  describe('what a session sends to finance', () => {
    const sent = run([
      scheduleWithCost,
      {
        type: 'CancelTrainingSession',
        data: { sessionId: SESSION_ID, reason: 'Formatrice indisponible' },
        metadata: userMetadata('2025-04-02T09:00:00.000Z'),
      },
    ])
      .map((e) => toFundingMessage(e))
      .filter((m) => m !== null);

    it('is read by finance as a request for the session’s region, titled by its module, then its withdrawal', () => {
      expect(sent).toEqual([
        {
          kind: 'REQUESTED',
          requestId: `${SESSION_ID}.funding-request`,
          sourceType: 'TRAINING_SESSION',
          sourceId: SESSION_ID,
          budgetLineId: 'budget-2025.line-2',
          amount: { amount: '1200000', currency: 'MAD' },
          purpose: { fr: 'Droits des femmes', en: 'Women’s rights' },
          requestedAt: '2025-04-01T09:00:00.000Z',
          regions: ['MA-01'],
        },
        {
          kind: 'WITHDRAWN',
          requestId: `${SESSION_ID}.funding-request`,
          sourceType: 'TRAINING_SESSION',
          sourceId: SESSION_ID,
          budgetLineId: 'budget-2025.line-2',
          reason: 'Formatrice indisponible',
          withdrawnAt: '2025-04-02T09:00:00.000Z',
        },
      ]);
    });
  });
});
