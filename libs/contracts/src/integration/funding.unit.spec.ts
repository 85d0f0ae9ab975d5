import { EventSchemaViolationError, UnsupportedSchemaVersionError } from '../errors';
import { schemaIssues } from '../json-schema';
import { EventRegistry } from '../registry';
import { fingerprintSchema } from '../schema-guard';
import type {
  CommitmentApproved,
  CommitmentRejected,
  FundingRequestState,
  FundingRequested,
  FundingWithdrawn,
  ProducerFundingDecision,
} from './funding';
import {
  FUNDING_EVENTS,
  commitmentApprovedDefinition,
  commitmentRejectedDefinition,
  fundingDecisionFor,
  fundingDecisionOutcome,
  fundingRequestedDefinition,
  fundingRequestedIssues,
  fundingRequestedSchemaV1,
  fundingRequestedSchemaV2,
  fundingWithdrawnDefinition,
  fundingWithdrawnIssues,
  fundingWithdrawalOf,
  isCommitmentApproved,
  isCommitmentRejected,
  isFundingRequested,
  isFundingSourceType,
  isFundingWithdrawn,
  toFundingDecision,
  toFundingMessage,
} from './funding';

// ---------- fixtures ----------

const requestV1 = (): Record<string, unknown> => ({
  requestId: 'request-1',
  sourceType: 'CAMPAIGN',
  sourceId: 'campaign-1a2b',
  budgetLineId: 'line-awareness-2025',
  amount: { amount: '5000000', currency: 'MAD' },
  purpose: { fr: 'Caravane des droits', ar: 'قافلة الحقوق' },
  requestedAt: '2025-03-01T09:00:00.000Z',
});
const request = (data: Partial<Record<keyof FundingRequested, unknown>> = {}): Record<string, unknown> => ({
  ...requestV1(),
  regions: ['MA-01', 'MA-06'],
  ...data,
});
const withdrawal = (data: Partial<Record<keyof FundingWithdrawn, unknown>> = {}): Record<string, unknown> => ({
  requestId: 'request-1',
  sourceType: 'CAMPAIGN',
  sourceId: 'campaign-1a2b',
  budgetLineId: 'line-awareness-2025',
  reason: 'Campagne annulée : partenaire retiré',
  withdrawnAt: '2025-03-10T16:45:00+01:00',
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
  describe('FundingRequested v2', () => {
    it('accepts a complete request', () => {
      expect(fundingRequestedIssues(request())).toEqual([]);
      expect(isFundingRequested(request())).toBe(true);
    });

    it.each<[string, string[]]>([
      ['one region', ['MA-12']],
      ['NATIONAL', ['NATIONAL']],
      [
        'every region once',
        ['MA-01', 'MA-02', 'MA-03', 'MA-04', 'MA-05', 'MA-06', 'MA-07', 'MA-08', 'MA-09', 'MA-10', 'MA-11', 'MA-12', 'NATIONAL'],
      ],
      ['no region (a v1 request, upcast: its regions are unknown)', []],
    ])('accepts %s', (_what, regions) => {
      expect(fundingRequestedIssues(request({ regions }))).toEqual([]);
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
      ['missing regions (v1 data)', requestV1()],
      ['regions that are not a list', request({ regions: 'MA-01' })],
      ['an unknown region', request({ regions: ['MA-13'] })],
      ['a lowercase region', request({ regions: ['ma-01'] })],
      ['a region that is not a string', request({ regions: [1] })],
      ['a region listed twice', request({ regions: ['MA-01', 'MA-01'] })],
      [
        'more than 13 regions',
        request({ regions: [...Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`), 'NATIONAL', 'MA-01'] }),
      ],
    ])('refuses %s', (_what, data) => {
      expect(fundingRequestedIssues(data)).not.toEqual([]);
      expect(isFundingRequested(data)).toBe(false);
    });

    it('names a duplicate region in its issues', () => {
      expect(fundingRequestedIssues(request({ regions: ['MA-03', 'NATIONAL', 'MA-03'] }))).toEqual(['$.regions: "MA-03" listed twice']);
    });

    it('keeps v1 as it was: v2 is v1 plus the regions', () => {
      expect(schemaIssues(fundingRequestedSchemaV1, requestV1())).toEqual([]);
      expect(schemaIssues(fundingRequestedSchemaV1, request())).not.toEqual([]);
      const { regions: _regions, ...v2WithoutRegions } = fundingRequestedSchemaV2.properties ?? {};
      expect(v2WithoutRegions).toEqual(fundingRequestedSchemaV1.properties);
      expect([...(fundingRequestedSchemaV2.required ?? [])].sort()).toEqual(
        [...(fundingRequestedSchemaV1.required ?? []), 'regions'].sort(),
      );
    });
  });

  describe('FundingRequested read from v1', () => {
    const registry = new EventRegistry('campaigns').register(fundingRequestedDefinition);

    it('is upcast to v2 with no region, and then valid', () => {
      const stored = { type: 'FundingRequested', schemaVersion: 1, data: requestV1(), metadata: { eventId: 'e-1' } };

      const read = registry.upcast(stored);

      expect(read).toEqual({ ...stored, schemaVersion: 2, data: { ...requestV1(), regions: [] } });
      expect(fundingRequestedIssues(read.data)).toEqual([]);
      expect(stored.data).toEqual(requestV1()); // the stored event is left alone
    });

    it('is left as it is when already at v2', () => {
      const current = { type: 'FundingRequested', schemaVersion: 2, data: request() };
      expect(registry.upcast(current)).toBe(current);
    });
  });

  describe('FundingWithdrawn v1', () => {
    it('accepts a complete withdrawal', () => {
      expect(fundingWithdrawnIssues(withdrawal())).toEqual([]);
      expect(isFundingWithdrawn(withdrawal())).toBe(true);
    });

    it('accepts a reason of 1000 characters', () => {
      expect(isFundingWithdrawn(withdrawal({ reason: 'é'.repeat(1000) }))).toBe(true);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a missing request id', withdrawal({ requestId: undefined })],
      ['an empty request id', withdrawal({ requestId: '' })],
      ['a blank request id', withdrawal({ requestId: '   ' })],
      ['an unknown source type', withdrawal({ sourceType: 'DOSSIER' })],
      ['a missing source type', withdrawal({ sourceType: undefined })],
      ['a missing source id', withdrawal({ sourceId: undefined })],
      ['a blank source id', withdrawal({ sourceId: ' ' })],
      ['a missing budget line', withdrawal({ budgetLineId: undefined })],
      ['a blank budget line', withdrawal({ budgetLineId: '\t' })],
      ['a missing reason', withdrawal({ reason: undefined })],
      ['an empty reason', withdrawal({ reason: '' })],
      ['a blank reason', withdrawal({ reason: '   ' })],
      ['a reason longer than 1000 characters', withdrawal({ reason: 'x'.repeat(1001) })],
      ['a reason that is not a string', withdrawal({ reason: 42 })],
      ['a missing withdrawal time', withdrawal({ withdrawnAt: undefined })],
      ['a withdrawal time that is only a date', withdrawal({ withdrawnAt: '2025-03-10' })],
      ['a withdrawal time without an offset', withdrawal({ withdrawnAt: '2025-03-10T16:45:00' })],
      ['an unknown field', { ...withdrawal(), amount: { amount: '1', currency: 'MAD' } }],
      ['data that is not an object', ['request-1'] as unknown as Record<string, unknown>],
    ])('refuses %s', (_what, data) => {
      expect(fundingWithdrawnIssues(data)).not.toEqual([]);
      expect(isFundingWithdrawn(data)).toBe(false);
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

  describe("reading a producer's event as a funding message", () => {
    it('tags a request and a withdrawal', () => {
      expect(toFundingMessage({ type: 'FundingRequested', data: request() })).toEqual({ kind: 'REQUESTED', ...request() });
      expect(toFundingMessage({ type: 'FundingWithdrawn', data: withdrawal() })).toEqual({ kind: 'WITHDRAWN', ...withdrawal() });
    });

    it('reads events at their current version, as a StoredEvent carries it', () => {
      expect(toFundingMessage({ type: 'FundingRequested', schemaVersion: 2, data: request() })).toEqual({
        kind: 'REQUESTED',
        ...request(),
      });
      expect(toFundingMessage({ type: 'FundingWithdrawn', schemaVersion: 1, data: withdrawal() })).toEqual({
        kind: 'WITHDRAWN',
        ...withdrawal(),
      });
    });

    it('upcasts a request published as v1 when the version is given, with no region', () => {
      expect(toFundingMessage({ type: 'FundingRequested', schemaVersion: 1, data: requestV1() })).toEqual({
        kind: 'REQUESTED',
        ...requestV1(),
        regions: [],
      });
    });

    it('returns null for any other event type', () => {
      expect(toFundingMessage({ type: 'CommitmentApproved', data: approval() })).toBeNull();
      expect(toFundingMessage({ type: 'CampaignCancelled', data: { campaignId: 'campaign-1a2b', reason: 'x' } })).toBeNull();
    });

    it.each<[string, { type: string; data: unknown; schemaVersion?: number }]>([
      ['a request without regions at the current version', { type: 'FundingRequested', data: requestV1() }],
      ['a request with a duplicate region', { type: 'FundingRequested', data: request({ regions: ['MA-01', 'MA-01'] }) }],
      ['a v1 request that breaks v1', { type: 'FundingRequested', schemaVersion: 1, data: { ...requestV1(), amount: 5000000 } }],
      ['a withdrawal with a blank reason', { type: 'FundingWithdrawn', data: withdrawal({ reason: ' ' }) }],
      ['a withdrawal without its request id', { type: 'FundingWithdrawn', data: withdrawal({ requestId: undefined }) }],
    ])('throws on %s', (_what, event) => {
      expect(() => toFundingMessage(event)).toThrow(EventSchemaViolationError);
    });

    it('throws on a version newer than this code knows', () => {
      expect(() => toFundingMessage({ type: 'FundingWithdrawn', schemaVersion: 2, data: withdrawal() })).toThrow(
        UnsupportedSchemaVersionError,
      );
    });

    it('does not change the event it reads', () => {
      const event = { type: 'FundingRequested', schemaVersion: 1, data: requestV1() };
      toFundingMessage(event);
      expect(event.data).toEqual(requestV1());
    });
  });

  describe('the registry definitions', () => {
    it('register in any context at the agreed names and versions', () => {
      const producer = new EventRegistry('campaigns').register(fundingRequestedDefinition).register(fundingWithdrawnDefinition);
      const finance = new EventRegistry('finance').register(commitmentApprovedDefinition).register(commitmentRejectedDefinition);
      expect(FUNDING_EVENTS.FundingRequested.schemaVersion).toBe(2);
      expect(FUNDING_EVENTS.FundingWithdrawn.schemaVersion).toBe(1);
      expect(producer.currentVersion('FundingRequested')).toBe(FUNDING_EVENTS.FundingRequested.schemaVersion);
      expect(producer.currentVersion('FundingWithdrawn')).toBe(FUNDING_EVENTS.FundingWithdrawn.schemaVersion);
      expect(finance.types()).toEqual(['CommitmentApproved', 'CommitmentRejected']);
      expect(producer.issues('FundingRequested', request())).toEqual([]);
      expect(producer.issues('FundingWithdrawn', withdrawal())).toEqual([]);
      expect(finance.issues('CommitmentRejected', rejection())).toEqual([]);
    });

    it('keep every version of FundingRequested, with an upcaster into v2', () => {
      const [v1, v2] = new EventRegistry('campaigns').register(fundingRequestedDefinition).registeredSchemas();
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(fingerprintSchema(v1.schema)).toBe(fingerprintSchema(fundingRequestedSchemaV1));
      expect(v2.upcastableFromPrevious).toBe(true);
    });

    it('name every source type', () => {
      expect(['CAMPAIGN', 'TRAINING_SESSION', 'AGREEMENT'].every(isFundingSourceType)).toBe(true);
      expect(isFundingSourceType('campaign')).toBe(false);
    });
  });

  describe("the producers' side", () => {
    const approved = (data: Partial<ProducerFundingDecision> = {}): ProducerFundingDecision =>
      ({
        decision: 'APPROVED',
        commitmentId: 'commitment-9',
        requestId: 'request-1',
        amount: { amount: '5000000', currency: 'MAD' },
        decidedAt: '2025-03-05T10:00:00+01:00',
        ...data,
      }) as ProducerFundingDecision;
    const rejected = (): ProducerFundingDecision => ({ ...approved(), decision: 'REJECTED', reason: 'Ligne épuisée' });
    const pending: FundingRequestState = { status: 'REQUESTED', requestId: 'request-1' };
    const source = { sourceType: 'CAMPAIGN', sourceId: 'campaign-1a2b', budgetLineId: 'line-awareness-2025' } as const;

    describe('reading a finance event for one source type', () => {
      it("gives an approval's source and its decision without the source", () => {
        expect(fundingDecisionFor('CAMPAIGN', { type: 'CommitmentApproved', data: approval() })).toEqual({
          sourceId: 'campaign-1a2b',
          decision: approved(),
        });
      });

      it("gives a rejection's reason", () => {
        expect(fundingDecisionFor('CAMPAIGN', { type: 'CommitmentRejected', data: rejection() })).toEqual({
          sourceId: 'campaign-1a2b',
          decision: rejected(),
        });
      });

      it('leaves the request id out when finance gave none', () => {
        const found = fundingDecisionFor('CAMPAIGN', { type: 'CommitmentApproved', data: approval({ requestId: undefined }) });
        expect(found?.decision).not.toHaveProperty('requestId');
      });

      it("returns null for another source type's commitment", () => {
        expect(fundingDecisionFor('TRAINING_SESSION', { type: 'CommitmentApproved', data: approval() })).toBeNull();
        expect(fundingDecisionFor('AGREEMENT', { type: 'CommitmentRejected', data: rejection() })).toBeNull();
      });

      it('returns null for any other event type', () => {
        expect(fundingDecisionFor('CAMPAIGN', { type: 'FundingRequested', data: request() })).toBeNull();
      });

      it('throws on a decision that breaks its schema', () => {
        expect(() => fundingDecisionFor('CAMPAIGN', { type: 'CommitmentRejected', data: rejection({ reason: ' ' }) })).toThrow(
          EventSchemaViolationError,
        );
      });
    });

    describe('the outcome of a decision', () => {
      const recorded = {
        commitmentId: 'commitment-9',
        requestId: 'request-1',
        amount: { amount: '5000000', currency: 'MAD' },
        decidedAt: '2025-03-05T10:00:00+01:00',
      };

      it('records an approval of the pending request', () => {
        expect(fundingDecisionOutcome(pending, approved())).toEqual({ decision: 'APPROVED', data: recorded });
      });

      it('records a rejection with its reason', () => {
        expect(fundingDecisionOutcome(pending, rejected())).toEqual({
          decision: 'REJECTED',
          data: { ...recorded, reason: 'Ligne épuisée' },
        });
      });

      it('records a decision without a request id, and leaves the field out', () => {
        const outcome = fundingDecisionOutcome(pending, approved({ requestId: undefined }));
        expect(outcome?.decision).toBe('APPROVED');
        expect(outcome?.data).not.toHaveProperty('requestId');
      });

      it('records a decision on a request whose id the state does not know', () => {
        expect(fundingDecisionOutcome({ status: 'REQUESTED' }, approved())?.data.requestId).toBe('request-1');
      });

      it('is a no-op for a decision on another request', () => {
        expect(fundingDecisionOutcome(pending, approved({ requestId: 'request-2' }))).toBeNull();
        expect(fundingDecisionOutcome(pending, { ...rejected(), requestId: 'request-2' })).toBeNull();
      });

      it('is a no-op once the request is answered, or when nothing was requested', () => {
        for (const status of ['NOT_REQUESTED', 'APPROVED', 'REJECTED'] as const) {
          expect(fundingDecisionOutcome({ status, requestId: 'request-1' }, approved())).toBeNull();
          expect(fundingDecisionOutcome({ status, requestId: 'request-1' }, rejected())).toBeNull();
        }
      });
    });

    describe('the withdrawal of a request', () => {
      it('withdraws a pending or an approved request, as a valid FundingWithdrawn', () => {
        for (const status of ['REQUESTED', 'APPROVED'] as const) {
          const withdrawn = fundingWithdrawalOf({ status, requestId: 'request-1' }, source, 'Campagne annulée', '2025-03-10T15:45:00.000Z');
          expect(withdrawn).toEqual({
            requestId: 'request-1',
            sourceType: 'CAMPAIGN',
            sourceId: 'campaign-1a2b',
            budgetLineId: 'line-awareness-2025',
            reason: 'Campagne annulée',
            withdrawnAt: '2025-03-10T15:45:00.000Z',
          });
          expect(isFundingWithdrawn(withdrawn)).toBe(true);
        }
      });

      it('withdraws nothing when nothing was requested or finance already said no', () => {
        expect(fundingWithdrawalOf({ status: 'NOT_REQUESTED' }, source, 'annulée', '2025-03-10T15:45:00.000Z')).toBeUndefined();
        expect(
          fundingWithdrawalOf({ status: 'REJECTED', requestId: 'request-1' }, source, 'annulée', '2025-03-10T15:45:00.000Z'),
        ).toBeUndefined();
      });

      it('withdraws nothing without a request id or a budget line', () => {
        expect(fundingWithdrawalOf({ status: 'REQUESTED' }, source, 'annulée', '2025-03-10T15:45:00.000Z')).toBeUndefined();
        const noLine = { sourceType: 'TRAINING_SESSION', sourceId: 'session-1' } as const;
        expect(fundingWithdrawalOf(pending, noLine, 'annulée', '2025-03-10T15:45:00.000Z')).toBeUndefined();
      });
    });
  });
});
