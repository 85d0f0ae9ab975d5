import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { BudgetCommand, DraftBudget, ReallocateFunds, SetBudgetThresholds } from './budget.decider';
import { BudgetRules, budgetDecider } from './budget.decider';
import type {
  BudgetDrafted,
  BudgetEvent,
  CommitmentVoided,
  FundsCommitted,
  FundsReallocated,
  FundsReleased,
  FundsSpent,
  Thresholds,
} from './budget.events';
import {
  budgetIdOfLine,
  budgetLineId,
  budgetTotal,
  evolve,
  exists,
  findLine,
  initialState,
  invoiceKey,
  lineAvailable,
} from './budget.events';

// ---------- fixtures ----------

const BUDGET_ID = 'budget-2025';
const AWARENESS = 'line-awareness';
const TRAINING = 'line-training';
const COMMITMENT_ID = 'commitment-7a1c';
const OTHER_COMMITMENT_ID = 'commitment-9f3b';
const NOW = '2025-01-10T09:00:00.000Z';
/** 10^12 centimes = 10 billion MAD: beyond 2^32 alone, beyond 2^53 once summed a few thousand times. */
const TERA = 1_000_000_000_000n;

const meta = (ids?: string[]): CommandMetadata => ({
  now: NOW,
  actor: { subject: 'kc-director', username: 'director' },
  correlationId: 'corr-1',
  ...(ids !== undefined ? { ids } : {}),
});

const spec = DeciderSpecification.for(budgetDecider);
const mad = (amount: bigint | string) => ({ amount: String(amount), currency: 'MAD' });
const DEFAULT_THRESHOLDS: Thresholds = { approval: mad('5000000'), procurement: mad('20000000') };

interface Invoice {
  readonly supplier: string;
  readonly invoiceRef: string;
  readonly date: string;
}
/** Each expense has an invoice of its own (`F-<expense id>` of Atlas Print) unless a test says otherwise. */
const invoiceOf = (expenseId: string, invoice: Partial<Invoice> = {}): Invoice => ({
  supplier: 'Atlas Print',
  invoiceRef: `F-${expenseId}`,
  date: '2025-01-09',
  ...invoice,
});

// commands

const draft = (data: Partial<DraftBudget['data']> = {}, ids: string[] = [AWARENESS, TRAINING]): DraftBudget => ({
  type: 'DraftBudget',
  data: {
    budgetId: BUDGET_ID,
    fiscalYear: 2025,
    lines: [
      { programmeArea: 'AWARENESS', allocated: { amount: 100_000_000n } },
      { programmeArea: 'TRAINING', label: 'Formation des magistrats', allocated: { amount: 50_000_000n, currency: 'MAD' } },
    ],
    ...data,
  },
  metadata: meta(ids),
});
const setThresholds = (approval: bigint, procurement: bigint, currency?: string): SetBudgetThresholds => ({
  type: 'SetBudgetThresholds',
  data: { budgetId: BUDGET_ID, thresholds: { approval: { amount: approval, currency }, procurement: { amount: procurement, currency } } },
  metadata: meta(),
});
const approve = (): BudgetCommand => ({ type: 'ApproveBudget', data: { budgetId: BUDGET_ID }, metadata: meta() });
const close = (): BudgetCommand => ({ type: 'CloseBudget', data: { budgetId: BUDGET_ID }, metadata: meta() });
const reallocate = (data: Partial<ReallocateFunds['data']> = {}, ids: string[] = ['realloc-1']): ReallocateFunds => ({
  type: 'ReallocateFunds',
  data: {
    budgetId: BUDGET_ID,
    fromLineId: AWARENESS,
    toLineId: TRAINING,
    amount: { amount: 10_000_000n },
    reason: 'Priorité formation',
    ...data,
  },
  metadata: meta(ids),
});
const commit = (amount: bigint | string = 30_000_000n, commitmentId = COMMITMENT_ID, lineId = AWARENESS): BudgetCommand => ({
  type: 'CommitFunds',
  data: { budgetId: BUDGET_ID, lineId, commitmentId, amount: mad(amount) },
  metadata: meta(),
});
const release = (commitmentId = COMMITMENT_ID): BudgetCommand => ({
  type: 'ReleaseFunds',
  data: { budgetId: BUDGET_ID, commitmentId },
  metadata: meta(),
});
const spend = (
  amount: bigint | string = 10_000_000n,
  expenseId = 'expense-1',
  commitmentId = COMMITMENT_ID,
  invoice: Partial<Invoice> = {},
): BudgetCommand => ({
  type: 'SpendFunds',
  data: { budgetId: BUDGET_ID, commitmentId, expenseId, amount: mad(amount), ...invoiceOf(expenseId, invoice) },
  metadata: meta(),
});

