import type { StoredEvent } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { followers, fromProducers } from './funding.process';

const META: CommandMetadata = {
  now: '2026-03-01T10:00:00.000Z',
  actor: { subject: 'system:funding-process', username: 'funding-process' },
  correlationId: 'corr-1',
  causationId: 'event-9',
};

function stored(type: string, data: Record<string, unknown>, schemaVersion = 1): StoredEvent {
  return {
    streamId: 'stream-1',
    streamVersion: 3,
    position: 42,
    type,
    schemaVersion,
    data,
    metadata: {
      eventId: 'event-9',
      time: '2026-03-01T09:59:00.000Z',
      actor: { subject: 'kc-finance-officer', username: 'finance-officer' },
      correlationId: 'corr-1',
    },
  };
}

const CAMPAIGN = 'campaign-0b7c';
const REQUEST_ID = `${CAMPAIGN}.funding-request`;
const LINE = 'budget-2026.line-2';
const requested = {
  requestId: REQUEST_ID,
  sourceType: 'CAMPAIGN',
  sourceId: CAMPAIGN,
  budgetLineId: LINE,
  amount: { amount: '2500000', currency: 'MAD' },
  purpose: { fr: 'Caravane' },
  requestedAt: '2026-03-01T09:00:00.000Z',
  regions: ['MA-06'],
};
const withdrawn = {
  requestId: REQUEST_ID,
  sourceType: 'CAMPAIGN',
  sourceId: CAMPAIGN,
  budgetLineId: LINE,
  reason: 'Report',
  withdrawnAt: '2026-03-02T09:00:00.000Z',
};
const COMMITMENT = `commitment-2026-req-${REQUEST_ID}`;

describe('funding process: from the producers', () => {
  it('opens a commitment request on the named line, its stream derived from the request id (a redelivery lands on the same one)', () => {
    expect(fromProducers.FundingRequested(stored('FundingRequested', requested, 2), META)).toEqual({
      type: 'RequestCommitment',
      data: {
        commitmentId: COMMITMENT,
        budgetId: 'budget-2026',
        budgetLineId: LINE,
        amount: { amount: 2_500_000n, currency: 'MAD' },
        purpose: { fr: 'Caravane' },
        sourceType: 'CAMPAIGN',
        sourceId: CAMPAIGN,
        regions: ['MA-06'],
        requestId: REQUEST_ID,
        quotes: [],
      },
      metadata: META,
    });
  });

  it('reads a v1 request (no regions) as regions unknown', () => {
    const { regions: _regions, ...v1 } = requested;
    const command = fromProducers.FundingRequested(stored('FundingRequested', v1, 1), META);
    expect(command?.data).toMatchObject({ regions: [], commitmentId: COMMITMENT });
  });

  it('asks the budget to release (or void) the commitment of a withdrawn request', () => {
    expect(fromProducers.FundingWithdrawn(stored('FundingWithdrawn', withdrawn), META)).toEqual({
      type: 'ReleaseFunds',
      data: { budgetId: 'budget-2026', commitmentId: COMMITMENT },
      metadata: META,
    });
  });

  it('refuses (dead letter) a request whose line names no budget, and one that breaks the contract', () => {
    expect(() =>
      fromProducers.FundingRequested(stored('FundingRequested', { ...requested, budgetLineId: 'line-awareness' }, 2), META),
    ).toThrow(/names no budget line/);
    expect(() =>
      fromProducers.FundingRequested(stored('FundingRequested', { ...requested, amount: { amount: '-1', currency: 'MAD' } }, 2), META),
    ).toThrow();
  });
});

describe('funding process: the follower steps', () => {
  it('completes an approval whose funds the budget committed, on behalf of who approved', () => {
    const command = followers.FundsCommitted(
      stored('FundsCommitted', {
        budgetId: 'budget-2026',
        lineId: LINE,
        commitmentId: COMMITMENT,
        amount: { amount: '5', currency: 'MAD' },
      }),
      META,
    );
    expect(command).toEqual({
      type: 'CompleteApproval',
      data: { commitmentId: COMMITMENT },
      metadata: { ...META, actor: { subject: 'kc-finance-officer', username: 'finance-officer' } },
    });
  });

  it('records on the commitment the expense the budget spent, under the same expense id', () => {
    const command = followers.FundsSpent(
      stored('FundsSpent', {
        budgetId: 'budget-2026',
        lineId: LINE,
        commitmentId: COMMITMENT,
        expenseId: 'expense-1',
        amount: { amount: '1000000000000', currency: 'MAD' },
        supplier: 'Atlas Print',
        invoiceRef: 'F-1',
        date: '2026-03-01',
      }),
      META,
    );
    expect(command).toMatchObject({
      type: 'RecordExpense',
      data: {
        commitmentId: COMMITMENT,
        expenseId: 'expense-1',
        amount: { amount: 1_000_000_000_000n, currency: 'MAD' },
        supplier: 'Atlas Print',
        invoiceRef: 'F-1',
        date: '2026-03-01',
      },
    });
  });

  it.each(['FundsReleased', 'CommitmentVoided'])('marks the commitment released after %s', (type) => {
    const command = followers[type](
      stored(type, { budgetId: 'budget-2026', lineId: LINE, commitmentId: COMMITMENT, amount: { amount: '5', currency: 'MAD' } }),
      META,
    );
    expect(command).toMatchObject({ type: 'ReleaseCommitment', data: { commitmentId: COMMITMENT } });
  });

  it('has the budget follow a rejection: its budget is the one the commitment id names', () => {
    const rejected = {
      commitmentId: COMMITMENT,
      sourceType: 'CAMPAIGN',
      sourceId: CAMPAIGN,
      amount: { amount: '5', currency: 'MAD' },
      decidedAt: '2026-03-01T10:00:00.000Z',
      reason: 'Non',
    };
    expect(followers.CommitmentRejected(stored('CommitmentRejected', rejected), META)).toEqual({
      type: 'ReleaseFunds',
      data: { budgetId: 'budget-2026', commitmentId: COMMITMENT },
      metadata: META,
    });
    expect(() =>
      followers.CommitmentRejected(stored('CommitmentRejected', { ...rejected, commitmentId: 'commitment-7a1c' }), META),
    ).toThrow(/names no budget/);
  });
});
