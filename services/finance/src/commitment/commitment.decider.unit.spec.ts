import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { Thresholds } from '../budget/budget.events';
import type { CommitmentCommand, RecordExpense, RequestCommitment } from './commitment.decider';
import { CommitmentRules, commitmentDecider } from './commitment.decider';
import type { CommitmentEvent, CommitmentRequested, ExpenseRecorded } from './commitment.events';
import {
  budgetIdOfCommitment,
  commitmentStreamId,
  commitmentStreamIdForRequest,
  evolve,
  exists,
  initialState,
  remainingOf,
} from './commitment.events';

// ---------- fixtures ----------

const COMMITMENT_ID = 'commitment-5d0e';
const CAMPAIGN_ID = 'campaign-0b7c5e1a';
const REQUEST_ID = 'request-41c2';
const NOW = '2025-03-05T10:00:00.000Z';
/** When the approval process completes an approval (after a crash, say): a time of its own. */
const LATER = '2025-03-07T08:30:00.000Z';
const PURPOSE = { fr: 'Caravane des droits de l’enfant' };
const TERA = 1_000_000_000_000n;
/** The defaults of docs/domain.md: 50,000.00 and 200,000.00 MAD. */
const APPROVAL = 5_000_000n;
const PROCUREMENT = 20_000_000n;

const mad = (amount: bigint | string) => ({ amount: String(amount), currency: 'MAD' });
const THRESHOLDS: Thresholds = { approval: mad(APPROVAL), procurement: mad(PROCUREMENT) };
const QUOTES = ['DEV-101 Atlas Print', 'DEV-102 Imprimerie du Nord', 'DEV-103 Sud Graphic'];

const meta = (ids?: string[], now = NOW): CommandMetadata => ({
  now,
  actor: { subject: 'kc-finance-officer', username: 'finance-officer' },
  correlationId: 'corr-1',
  ...(ids !== undefined ? { ids } : {}),
});

const spec = DeciderSpecification.for(commitmentDecider);
const fold = (events: readonly CommitmentEvent[]) => events.reduce(evolve, initialState());

// commands

const request = (data: Partial<RequestCommitment['data']> = {}): RequestCommitment => ({
  type: 'RequestCommitment',
  data: {
    commitmentId: COMMITMENT_ID,
    budgetId: 'budget-2025',
    budgetLineId: 'line-awareness',
    amount: { amount: 3_000_000n },
    purpose: PURPOSE,
    sourceType: 'CAMPAIGN',
    sourceId: CAMPAIGN_ID,
    requestId: REQUEST_ID,
    ...data,
  },
  metadata: meta(),
});
const citeQuotes = (quotes: string[] = QUOTES): CommitmentCommand => ({
  type: 'CiteQuotes',
  data: { commitmentId: COMMITMENT_ID, quotes },
  metadata: meta(),
});
const approve = (thresholds: Thresholds = THRESHOLDS): CommitmentCommand => ({
  type: 'ApproveCommitment',
  data: { commitmentId: COMMITMENT_ID, thresholds },
  metadata: meta(),
});
const reject = (reason = 'Ligne épuisée', thresholds: Thresholds = THRESHOLDS): CommitmentCommand => ({
  type: 'RejectCommitment',
  data: { commitmentId: COMMITMENT_ID, reason, thresholds },
  metadata: meta(),
});
const completeApproval = (): CommitmentCommand => ({
  type: 'CompleteApproval',
  data: { commitmentId: COMMITMENT_ID },
  metadata: meta(undefined, LATER),
});
const recordExpense = (data: Partial<RecordExpense['data']> = {}, ids: string[] = ['expense-1']): RecordExpense => ({
  type: 'RecordExpense',
  data: {
    commitmentId: COMMITMENT_ID,
    amount: { amount: 1_000_000n },
    supplier: 'Atlas Print',
    invoiceRef: 'F-2025-001',
    date: '2025-03-04',
    ...data,
  },
  metadata: meta(ids),
});
const release = (reason = 'Campagne annulée'): CommitmentCommand => ({
  type: 'ReleaseCommitment',
  data: { commitmentId: COMMITMENT_ID, reason },
  metadata: meta(),
});

