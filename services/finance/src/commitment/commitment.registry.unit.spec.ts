import { join } from 'node:path';
import {
  EventRegistry,
  EventSchemaViolationError,
  commitmentApprovedSchemaV1,
  commitmentRejectedSchemaV1,
  fingerprintSchema,
  toFundingDecision,
} from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import { budgetEventDefinitions } from '../budget/budget.registry';
import type { Thresholds } from '../budget/budget.events';
import type { CommitmentCommand } from './commitment.decider';
import { commitmentDecider } from './commitment.decider';
import type { CommitmentEvent, CommitmentState } from './commitment.events';
import { COMMITMENT_EVENT_TYPES } from './commitment.events';
import { commitmentEventDefinitions, commitmentEventRegistry } from './commitment.registry';

const SNAPSHOT_FILE = join(__dirname, 'commitment.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/finance/src/commitment/commitment.registry and commit this file.';

// ---------- lives, through decide, to check what they write ----------

const TERA = 1_000_000_000_000n;
const meta = (ids?: string[]): CommandMetadata => ({
  now: '2025-03-05T10:00:00.000Z',
  actor: { subject: 'kc-finance-officer', username: 'finance-officer' },
  correlationId: 'c-1',
  ...(ids ? { ids } : {}),
});
const mad = (amount: bigint) => ({ amount: String(amount), currency: 'MAD' });
const THRESHOLDS: Thresholds = { approval: mad(5_000_000n), procurement: mad(20_000_000n) };

/** Runs the commands in order, returning every event written. */
function run(commands: CommitmentCommand[]): CommitmentEvent[] {
  let state: CommitmentState = commitmentDecider.initialState();
  const written: CommitmentEvent[] = [];
  for (const command of commands) {
    const events = commitmentDecider.decide(command, state);
    state = events.reduce(commitmentDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const request = (commitmentId: string, amount: bigint, requestId?: string, regions?: string[]): CommitmentCommand => ({
  type: 'RequestCommitment',
  data: {
    commitmentId,
    budgetId: 'budget-2025',
    budgetLineId: 'line-awareness',
    amount: { amount },
    purpose: { fr: 'Caravane des droits de l’enfant', ar: 'قافلة حقوق الطفل', zgh: 'ⵜⴰⵎⵙⵙⵓⴷⵜ' },
    sourceType: 'CAMPAIGN',
    sourceId: 'campaign-0b7c5e1a',
    ...(requestId !== undefined ? { requestId } : {}),
    ...(regions !== undefined ? { regions } : {}),
    quotes: ['DEV-101 Atlas Print'],
  },
  metadata: meta(),
});
const on = (commitmentId: string) => ({ commitmentId });

const lives = (): CommitmentEvent[] => [
  // approved above the procurement threshold (at 10^12 centimes), spent, by hand
  ...run([
    request('commitment-a', TERA),
    {
      type: 'CiteQuotes',
      data: { ...on('commitment-a'), quotes: ['DEV-102 Imprimerie du Nord', 'DEV-103 Sud Graphic'] },
      metadata: meta(),
    },
    { type: 'ApproveCommitment', data: { ...on('commitment-a'), thresholds: THRESHOLDS }, metadata: meta() },
    {
      type: 'RecordExpense',
      data: { ...on('commitment-a'), amount: { amount: TERA }, supplier: 'Atlas Print', invoiceRef: 'F-2025-001', date: '2025-03-04' },
      metadata: meta(['expense-1']),
    },
  ]),
  // from a funding request, rejected
  ...run([
    request('commitment-req-r1', 3_000_000n, 'request-1', ['MA-06', 'NATIONAL']),
    { type: 'RejectCommitment', data: { ...on('commitment-req-r1'), reason: 'Ligne épuisée', thresholds: THRESHOLDS }, metadata: meta() },
  ]),
  // approval completed by the process, then an expense the budget spent recorded under its id
  ...run([
    request('commitment-2025-req-r3', 3_000_000n, 'request-3', ['MA-01']),
    { type: 'CompleteApproval', data: on('commitment-2025-req-r3'), metadata: meta() },
    {
      type: 'RecordExpense',
      data: {
        ...on('commitment-2025-req-r3'),
        expenseId: 'expense-from-budget-1',
        amount: { amount: 3_000_000n },
        supplier: 'Sud Graphic',
        invoiceRef: 'F-77',
        date: '2025-03-01',
      },
      metadata: meta(),
    },
  ]),
  // approved, then released when its campaign is cancelled
  ...run([
    request('commitment-c', 3_000_000n, 'request-2'),
    { type: 'ApproveCommitment', data: { ...on('commitment-c'), thresholds: THRESHOLDS }, metadata: meta() },
    { type: 'ReleaseCommitment', data: { ...on('commitment-c'), reason: 'Campagne annulée' }, metadata: meta() },
  ]),
];

describe('Commitment event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the finance context', () => {
      expect(commitmentEventRegistry.context).toBe('finance');
      expect(commitmentEventRegistry.types()).toEqual([...COMMITMENT_EVENT_TYPES]);
      expect(commitmentEventDefinitions.map((d) => d.type)).toEqual([...COMMITMENT_EVENT_TYPES]);
      for (const type of COMMITMENT_EVENT_TYPES) expect(commitmentEventRegistry.currentVersion(type)).toBe(1);
    });

    it('use the shared integration schemas for the decisions, so campaigns reads them as written', () => {
      expect(fingerprintSchema(commitmentEventRegistry.schema('CommitmentApproved'))).toBe(fingerprintSchema(commitmentApprovedSchemaV1));
      expect(fingerprintSchema(commitmentEventRegistry.schema('CommitmentRejected'))).toBe(fingerprintSchema(commitmentRejectedSchemaV1));
    });

    it('share no type with the budget’s, so that both fit in the one registry of finance', () => {
      const finance = [...budgetEventDefinitions, ...commitmentEventDefinitions].reduce(
        (r, d) => r.register(d),
        new EventRegistry('finance'),
      );
      expect(finance.types()).toHaveLength(budgetEventDefinitions.length + commitmentEventDefinitions.length);
    });
  });

  describe('when commitment lives run through decide', () => {
    const events = lives();

    it('write every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(COMMITMENT_EVENT_TYPES));
    });

    it('write only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: commitmentEventRegistry.issues(event.type, event.data) }).toEqual({
          type: event.type,
          issues: [],
        });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });

    it('write decisions that the consumers’ reader accepts', () => {
      const decisions = events.filter((e) => e.type === 'CommitmentApproved' || e.type === 'CommitmentRejected');
      expect(decisions.map((e) => toFundingDecision(e)?.decision)).toEqual(['APPROVED', 'REJECTED', 'APPROVED', 'APPROVED']);
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses it with every problem listed', () => {
      const error = (() => {
        try {
          commitmentEventRegistry.validate('ExpenseRecorded', {
            commitmentId: 'commitment-a',
            expenseId: 'expense-1',
            amount: { amount: '0', currency: 'MAD' },
            supplier: 'Atlas Print',
            invoiceRef: 'F-1',
            date: '04/03/2025',
          });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventSchemaViolationError);
      expect((error as EventSchemaViolationError).issues).toEqual([
        expect.stringContaining('$.amount.amount'),
        expect.stringContaining('$.date'),
      ]);
    });

    it('refuses a request without regions, or with an unknown region', () => {
      const requested = lives().find((e) => e.type === 'CommitmentRequested');
      expect(requested).toBeDefined();
      const { regions: _regions, ...withoutRegions } = requested?.data ?? {};
      expect(commitmentEventRegistry.issues('CommitmentRequested', withoutRegions)).toHaveLength(1);
      expect(commitmentEventRegistry.issues('CommitmentRequested', { ...requested?.data, regions: ['MA-13'] })).toHaveLength(1);
    });

    it('refuses a commitment id that is not a commitment stream id', () => {
      expect(
        commitmentEventRegistry.issues('CommitmentReleased', {
          commitmentId: 'budget-2025',
          reason: 'x',
          releasedAt: '2025-03-05T10:00:00Z',
        }),
      ).toHaveLength(1);
    });
  });

  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [commitmentEventRegistry], UPDATE);
    });
  });
});