// events

const drafted = (data: Partial<BudgetDrafted['data']> = {}): BudgetDrafted => ({
  type: 'BudgetDrafted',
  data: {
    budgetId: BUDGET_ID,
    fiscalYear: 2025,
    currency: 'MAD',
    lines: [
      { lineId: AWARENESS, programmeArea: 'AWARENESS', allocated: mad('100000000') },
      { lineId: TRAINING, programmeArea: 'TRAINING', label: 'Formation des magistrats', allocated: mad('50000000') },
    ],
    thresholds: DEFAULT_THRESHOLDS,
    ...data,
  },
});
const approved: BudgetEvent = { type: 'BudgetApproved', data: { budgetId: BUDGET_ID } };
const closed: BudgetEvent = { type: 'BudgetClosed', data: { budgetId: BUDGET_ID } };
const reallocated = (amount = '10000000', reallocationId = 'realloc-1'): FundsReallocated => ({
  type: 'FundsReallocated',
  data: {
    budgetId: BUDGET_ID,
    reallocationId,
    fromLineId: AWARENESS,
    toLineId: TRAINING,
    amount: mad(amount),
    reason: 'Priorité formation',
  },
});
const committed = (amount = '30000000', commitmentId = COMMITMENT_ID, lineId = AWARENESS): FundsCommitted => ({
  type: 'FundsCommitted',
  data: { budgetId: BUDGET_ID, lineId, commitmentId, amount: mad(amount) },
});
const released = (amount = '30000000', commitmentId = COMMITMENT_ID): FundsReleased => ({
  type: 'FundsReleased',
  data: { budgetId: BUDGET_ID, lineId: AWARENESS, commitmentId, amount: mad(amount) },
});
const spent = (
  amount = '10000000',
  expenseId = 'expense-1',
  commitmentId = COMMITMENT_ID,
  invoice: Partial<Invoice> = {},
  lineId = AWARENESS,
): FundsSpent => ({
  type: 'FundsSpent',
  data: { budgetId: BUDGET_ID, lineId, commitmentId, expenseId, amount: mad(amount), ...invoiceOf(expenseId, invoice) },
});
const voided = (commitmentId = COMMITMENT_ID): CommitmentVoided => ({
  type: 'CommitmentVoided',
  data: { budgetId: BUDGET_ID, commitmentId },
});

// histories

const inDraft = [drafted()];
const inForce = [drafted(), approved];
const withCommitment = [...inForce, committed()];
const closedBudget = [...inForce, closed];

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });
const fold = (events: readonly BudgetEvent[]) => events.reduce(evolve, initialState());

/** Every command on an existing budget, for the "not found" and "closed" situations. */
const everyCommandOnABudget = (): Array<[string, BudgetCommand]> => [
  ['SetBudgetThresholds', setThresholds(1n, 2n)],
  ['ApproveBudget', approve()],
  ['ReallocateFunds', reallocate()],
  ['CloseBudget', close()],
  ['CommitFunds', commit()],
  ['ReleaseFunds', release()],
  ['SpendFunds', spend()],
];