// events

const requested = (data: Partial<CommitmentRequested['data']> = {}): CommitmentRequested => ({
  type: 'CommitmentRequested',
  data: {
    commitmentId: COMMITMENT_ID,
    budgetId: 'budget-2025',
    budgetLineId: 'line-awareness',
    amount: mad('3000000'),
    purpose: PURPOSE,
    sourceType: 'CAMPAIGN',
    sourceId: CAMPAIGN_ID,
    regions: [],
    requestId: REQUEST_ID,
    quotes: [],
    requestedAt: NOW,
    ...data,
  },
});
const decision = (amount = '3000000', decidedAt = NOW) => ({
  commitmentId: COMMITMENT_ID,
  requestId: REQUEST_ID,
  sourceType: 'CAMPAIGN' as const,
  sourceId: CAMPAIGN_ID,
  amount: mad(amount),
  decidedAt,
});
const approved = (amount?: string, decidedAt?: string): CommitmentEvent => ({
  type: 'CommitmentApproved',
  data: decision(amount, decidedAt),
});
const rejected: CommitmentEvent = { type: 'CommitmentRejected', data: { ...decision(), reason: 'Ligne épuisée' } };
const expense = (data: Partial<ExpenseRecorded['data']> = {}): ExpenseRecorded => ({
  type: 'ExpenseRecorded',
  data: {
    commitmentId: COMMITMENT_ID,
    expenseId: 'expense-1',
    amount: mad('1000000'),
    supplier: 'Atlas Print',
    invoiceRef: 'F-2025-001',
    date: '2025-03-04',
    ...data,
  },
});
const releasedEvent: CommitmentEvent = {
  type: 'CommitmentReleased',
  data: { commitmentId: COMMITMENT_ID, reason: 'Campagne annulée', releasedAt: NOW },
};

// histories

const pending = [requested()];
const inForce = [requested(), approved()];
const withExpense = [...inForce, expense()];

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

/** Commitments of `amount`, requested (with `quotes`) and approved under the default thresholds. */
const pendingOf = (amount: bigint, quotes: string[] = []) => [requested({ amount: mad(amount), quotes })];

const everyCommandOnACommitment = (): Array<[string, CommitmentCommand]> => [
  ['CiteQuotes', citeQuotes()],
  ['ApproveCommitment', approve()],
  ['RejectCommitment', reject()],
  ['CompleteApproval', completeApproval()],
  ['RecordExpense', recordExpense()],
  ['ReleaseCommitment', release()],
];

describe('Commitment ids', () => {
  it('name the year of their budget, so that the budget is found from the id alone', () => {
    expect(commitmentStreamId('budget-2026', '5d0e')).toBe('commitment-2026-5d0e');
    expect(budgetIdOfCommitment(commitmentStreamId('budget-2026', '5d0e'))).toBe('budget-2026');
    expect(budgetIdOfCommitment(commitmentStreamIdForRequest('budget-2025', 'r-1'))).toBe('budget-2025');
  });

  it.each(['commitment-5d0e', 'commitment-2026-', 'commitment-26-5d0e', 'budget-2026', 'x-commitment-2026-5d0e'])(
    'tell that %p names no budget (null)',
    (commitmentId) => {
      expect(budgetIdOfCommitment(commitmentId)).toBeNull();
    },
  );
});

describe('Commitment', () => {
  describe('when the stream is new', () => {
    it('is requested for a funding request, with the time from the metadata', () => {
      spec.given([]).when(request()).then([requested()]);
    });

    it('is requested by hand (no request id) with quotes, trimmed, in another currency', () => {
      const { requestId: _requestId, ...byHand } = requested({ quotes: ['DEV-1', 'DEV-2'], amount: { amount: '5', currency: 'EUR' } }).data;
      spec
        .when(request({ requestId: null, quotes: [' DEV-1 ', 'DEV-2'], amount: { amount: 5n, currency: 'EUR' } }))
        .then([{ type: 'CommitmentRequested', data: byHand }]);
    });

    it('is requested for 10^12 centimes exactly', () => {
      spec.when(request({ amount: { amount: TERA } })).then([requested({ amount: mad('1000000000000') })]);
    });

    it('is requested with the regions of its source, each once', () => {
      spec.when(request({ regions: ['MA-06', 'NATIONAL', 'MA-06'] })).then([requested({ regions: ['MA-06', 'NATIONAL'] })]);
    });

    it('is requested without regions (none given, or null) as an empty list', () => {
      spec.when(request({ regions: null })).then([requested({ regions: [] })]);
      spec.when(request({ regions: [] })).then([requested({ regions: [] })]);
    });

    it('derives the stream of a funding request from its budget and its id', () => {
      const commitmentId = commitmentStreamIdForRequest('budget-2025', 'campaign-1.funding-request');
      expect(commitmentId).toBe('commitment-2025-req-campaign-1.funding-request');
      spec.when(request({ commitmentId })).then([requested({ commitmentId })]);
    });

    const invalid: Array<[string, Partial<RequestCommitment['data']>, string]> = [
      ['an id without the commitment- prefix', { commitmentId: '5d0e' }, 'commitmentId'],
      ['a blank budget line', { budgetLineId: ' ' }, 'budgetLineId'],
      ['a zero amount', { amount: { amount: 0n } }, 'amount.amount'],
      ['a negative amount', { amount: { amount: -1n } }, 'amount.amount'],
      ['an amount beyond 64 bits', { amount: { amount: 2n ** 63n } }, 'amount.amount'],
      ['a lowercase currency', { amount: { amount: 1n, currency: 'mad' } }, 'amount.currency'],
      ['a purpose without French', { purpose: { fr: ' ' } }, 'purpose.fr'],
      ['an unknown source type', { sourceType: 'DOSSIER' as never }, 'sourceType'],
      ['a blank source id', { sourceId: '' }, 'sourceId'],
      ['the same quote twice', { quotes: ['DEV-1', ' dev-1'] }, 'quotes'],
      ['a blank quote', { quotes: [' '] }, 'quotes'],
      ['an unknown region', { regions: ['MA-13'] }, 'regions'],
      ['a region in lowercase', { regions: ['ma-06'] }, 'regions'],
      ['regions that are not a list', { regions: 'MA-06' as never }, 'regions'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(request(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it.each(everyCommandOnACommitment())('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('when requested', () => {
    it('ignores the same funding request delivered again', () => {
      spec.given(pending).when(request()).thenNothingHappened();
    });

    it('refuses another request on the same stream', () => {
      spec
        .given(pending)
        .when(request({ requestId: 'request-other' }))
        .thenThrows(IllegalStateError, ruleOf(CommitmentRules.requestAlreadyExists));
      spec
        .given([requested({ requestId: undefined })])
        .when(request({ requestId: null }))
        .thenThrows(IllegalStateError, ruleOf(CommitmentRules.requestAlreadyExists));
    });

    it('cites quotes, keeping only those not cited yet', () => {
      spec
        .given([requested({ quotes: ['DEV-101 Atlas Print'] })])
        .when(citeQuotes())
        .then([{ type: 'QuotesCited', data: { commitmentId: COMMITMENT_ID, quotes: QUOTES.slice(1) } }]);
    });

    it('ignores quotes all cited already', () => {
      spec
        .given([requested({ quotes: QUOTES })])
        .when(citeQuotes(['dev-101  atlas print']))
        .thenNothingHappened();
    });

    it('is approved, with the integration payload', () => {
      spec.given(pending).when(approve()).then([approved()]);
    });

    describe('completing the approval (the budget has committed its amount)', () => {
      it('is approved, decided at the time of the completion', () => {
        spec
          .given(pending)
          .when(completeApproval())
          .then([approved(undefined, LATER)]);
      });

      it('is approved above the procurement threshold without looking at the quotes again (checked before the budget committed)', () => {
        spec
          .given(pendingOf(PROCUREMENT + 1n))
          .when(completeApproval())
          .then([approved(String(PROCUREMENT + 1n), LATER)]);
      });
    });

    it('is rejected with a reason, trimmed', () => {
      spec.given(pending).when(reject('  Ligne épuisée ')).then([rejected]);
    });

    it.each([
      ['just below', APPROVAL - 1n],
      ['at', APPROVAL],
      ['just above', APPROVAL + 1n],
    ])('is rejected %s the approval threshold (who may is the policy’s rule)', (_where, amount) => {
      spec
        .given(pendingOf(amount))
        .when(reject())
        .then([{ type: 'CommitmentRejected', data: { ...decision(String(amount)), reason: 'Ligne épuisée' } }]);
    });

    it('refuses a rejection without a reason', () => {
      const error = spec.given(pending).when(reject(' ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('refuses expenses before approval', () => {
      spec.given(pending).when(recordExpense()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseRequiresApproved));
    });

    it('is withdrawn (released) when its source is cancelled', () => {
      spec.given(pending).when(release()).then([releasedEvent]);
    });

    it('refuses thresholds in another currency', () => {
      spec
        .given(pending)
        .when(approve({ approval: { amount: '1', currency: 'EUR' }, procurement: { amount: '1', currency: 'EUR' } }))
        .thenThrows(IllegalStateError, ruleOf(CommitmentRules.currencyMismatch));
    });

    describe('at the procurement threshold', () => {
      it.each([
        ['just below', PROCUREMENT - 1n],
        ['at', PROCUREMENT],
      ])('%s it, approves without quotes', (_where, amount) => {
        spec
          .given(pendingOf(amount))
          .when(approve())
          .then([approved(String(amount))]);
      });

      it('just above it, refuses approval without three quotes', () => {
        spec
          .given(pendingOf(PROCUREMENT + 1n))
          .when(approve())
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.approveRequiresQuotes));
        spec
          .given(pendingOf(PROCUREMENT + 1n, QUOTES.slice(0, 2)))
          .when(approve())
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.approveRequiresQuotes));
      });

      it('just above it, approves with three quotes, cited with the request or after it', () => {
        spec
          .given(pendingOf(PROCUREMENT + 1n, QUOTES))
          .when(approve())
          .then([approved(String(PROCUREMENT + 1n))]);
        spec
          .given([
            ...pendingOf(PROCUREMENT + 1n, QUOTES.slice(0, 1)),
            { type: 'QuotesCited', data: { commitmentId: COMMITMENT_ID, quotes: QUOTES.slice(1) } },
          ])
          .when(approve())
          .then([approved(String(PROCUREMENT + 1n))]);
      });

      it('applies the thresholds in force at the decision', () => {
        const raised: Thresholds = { approval: mad(TERA), procurement: mad(TERA) };
        spec
          .given(pendingOf(TERA))
          .when(approve(raised))
          .then([approved(String(TERA))]);
        spec
          .given(pendingOf(TERA + 1n))
          .when(approve(raised))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.approveRequiresQuotes));
      });
    });

    it.each([
      ['just below', APPROVAL - 1n],
      ['at', APPROVAL],
      ['just above', APPROVAL + 1n],
    ])('approves %s the approval threshold (who may is the policy’s rule)', (_where, amount) => {
      spec
        .given(pendingOf(amount))
        .when(approve())
        .then([approved(String(amount))]);
    });
  });

  describe('when approved', () => {
    it('ignores a second approval', () => {
      spec.given(inForce).when(approve()).thenNothingHappened();
    });

    it('ignores the completion of its approval (the approval got there first)', () => {
      spec.given(inForce).when(completeApproval()).thenNothingHappened();
    });

    it('refuses a rejection', () => {
      spec.given(inForce).when(reject()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.rejectRequiresRequested));
    });

    it('refuses quotes after the decision', () => {
      spec.given(inForce).when(citeQuotes()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.quotesRequireRequested));
    });

    describe('recording expenses', () => {
      it('records an expense with the id from the metadata, texts trimmed', () => {
        spec
          .given(inForce)
          .when(recordExpense({ supplier: ' Atlas Print ', invoiceRef: ' F-2025-001' }))
          .then([expense()]);
      });

      it('records expenses up to the commitment, and not a centime more', () => {
        const history = [...inForce, expense({ amount: mad('2000000') })];
        spec
          .given(history)
          .when(recordExpense({ invoiceRef: 'F-2', amount: { amount: 1_000_000n } }, ['expense-2']))
          .then([expense({ expenseId: 'expense-2', invoiceRef: 'F-2' })]);
        spec
          .given(history)
          .when(recordExpense({ invoiceRef: 'F-2', amount: { amount: 1_000_001n } }, ['expense-2']))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseExceedsCommitment));
      });

      it('records expenses of 10^12 centimes exactly, to the last centime', () => {
        const big = [requested({ amount: mad(2n * TERA + 1n) }), approved(String(2n * TERA + 1n))];
        const first = expense({ amount: mad(TERA) });
        const events = spec
          .given([...big, first])
          .when(recordExpense({ invoiceRef: 'F-2', amount: { amount: TERA + 1n } }, ['expense-2']))
          .then([expense({ expenseId: 'expense-2', invoiceRef: 'F-2', amount: mad(TERA + 1n) })]);
        const state = fold([...big, first, ...events]);
        expect(exists(state) && remainingOf(state)).toBe(0n);
        spec
          .given([...big, first])
          .when(recordExpense({ invoiceRef: 'F-2', amount: { amount: TERA + 2n } }, ['expense-2']))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseExceedsCommitment));
      });

      it('ignores the same invoice recorded again (same supplier, reference, amount and date)', () => {
        spec
          .given(withExpense)
          .when(recordExpense({ supplier: 'ATLAS  print' }, ['expense-2']))
          .thenNothingHappened();
      });

      it('refuses an invoice reference already recorded for the supplier, with another amount or date', () => {
        spec
          .given(withExpense)
          .when(recordExpense({ amount: { amount: 2n } }, ['expense-2']))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseDuplicateInvoice));
        spec
          .given(withExpense)
          .when(recordExpense({ date: '2025-03-01' }, ['expense-2']))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseDuplicateInvoice));
      });

      it('records the same invoice reference from another supplier', () => {
        spec
          .given(withExpense)
          .when(recordExpense({ supplier: 'Sud Graphic' }, ['expense-2']))
          .then([expense({ expenseId: 'expense-2', supplier: 'Sud Graphic' })]);
      });

      it('refuses an expense in another currency', () => {
        spec
          .given(inForce)
          .when(recordExpense({ amount: { amount: 1n, currency: 'EUR' } }))
          .thenThrows(IllegalStateError, ruleOf(CommitmentRules.currencyMismatch));
      });

      const invalid: Array<[string, Partial<RecordExpense['data']>, string]> = [
        ['a blank supplier', { supplier: ' ' }, 'supplier'],
        ['a blank invoice reference', { invoiceRef: '' }, 'invoiceRef'],
        ['a date that does not exist', { date: '2025-02-30' }, 'date'],
        ['a date in the future', { date: '2025-03-06' }, 'date'],
        ['a zero amount', { amount: { amount: 0n } }, 'amount.amount'],
      ];
      it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
        const error = spec.given(inForce).when(recordExpense(data)).thenThrows(ValidationError);
        expect(error.field).toBe(field);
      });

      describe('an expense the budget has spent (its id in the command)', () => {
        const BUDGET_EXPENSE = 'expense-from-budget-3';

        it('is recorded under that id, not a fresh one', () => {
          spec
            .given(inForce)
            .when(recordExpense({ expenseId: BUDGET_EXPENSE }, ['expense-fresh']))
            .then([expense({ expenseId: BUDGET_EXPENSE })]);
          spec
            .given(inForce)
            .when(recordExpense({ expenseId: BUDGET_EXPENSE }, []))
            .then([expense({ expenseId: BUDGET_EXPENSE })]);
        });

        it('is ignored when delivered again', () => {
          spec
            .given([...inForce, expense({ expenseId: BUDGET_EXPENSE })])
            .when(recordExpense({ expenseId: BUDGET_EXPENSE }, ['expense-fresh']))
            .thenNothingHappened();
        });

        it('is ignored when its id is recorded already, even with another invoice', () => {
          spec
            .given([...inForce, expense({ expenseId: BUDGET_EXPENSE })])
            .when(recordExpense({ expenseId: BUDGET_EXPENSE, invoiceRef: 'F-2025-002' }))
            .thenNothingHappened();
        });

        it('takes the fresh id of the metadata when the id is null', () => {
          spec
            .given(inForce)
            .when(recordExpense({ expenseId: null }, ['expense-1']))
            .then([expense()]);
        });

        it('refuses a blank id, naming the field', () => {
          const error = spec
            .given(inForce)
            .when(recordExpense({ expenseId: ' ' }))
            .thenThrows(ValidationError);
          expect(error.field).toBe('expenseId');
        });

        it('fails loudly when there is neither an id nor a fresh one in the metadata', () => {
          spec
            .given(inForce)
            .when(recordExpense({}, []))
            .thenThrows(Error, { message: /expenseId/ });
        });
      });

      it('accepts an invoice dated the day it is recorded', () => {
        spec
          .given(inForce)
          .when(recordExpense({ date: '2025-03-05' }))
          .then([expense({ date: '2025-03-05' })]);
      });
    });

    it('is released when its source is cancelled and nothing was spent', () => {
      spec.given(inForce).when(release()).then([releasedEvent]);
    });

    it('refuses release once something was spent', () => {
      spec.given(withExpense).when(release()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.releaseHasExpenses));
    });

    it('refuses a release without a reason', () => {
      const error = spec.given(inForce).when(release(' ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });
  });

  describe('when rejected', () => {
    const history = [...pending, rejected];

    it('ignores a second rejection', () => {
      spec.given(history).when(reject()).thenNothingHappened();
    });

    it('ignores the completion of an approval (the rejection won; the budget gives the funds back)', () => {
      spec.given(history).when(completeApproval()).thenNothingHappened();
    });

    it('refuses approval', () => {
      spec.given(history).when(approve()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.approveRequiresRequested));
    });

    it('refuses expenses', () => {
      spec.given(history).when(recordExpense()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseRequiresApproved));
    });

    it('ignores a release (nothing was committed)', () => {
      spec.given(history).when(release()).thenNothingHappened();
    });
  });

  describe('when released', () => {
    const history = [...inForce, releasedEvent];

    it('ignores a second release', () => {
      spec.given(history).when(release()).thenNothingHappened();
    });

    it('ignores the completion of an approval, whether it was approved or withdrawn before', () => {
      spec.given(history).when(completeApproval()).thenNothingHappened();
      spec
        .given([...pending, releasedEvent])
        .when(completeApproval())
        .thenNothingHappened();
    });

    it('refuses approval, rejection, quotes and expenses', () => {
      spec.given(history).when(approve()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.approveRequiresRequested));
      spec.given(history).when(reject()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.rejectRequiresRequested));
      spec.given(history).when(citeQuotes()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.quotesRequireRequested));
      spec.given(history).when(recordExpense()).thenThrows(IllegalStateError, ruleOf(CommitmentRules.expenseRequiresApproved));
    });
  });
});