describe('Budget', () => {
  describe('when the stream is new', () => {
    it('drafts a budget with its lines, the ids from the metadata, MAD and the default thresholds', () => {
      spec.given([]).when(draft()).then([drafted()]);
    });

    it('drafts with thresholds of its own', () => {
      spec
        .when(draft({ thresholds: { approval: { amount: 1_000_000n }, procurement: { amount: 9_000_000n } } }))
        .then([drafted({ thresholds: { approval: mad('1000000'), procurement: mad('9000000') } })]);
    });

    it('drafts lines of 10^12 centimes each, exactly, and their total too', () => {
      const events = spec
        .when(
          draft(
            {
              lines: [
                { programmeArea: 'AWARENESS', allocated: { amount: TERA } },
                { programmeArea: 'OPERATIONS', allocated: { amount: TERA + 1n } },
              ],
            },
            ['a', 'b'],
          ),
        )
        .then([
          drafted({
            lines: [
              { lineId: 'a', programmeArea: 'AWARENESS', allocated: mad('1000000000000') },
              { lineId: 'b', programmeArea: 'OPERATIONS', allocated: mad('1000000000001') },
            ],
          }),
        ]);
      const budget = fold(events);
      expect(exists(budget) && budgetTotal(budget)).toBe(2n * TERA + 1n);
    });

    it('accepts two lines of one programme area with different labels, and a zero allocation', () => {
      spec
        .when(
          draft({
            lines: [
              { programmeArea: 'AWARENESS', label: 'Nord', allocated: { amount: 0n } },
              { programmeArea: 'AWARENESS', label: 'Sud', allocated: { amount: 1n } },
            ],
          }),
        )
        .then([
          drafted({
            lines: [
              { lineId: AWARENESS, programmeArea: 'AWARENESS', label: 'Nord', allocated: mad('0') },
              { lineId: TRAINING, programmeArea: 'AWARENESS', label: 'Sud', allocated: mad('1') },
            ],
          }),
        ]);
    });

    const invalid: Array<[string, Partial<DraftBudget['data']>, string]> = [
      ['a budget id that is not budget-<year>', { budgetId: 'budget-2024' }, 'budgetId'],
      ['a fiscal year that is not a year', { fiscalYear: 25 }, 'fiscalYear'],
      ['a fractional fiscal year', { fiscalYear: 2025.5 }, 'fiscalYear'],
      ['a lowercase currency', { currency: 'mad' }, 'currency'],
      ['no line', { lines: [] }, 'lines'],
      ['an unknown programme area', { lines: [{ programmeArea: 'TOURISM' as never, allocated: { amount: 1n } }] }, 'lines'],
      [
        'two lines of one area without labels',
        {
          lines: [
            { programmeArea: 'AWARENESS', allocated: { amount: 1n } },
            { programmeArea: 'AWARENESS', allocated: { amount: 1n } },
          ],
        },
        'lines',
      ],
      ['a negative allocation', { lines: [{ programmeArea: 'AWARENESS', allocated: { amount: -1n } }] }, 'lines.allocated.amount'],
      [
        'an allocation given as a float',
        { lines: [{ programmeArea: 'AWARENESS', allocated: { amount: 1.5 as never } }] },
        'lines.allocated.amount',
      ],
      [
        'a total beyond 64 bits',
        {
          lines: [
            { programmeArea: 'AWARENESS', allocated: { amount: 2n ** 62n } },
            { programmeArea: 'TRAINING', allocated: { amount: 2n ** 62n } },
          ],
        },
        'lines',
      ],
      ['a negative threshold', { thresholds: { approval: { amount: -1n }, procurement: { amount: 1n } } }, 'thresholds.approval.amount'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(draft(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('refuses a line in another currency than the budget', () => {
      spec
        .when(draft({ lines: [{ programmeArea: 'AWARENESS', allocated: { amount: 1n, currency: 'EUR' } }] }))
        .thenThrows(IllegalStateError, ruleOf(BudgetRules.currencyMismatch));
    });

    it('fails loudly when the adapter brings fewer line ids than lines', () => {
      spec.when(draft({}, [AWARENESS])).thenThrows(Error, { message: /fresh line id/ });
    });

    it.each(everyCommandOnABudget().filter(([name]) => name !== 'ReleaseFunds'))('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('releases nothing on a budget that does not exist (nothing was ever committed there): a no-op', () => {
      spec.given([]).when(release()).then([]);
    });
  });

  describe('when drafted', () => {
    it('refuses a second draft of the year', () => {
      spec.given(inDraft).when(draft()).thenThrows(IllegalStateError, ruleOf(BudgetRules.draftAlreadyExists));
    });

    it('is approved', () => {
      spec.given(inDraft).when(approve()).then([approved]);
    });

    it('refuses approval when it allocates nothing', () => {
      spec
        .given([drafted({ lines: [{ lineId: AWARENESS, programmeArea: 'AWARENESS', allocated: mad('0') }] })])
        .when(approve())
        .thenThrows(IllegalStateError, ruleOf(BudgetRules.approveRequiresAllocation));
    });

    it('sets the thresholds, as an event', () => {
      spec
        .given(inDraft)
        .when(setThresholds(6_000_000n, 25_000_000n))
        .then([
          {
            type: 'BudgetThresholdsSet',
            data: { budgetId: BUDGET_ID, thresholds: { approval: mad('6000000'), procurement: mad('25000000') } },
          },
        ]);
    });

    it('ignores thresholds equal to those in force', () => {
      spec.given(inDraft).when(setThresholds(5_000_000n, 20_000_000n)).thenNothingHappened();
    });

    it('refuses thresholds in another currency', () => {
      spec
        .given(inDraft)
        .when(setThresholds(1n, 2n, 'EUR'))
        .thenThrows(IllegalStateError, ruleOf(BudgetRules.currencyMismatch));
    });

    it('reallocates between lines before approval too', () => {
      spec.given(inDraft).when(reallocate()).then([reallocated()]);
    });

    it('commits nothing before approval', () => {
      spec.given(inDraft).when(commit()).thenThrows(IllegalStateError, ruleOf(BudgetRules.commitRequiresApproved));
    });

    it('refuses to close before approval', () => {
      spec.given(inDraft).when(close()).thenThrows(IllegalStateError, ruleOf(BudgetRules.closeRequiresApproved));
    });
  });

  describe('when approved', () => {
    it('ignores a second approval', () => {
      spec.given(inForce).when(approve()).thenNothingHappened();
    });

    it('refuses a draft of the same year', () => {
      spec.given(inForce).when(draft()).thenThrows(IllegalStateError, ruleOf(BudgetRules.draftAlreadyExists));
    });

    it('changes its thresholds (a decree during the year)', () => {
      spec
        .given(inForce)
        .when(setThresholds(7_500_000n, 30_000_000n))
        .then([
          {
            type: 'BudgetThresholdsSet',
            data: { budgetId: BUDGET_ID, thresholds: { approval: mad('7500000'), procurement: mad('30000000') } },
          },
        ]);
    });

    describe('reallocating', () => {
      it('moves money between two lines with a reason, trimmed, keeping the total', () => {
        const events = spec
          .given(inForce)
          .when(reallocate({ reason: '  Priorité formation ' }))
          .then([reallocated()]);
        const before = fold(inForce);
        const after = fold([...inForce, ...events]);
        expect(exists(before) && exists(after) && budgetTotal(after) === budgetTotal(before)).toBe(true);
        expect(exists(after) && findLine(after, TRAINING)?.allocated).toBe('60000000');
      });

      it('moves everything the line has not committed, and not a centime more', () => {
        spec
          .given(withCommitment)
          .when(reallocate({ amount: { amount: 70_000_000n } }))
          .then([reallocated('70000000')]);
        spec
          .given(withCommitment)
          .when(reallocate({ amount: { amount: 70_000_001n } }))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.reallocateExceedsAvailable));
      });

      it('moves 10^12 centimes exactly', () => {
        const big = [
          drafted({
            lines: [
              { lineId: AWARENESS, programmeArea: 'AWARENESS', allocated: mad(3n * TERA) },
              { lineId: TRAINING, programmeArea: 'TRAINING', allocated: mad(TERA) },
            ],
          }),
          approved,
        ];
        const events = spec
          .given(big)
          .when(reallocate({ amount: { amount: TERA + 1n } }))
          .then([reallocated('1000000000001')]);
        const budget = fold([...big, ...events]);
        expect(exists(budget) && budget.lines.map((l) => l.allocated)).toEqual(['1999999999999', '2000000000001']);
        expect(exists(budget) && budgetTotal(budget)).toBe(4n * TERA);
      });

      it('ignores a reallocation it has already recorded (same id)', () => {
        spec
          .given([...inForce, reallocated()])
          .when(reallocate())
          .thenNothingHappened();
      });

      it('records a second reallocation with another id', () => {
        spec
          .given([...inForce, reallocated()])
          .when(reallocate({}, ['realloc-2']))
          .then([reallocated('10000000', 'realloc-2')]);
      });

      const invalid: Array<[string, Partial<ReallocateFunds['data']>, string]> = [
        ['without a reason', { reason: '  ' }, 'reason'],
        ['to the same line', { toLineId: AWARENESS }, 'toLineId'],
        ['of zero', { amount: { amount: 0n } }, 'amount.amount'],
        ['of a negative amount', { amount: { amount: -5n } }, 'amount.amount'],
      ];
      it.each(invalid)('refuses a reallocation %s', (_what, data, field) => {
        const error = spec.given(inForce).when(reallocate(data)).thenThrows(ValidationError);
        expect(error.field).toBe(field);
      });

      it('refuses a reallocation in another currency', () => {
        spec
          .given(inForce)
          .when(reallocate({ amount: { amount: 1n, currency: 'EUR' } }))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.currencyMismatch));
      });

      it('refuses an unknown line as NOT_FOUND', () => {
        spec
          .given(inForce)
          .when(reallocate({ fromLineId: 'line-x' }))
          .thenThrows(NotFoundError);
        spec
          .given(inForce)
          .when(reallocate({ toLineId: 'line-x' }))
          .thenThrows(NotFoundError);
      });
    });

    describe('committing', () => {
      it('commits a commitment on its line', () => {
        spec.given(inForce).when(commit()).then([committed()]);
      });

      it('commits the whole allocation, and not a centime more', () => {
        spec
          .given(inForce)
          .when(commit(100_000_000n))
          .then([committed('100000000')]);
        spec.given(inForce).when(commit(100_000_001n)).thenThrows(IllegalStateError, ruleOf(BudgetRules.commitExceedsAvailable));
      });

      it('refuses the second of two approvals that together exceed the line (the race, decided on the fresh state)', () => {
        spec
          .given([...inForce, committed('60000000', 'commitment-a')])
          .when(commit(60_000_000n, 'commitment-b'))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.commitExceedsAvailable));
      });

      it('commits 10^12 centimes exactly, up to the last centime', () => {
        const big = [drafted({ lines: [{ lineId: AWARENESS, programmeArea: 'AWARENESS', allocated: mad(2n * TERA) }] }), approved];
        const history = [...big, committed(String(TERA), 'commitment-a')];
        spec
          .given(history)
          .when(commit(TERA, 'commitment-b'))
          .then([committed(String(TERA), 'commitment-b')]);
        spec
          .given(history)
          .when(commit(TERA + 1n, 'commitment-b'))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.commitExceedsAvailable));
        const budget = fold([...history, committed(String(TERA), 'commitment-b')]);
        expect(exists(budget) && lineAvailable(budget.lines[0])).toBe(0n);
      });

      it('ignores the same commitment committed again', () => {
        spec.given(withCommitment).when(commit()).thenNothingHappened();
      });

      it('refuses the same commitment id with another amount', () => {
        spec.given(withCommitment).when(commit(1n)).thenThrows(IllegalStateError, ruleOf(BudgetRules.commitConflict));
      });

      it('refuses the same commitment id on another line', () => {
        spec
          .given(withCommitment)
          .when(commit(30_000_000n, COMMITMENT_ID, TRAINING))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.commitConflict));
      });

      it('refuses a commitment voided before its approval got here (the approval lost the race)', () => {
        spec
          .given([...inForce, voided()])
          .when(commit())
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.commitVoided));
      });

      it('commits another commitment next to a voided one', () => {
        spec
          .given([...inForce, voided()])
          .when(commit(30_000_000n, OTHER_COMMITMENT_ID))
          .then([committed('30000000', OTHER_COMMITMENT_ID)]);
      });

      it('ignores a late redelivery of the approval of a released commitment: its amount stays released', () => {
        spec
          .given([...withCommitment, released()])
          .when(commit())
          .thenNothingHappened();
      });

      it('refuses to commit a released commitment again with another amount', () => {
        spec
          .given([...withCommitment, released()])
          .when(commit(1n))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.commitConflict));
      });

      it('refuses an unknown line as NOT_FOUND', () => {
        spec
          .given(inForce)
          .when(commit(1n, COMMITMENT_ID, 'line-x'))
          .thenThrows(NotFoundError);
      });

      it('refuses another currency', () => {
        spec
          .given(inForce)
          .when({
            type: 'CommitFunds',
            data: { budgetId: BUDGET_ID, lineId: AWARENESS, commitmentId: COMMITMENT_ID, amount: { amount: '1', currency: 'EUR' } },
            metadata: meta(),
          })
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.currencyMismatch));
      });

      it('refuses a zero amount', () => {
        spec.given(inForce).when(commit(0n)).thenThrows(ValidationError);
      });
    });

    describe('spending', () => {
      it('spends on a committed commitment, with the supplier, invoice and date', () => {
        spec.given(withCommitment).when(spend()).then([spent()]);
      });

      it('trims the supplier and the invoice reference', () => {
        spec
          .given(withCommitment)
          .when(spend(10_000_000n, 'expense-1', COMMITMENT_ID, { supplier: '  Atlas Print ', invoiceRef: ' F-expense-1 ' }))
          .then([spent()]);
      });

      it('spends 10^12 centimes exactly, to the last centime', () => {
        const big = [
          drafted({ lines: [{ lineId: AWARENESS, programmeArea: 'AWARENESS', allocated: mad(2n * TERA) }] }),
          approved,
          committed(String(2n * TERA)),
          spent(String(TERA)),
        ];
        spec
          .given(big)
          .when(spend(TERA, 'expense-2'))
          .then([spent(String(TERA), 'expense-2')]);
        spec
          .given([...big, spent(String(TERA - 1n), 'expense-2')])
          .when(spend(2n, 'expense-3'))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendExceedsCommitment));
      });

      it('spends the whole commitment, and not a centime more', () => {
        spec
          .given([...withCommitment, spent('20000000')])
          .when(spend(10_000_000n, 'expense-2'))
          .then([spent('10000000', 'expense-2')]);
        spec
          .given([...withCommitment, spent('20000000')])
          .when(spend(10_000_001n, 'expense-2'))
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendExceedsCommitment));
      });

      it('ignores an expense it has already counted', () => {
        spec
          .given([...withCommitment, spent()])
          .when(spend())
          .thenNothingHappened();
      });

      it('ignores an expense it has already counted, even when its invoice is the one it recorded', () => {
        const history = [...withCommitment, spent('10000000', 'expense-1', COMMITMENT_ID, { invoiceRef: 'F-2025-001' })];
        spec
          .given(history)
          .when(spend(10_000_000n, 'expense-1', COMMITMENT_ID, { invoiceRef: 'F-2025-001' }))
          .thenNothingHappened();
      });

      it('refuses to spend on a commitment it never committed, released or voided', () => {
        spec.given(inForce).when(spend()).thenThrows(IllegalStateError, ruleOf(BudgetRules.spendUnknownCommitment));
        spec
          .given([...withCommitment, released()])
          .when(spend())
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendUnknownCommitment));
        spec
          .given([...inForce, voided()])
          .when(spend())
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendUnknownCommitment));
      });

      const invalid: Array<[string, Partial<Invoice>, string]> = [
        ['a blank supplier', { supplier: ' ' }, 'supplier'],
        ['a blank invoice reference', { invoiceRef: '' }, 'invoiceRef'],
        ['an invoice reference of 101 characters', { invoiceRef: 'F'.repeat(101) }, 'invoiceRef'],
      ];
      it.each(invalid)('refuses %s, naming the field', (_what, invoice, field) => {
        const error = spec
          .given(withCommitment)
          .when(spend(10_000_000n, 'expense-1', COMMITMENT_ID, invoice))
          .thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
        expect(error.field).toBe(field);
      });

      describe('an invoice of the year', () => {
        const INVOICE = { supplier: 'Atlas Print', invoiceRef: 'F-2025-001' };
        /** Two commitments of the budget, on two lines; the first has spent invoice F-2025-001 of Atlas Print. */
        const twoCommitments = [
          ...withCommitment,
          committed('20000000', OTHER_COMMITMENT_ID, TRAINING),
          spent('10000000', 'expense-1', COMMITMENT_ID, INVOICE),
        ];

        it('is refused on another commitment of the budget, whatever the case and blanks', () => {
          spec
            .given(twoCommitments)
            .when(spend(5_000_000n, 'expense-2', OTHER_COMMITMENT_ID, { supplier: 'ATLAS  print', invoiceRef: ' f-2025-001' }))
            .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendDuplicateInvoice));
        });

        it('is refused on the same commitment under another expense id', () => {
          spec
            .given(twoCommitments)
            .when(spend(1n, 'expense-2', COMMITMENT_ID, INVOICE))
            .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendDuplicateInvoice));
        });

        it('is refused before the amount is looked at', () => {
          spec
            .given(twoCommitments)
            .when(spend(30_000_000n, 'expense-2', OTHER_COMMITMENT_ID, INVOICE))
            .thenThrows(IllegalStateError, ruleOf(BudgetRules.spendDuplicateInvoice));
        });

        it('is spent under the same reference from another supplier', () => {
          const other = { supplier: 'Sud Graphic', invoiceRef: 'F-2025-001' };
          spec
            .given(twoCommitments)
            .when(spend(5_000_000n, 'expense-2', OTHER_COMMITMENT_ID, other))
            .then([spent('5000000', 'expense-2', OTHER_COMMITMENT_ID, other, TRAINING)]);
        });

        it('is spent with another reference from the same supplier', () => {
          const other = { supplier: 'Atlas Print', invoiceRef: 'F-2025-002' };
          spec
            .given(twoCommitments)
            .when(spend(5_000_000n, 'expense-2', OTHER_COMMITMENT_ID, other))
            .then([spent('5000000', 'expense-2', OTHER_COMMITMENT_ID, other, TRAINING)]);
        });
      });
    });

    describe('releasing', () => {
      it('gives the commitment back to its line', () => {
        const events = spec.given(withCommitment).when(release()).then([released()]);
        const budget = fold([...withCommitment, ...events]);
        expect(exists(budget) && findLine(budget, AWARENESS)?.committed).toBe('0');
      });

      it('ignores a release already made', () => {
        spec
          .given([...withCommitment, released()])
          .when(release())
          .thenNothingHappened();
      });

      it('voids a commitment never committed, so that its approval cannot commit it afterwards', () => {
        spec.given(inForce).when(release()).then([voided()]);
      });

      it('voids a commitment on a draft budget too (voiding moves no money)', () => {
        spec.given(inDraft).when(release()).then([voided()]);
      });

      it('ignores a voiding already made', () => {
        spec
          .given([...inForce, voided()])
          .when(release())
          .thenNothingHappened();
      });

      it('ignores the release of a commitment spent on, wholly or in part: the expenses are real', () => {
        spec
          .given([...withCommitment, spent()])
          .when(release())
          .thenNothingHappened();
        spec
          .given([...withCommitment, spent('30000000')])
          .when(release())
          .thenNothingHappened();
      });

      it('releases one commitment and leaves the other of its line committed', () => {
        spec
          .given([...withCommitment, committed('20000000', OTHER_COMMITMENT_ID)])
          .when(release(OTHER_COMMITMENT_ID))
          .then([released('20000000', OTHER_COMMITMENT_ID)]);
      });

      it('refuses a blank commitment id, naming the field', () => {
        const error = spec.given(withCommitment).when(release(' ')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
        expect(error.field).toBe('commitmentId');
      });
    });

    it('is closed', () => {
      spec.given(inForce).when(close()).then([closed]);
    });
  });

  describe('when closed', () => {
    it('ignores a second closing', () => {
      spec.given(closedBudget).when(close()).thenNothingHappened();
    });

    it('refuses a draft of the same year', () => {
      spec.given(closedBudget).when(draft()).thenThrows(IllegalStateError, ruleOf(BudgetRules.draftAlreadyExists));
    });

    it.each(everyCommandOnABudget().filter(([name]) => name !== 'CloseBudget' && name !== 'ReleaseFunds'))(
      'refuses %s',
      (_name, command) => {
        spec
          .given([...withCommitment, closed])
          .when(command)
          .thenThrows(IllegalStateError, ruleOf(BudgetRules.closed));
      },
    );

    it('refuses to commit a voided commitment as closed', () => {
      spec
        .given([...inForce, voided(), closed])
        .when(commit())
        .thenThrows(IllegalStateError, ruleOf(BudgetRules.closed));
    });

    describe('releasing', () => {
      it('ignores the release of a committed amount: the year’s books no longer move', () => {
        spec
          .given([...withCommitment, closed])
          .when(release())
          .thenNothingHappened();
      });

      it('still voids a commitment never committed (it moves no money)', () => {
        spec.given(closedBudget).when(release()).then([voided()]);
      });

      it('ignores a voiding already made', () => {
        spec
          .given([...closedBudget, voided()])
          .when(release())
          .thenNothingHappened();
      });
    });
  });
});

describe('Budget line ids', () => {
  it('name their budget and their rank in the draft', () => {
    expect(budgetLineId('budget-2026', 3)).toBe('budget-2026.line-3');
    expect(budgetIdOfLine(budgetLineId('budget-2026', 3))).toBe('budget-2026');
    expect(budgetIdOfLine('budget-2026.line-100')).toBe('budget-2026');
  });

  it.each([
    'line-awareness',
    'budget-2026',
    'budget-26.line-1',
    'budget-2026.line-0',
    'budget-2026.line-1000',
    'budget-2026.line-3x',
    ' budget-2026.line-3',
  ])('tell that %p is not a line id (null)', (lineId) => {
    expect(budgetIdOfLine(lineId)).toBeNull();
  });
});

describe('Invoice keys', () => {
  it('ignore case, runs of blanks and the Unicode composition of supplier and reference', () => {
    expect(invoiceKey('  Atlas   Print ', 'f-2025-001')).toBe(invoiceKey('ATLAS PRINT', 'F-2025-001'));
    expect(invoiceKey('Imprimerie Ren\u00e9', 'F-1')).toBe(invoiceKey('Imprimerie Rene\u0301', 'F-1'));
  });

  it('tell suppliers and references apart', () => {
    expect(invoiceKey('Atlas Print', 'F-1')).not.toBe(invoiceKey('Sud Graphic', 'F-1'));
    expect(invoiceKey('Atlas Print', 'F-1')).not.toBe(invoiceKey('Atlas Print', 'F-2'));
    expect(invoiceKey('Atlas', 'Print F-1')).not.toBe(invoiceKey('Atlas Print', 'F-1'));
  });
});
