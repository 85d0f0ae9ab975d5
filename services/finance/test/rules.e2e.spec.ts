import { devToken, startPlatformStack, type PlatformStack } from '@hrp/testing';
import {
  APPROVE,
  APPROVE_BUDGET,
  BUDGET,
  CITE,
  CLOSE_BUDGET,
  COMMITMENT,
  DRAFT_BUDGET,
  EXPENSE,
  REALLOCATE,
  REJECT,
  REQUEST,
  SET_THRESHOLDS,
  eventCounter,
  lineOf,
  mad,
  streamVersion,
} from './harness';

/*
 * Finance's rules through the gateway: the approval and procurement thresholds (configuration the
 * director sets, not code), money exact at 10^12 centimes and beyond, and refusals — bad input,
 * broken rules, stale versions — that leave every stream at the version it had.
 */

type Money = { amount: string; currency: string };
type Line = { id: string; allocated: Money; committed: Money; spent: Money; available: Money };
type Thresholds = { approval: number; procurement: number };

const PAST_DATE = '2026-01-15';
const thresholdsInput = (t: Thresholds) => ({ approval: mad(t.approval), procurement: mad(t.procurement) });

describe('Finance rules, through the gateway', () => {
  let stack: PlatformStack;
  let events: Awaited<ReturnType<typeof eventCounter>>;
  let director: string;
  let officer: string;
  let auditor: string;
  let nextSource = 0;

  beforeAll(async () => {
    stack = await startPlatformStack(['finance'], 14840);
    [director, officer, auditor] = await Promise.all(['director', 'finance-officer', 'auditor'].map((u) => devToken(u)));
    events = await eventCounter(stack);
  }, 120000);
  afterAll(async () => {
    await events?.close();
    await stack?.stop();
  });

  // ---------------------------------------------------------------- small local factories

  /** The position of the latest write: reads wait for it (read-your-writes, no sleeping). */
  let latest: string | undefined;
  const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
    const r = await stack.gql(token, query, variables);
    const position = (Object.values(r.data ?? {})[0] as { position?: string } | null)?.position;
    if (position) latest = position;
    return r;
  };
  const ok = async (token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await gql(token, query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };

  /** A budget of `year` with these lines (AWARENESS unless said), drafted by the officer and approved by the director. */
  async function approvedBudget(
    year: number,
    lines: (number | { area: string; label?: string; allocated: number | string })[],
    t?: Thresholds,
  ) {
    const input = {
      fiscalYear: year,
      lines: lines.map((l) =>
        typeof l === 'number'
          ? { programmeArea: 'AWARENESS', label: `Ligne ${l}`, allocated: mad(l) }
          : { programmeArea: l.area, label: l.label, allocated: mad(l.allocated) },
      ),
      ...(t ? { thresholds: thresholdsInput(t) } : {}),
    };
    await ok(officer, DRAFT_BUDGET, { input });
    return (await ok(director, APPROVE_BUDGET, { id: `budget-${year}` })).approveBudget as { position: string };
  }

  /** A commitment requested by the officer on `lineId`. */
  async function requested(lineId: string, amount: number | string, extra: Record<string, unknown> = {}) {
    const data = await ok(officer, REQUEST, {
      input: {
        budgetLineId: lineId,
        amount: mad(amount),
        purpose: { fr: 'Caravane régionale' },
        sourceType: 'CAMPAIGN',
        sourceId: `campaign-${++nextSource}`,
        ...extra,
      },
    });
    return data.requestCommitment.commitment as { id: string; version: number; status: string };
  }

  async function approvedCommitment(lineId: string, amount: number | string, extra: Record<string, unknown> = {}) {
    const c = await requested(lineId, amount, extra);
    return (await ok(director, APPROVE, { id: c.id })).approveCommitment as {
      position: string;
      commitment: { id: string; version: number };
    };
  }

  const expense = (amount: number | string, invoiceRef: string, supplier = 'Atlas Print', date = PAST_DATE) => ({
    amount: mad(amount),
    supplier,
    invoiceRef,
    date,
  });

  /** The budget of `year` as the auditor reads it (at `min`, by default the latest write, or later). */
  async function budget(year: number, min = latest) {
    return (await ok(auditor, BUDGET, { year, min })).budget as {
      version: number;
      status: string;
      lines: Line[];
      thresholds: { approval: Money; procurement: Money };
    } & Record<string, unknown>;
  }
  const line = async (lineId: string, min = latest) =>
    (await budget(Number(/^budget-(\d+)/.exec(lineId)![1]), min)).lines.find((l) => l.id === lineId)!;
  const commitment = async (id: string, min = latest) =>
    (await ok(auditor, COMMITMENT, { id, min })).commitment as { status: string; version: number; spent: Money; remaining: Money };

  /** The versions of these streams and the store's event count: what a refusal must leave as it was. */
  async function snapshot(...streams: string[]) {
    return { versions: await Promise.all(streams.map((s) => streamVersion(stack, s))), events: await events.count() };
  }
  async function expectUnchanged(before: Awaited<ReturnType<typeof snapshot>>, ...streams: string[]) {
    expect(await snapshot(...streams)).toEqual(before);
  }

  const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

  // ---------------------------------------------------------------- thresholds

  describe('approval and procurement thresholds, set by the director', () => {
    const YEAR = 2030;
    const BUDGET_ID = `budget-${YEAR}`;
    const LINE = lineOf(YEAR, 1);

    beforeAll(async () => {
      // drafted with other thresholds, then set by the director (recorded as an event)
      await approvedBudget(YEAR, [10_000_000_000], { approval: 1_000_000, procurement: 2_000_000 });
      const set = await ok(director, SET_THRESHOLDS, {
        id: BUDGET_ID,
        t: thresholdsInput({ approval: 5_000_000, procurement: 20_000_000 }),
      });
      expect(set.setBudgetThresholds.budget.thresholds).toEqual({ approval: mad(5_000_000), procurement: mad(20_000_000) });
      expect((await stack.readStream('finance', BUDGET_ID)).map((e) => e.type)).toEqual([
        'BudgetDrafted',
        'BudgetApproved',
        'BudgetThresholdsSet',
      ]);
    });

    it.each([4_999_999, 5_000_000])('lets a finance officer approve %d (up to the approval threshold)', async (amount) => {
      const c = await requested(LINE, amount);
      const before = await line(LINE);
      const r = await gql(officer, APPROVE, { id: c.id });
      expect(r.errors).toBeUndefined();
      expect(r.data!.approveCommitment.commitment).toMatchObject({ status: 'APPROVED', remaining: mad(amount) });
      const after = await line(LINE, r.data!.approveCommitment.position);
      expect(after.committed).toEqual(mad(BigInt(before.committed.amount) + BigInt(amount)));
    });

    it('refuses a finance officer 5,000,001 (FORBIDDEN, nothing committed, still REQUESTED); the director approves it', async () => {
      const c = await requested(LINE, 5_000_001);
      const lineBefore = await line(LINE);
      const before = await snapshot(c.id, BUDGET_ID);

      const refused = await gql(officer, APPROVE, { id: c.id });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      await expectUnchanged(before, c.id, BUDGET_ID);
      expect(await line(LINE)).toEqual(lineBefore);
      expect(await commitment(c.id)).toMatchObject({ status: 'REQUESTED', version: c.version });

      const approved = await gql(director, APPROVE, { id: c.id });
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCommitment.commitment.status).toBe('APPROVED');
      expect((await line(LINE, approved.data!.approveCommitment.position)).committed).toEqual(
        mad(BigInt(lineBefore.committed.amount) + 5_000_001n),
      );
    });

    it('approves 20,000,000 without quotes (up to the procurement threshold)', async () => {
      const c = await requested(LINE, 20_000_000);
      const r = await gql(director, APPROVE, { id: c.id });
      expect(r.errors).toBeUndefined();
      expect(r.data!.approveCommitment.commitment).toMatchObject({ status: 'APPROVED', quotes: [] });
    });

    it('refuses 20,000,001 without three distinct quotes (commitment.approve.requires-quotes), then approves it once they are cited', async () => {
      const c = await requested(LINE, 20_000_001);
      const lineBefore = await line(LINE);
      let before = await snapshot(c.id, BUDGET_ID);

      const none = await gql(director, APPROVE, { id: c.id });
      expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'commitment.approve.requires-quotes' });
      await expectUnchanged(before, c.id, BUDGET_ID);

      // two quotes, the second cited twice in other case: still two distinct quotes
      expect((await gql(officer, CITE, { id: c.id, q: ['DEV-2026-01', 'DEV-2026-02'] })).errors).toBeUndefined();
      expect((await gql(officer, CITE, { id: c.id, q: ['dev-2026-02'] })).errors).toBeUndefined();
      before = await snapshot(c.id, BUDGET_ID);
      const two = await gql(director, APPROVE, { id: c.id });
      expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'commitment.approve.requires-quotes' });
      await expectUnchanged(before, c.id, BUDGET_ID);
      expect(await line(LINE)).toEqual(lineBefore);

      const third = await gql(officer, CITE, { id: c.id, q: ['DEV-2026-03'] });
      expect(third.errors).toBeUndefined();
      expect(third.data!.citeQuotes.commitment.quotes).toEqual(['DEV-2026-01', 'DEV-2026-02', 'DEV-2026-03']);
      const approved = await gql(director, APPROVE, { id: c.id });
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCommitment.commitment.status).toBe('APPROVED');
      expect((await line(LINE, approved.data!.approveCommitment.position)).committed).toEqual(
        mad(BigInt(lineBefore.committed.amount) + 20_000_001n),
      );
    });

    it('new thresholds from the director change who may approve the next commitment (configuration, not code)', async () => {
      const c = await requested(LINE, 7_000_000);
      expect(codeOf(await gql(officer, APPROVE, { id: c.id }))).toBe('FORBIDDEN');

      // raised: the officer now decides 7,000,000 — the thresholds in force at the decision apply
      const raised = await ok(director, SET_THRESHOLDS, {
        id: BUDGET_ID,
        t: thresholdsInput({ approval: 10_000_000, procurement: 30_000_000 }),
      });
      expect(raised.setBudgetThresholds.budget.thresholds.approval).toEqual(mad(10_000_000));
      const approved = await gql(officer, APPROVE, { id: c.id });
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCommitment.commitment.status).toBe('APPROVED');
      // and 25,000,000 no longer needs quotes
      const big = await requested(LINE, 25_000_000);
      expect((await gql(director, APPROVE, { id: big.id })).errors).toBeUndefined();

      // lowered: 2,000,000 is now the director's
      await ok(director, SET_THRESHOLDS, { id: BUDGET_ID, t: thresholdsInput({ approval: 1_000_000, procurement: 30_000_000 }) });
      const next = await requested(LINE, 2_000_000);
      const before = await snapshot(next.id, BUDGET_ID);
      expect(codeOf(await gql(officer, APPROVE, { id: next.id }))).toBe('FORBIDDEN');
      expect(codeOf(await gql(officer, REJECT, { id: next.id, reason: 'Hors priorités' }))).toBe('FORBIDDEN');
      await expectUnchanged(before, next.id, BUDGET_ID);
      expect((await gql(director, APPROVE, { id: next.id })).errors).toBeUndefined();

      expect((await stack.readStream('finance', BUDGET_ID)).filter((e) => e.type === 'BudgetThresholdsSet')).toHaveLength(3);
    });
  });

  // ---------------------------------------------------------------- exact money

  describe('money, exact at 10^12 centimes and beyond', () => {
    const YEAR = 2031;
    const [LINE_1, LINE_2, LINE_3] = [1, 2, 3].map((n) => lineOf(YEAR, n));
    const QUOTES = ['DEV-A', 'DEV-B', 'DEV-C'];

    it('reads back every figure of lines, programme areas, budget and commitments as the exact string', async () => {
      await approvedBudget(YEAR, [
        { area: 'AWARENESS', label: 'Campagnes', allocated: '1000000000000' },
        { area: 'AWARENESS', label: 'Radio', allocated: '1000000000001' },
        // 2^53 + 1: not representable as a double
        { area: 'OPERATIONS', allocated: '9007199254740993' },
      ]);

      // 999,999,999,999 on line 2, spent in three invoices of 333,333,333,333
      const big = await approvedCommitment(LINE_2, '999999999999', { quotes: QUOTES });
      let position = big.position;
      for (const ref of ['F-1', 'F-2', 'F-3']) {
        const r = await ok(officer, EXPENSE, { id: big.commitment.id, input: expense('333333333333', ref) });
        position = r.recordExpense.position as string;
      }
      // line 1 committed whole, 1 centime spent
      const whole = await approvedCommitment(LINE_1, '1000000000000', { quotes: QUOTES });
      position = (await ok(officer, EXPENSE, { id: whole.commitment.id, input: expense(1, 'F-4') })).recordExpense.position as string;

      expect(await commitment(big.commitment.id, position)).toMatchObject({
        amount: mad('999999999999'),
        spent: mad('999999999999'),
        remaining: mad('0'),
        expenses: [1, 2, 3].map((n) => ({ amount: mad('333333333333'), invoiceRef: `F-${n}` })),
      });
      expect(await commitment(whole.commitment.id, position)).toMatchObject({
        amount: mad('1000000000000'),
        spent: mad('1'),
        remaining: mad('999999999999'),
        budgetLine: { id: LINE_1, allocated: mad('1000000000000'), committed: mad('1000000000000') },
      });

      const b = await budget(YEAR, position);
      expect(b).toMatchObject({
        total: mad('9009199254740994'),
        committed: mad('1999999999999'),
        spent: mad('1000000000000'),
        available: mad('9007199254740995'),
      });
      expect(b.lines).toMatchObject([
        { id: LINE_1, allocated: mad('1000000000000'), committed: mad('1000000000000'), spent: mad('1'), available: mad('0') },
        { id: LINE_2, allocated: mad('1000000000001'), committed: mad('999999999999'), spent: mad('999999999999'), available: mad('2') },
        { id: LINE_3, allocated: mad('9007199254740993'), committed: mad('0'), spent: mad('0'), available: mad('9007199254740993') },
      ]);
      expect(b.programmeAreas).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            programmeArea: 'AWARENESS',
            allocated: mad('2000000000001'),
            committed: mad('1999999999999'),
            spent: mad('1000000000000'),
            available: mad('2'),
          }),
          expect.objectContaining({ programmeArea: 'OPERATIONS', allocated: mad('9007199254740993'), available: mad('9007199254740993') }),
        ]),
      );

      // a line with nothing left refuses one more centime
      const more = await requested(LINE_1, 1);
      const before = await snapshot(more.id, `budget-${YEAR}`);
      const refused = await gql(director, APPROVE, { id: more.id });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.commit.exceeds-available' });
      await expectUnchanged(before, more.id, `budget-${YEAR}`);
    });
  });

  // ---------------------------------------------------------------- bad input

  describe('bad input and broken rules change nothing', () => {
    const YEAR = 2032;
    const BUDGET_ID = `budget-${YEAR}`;
    const [LINE_1, LINE_2] = [1, 2].map((n) => lineOf(YEAR, n));
    const UNDRAFTED = 2033;

    beforeAll(async () => {
      await approvedBudget(YEAR, [50_000_000, { area: 'OPERATIONS', allocated: 10_000_000 }]);
    });

    const draftLines = (lines: Record<string, unknown>[]) => ({ input: { fiscalYear: UNDRAFTED, lines } });
    it.each([
      ['an unknown programme area', draftLines([{ programmeArea: 'HEALTH', allocated: mad(1_000) }])],
      ['a negative amount', draftLines([{ programmeArea: 'AWARENESS', allocated: mad(-1) }])],
      [
        'two lines of one area with the same label',
        draftLines([
          { programmeArea: 'TRAINING', label: 'Formateurs', allocated: mad(1_000) },
          { programmeArea: 'TRAINING', label: 'Formateurs', allocated: mad(2_000) },
        ]),
      ],
      ['no line', draftLines([])],
    ])('refuses a draft with %s as BAD_USER_INPUT', async (_what, variables) => {
      const before = await snapshot(`budget-${UNDRAFTED}`);
      const r = await gql(officer, DRAFT_BUDGET, variables);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      await expectUnchanged(before, `budget-${UNDRAFTED}`);
      expect(before.versions).toEqual([0]);
    });

    it('refuses an expense dated in the future as BAD_USER_INPUT', async () => {
      const { commitment: c } = await approvedCommitment(LINE_1, 1_000_000);
      const before = await snapshot(c.id, BUDGET_ID);
      const r = await gql(officer, EXPENSE, { id: c.id, input: expense(1_000, 'F-FUTURE', 'Atlas Print', '2099-01-01') });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      await expectUnchanged(before, c.id, BUDGET_ID);
    });

    it.each([
      ['a line id that is not budget-<year>.line-<n>', 'BAD_USER_INPUT', 'line-1'],
      ['a line the budget does not have', 'NOT_FOUND', lineOf(YEAR, 9)],
      ['a line of a budget that does not exist', 'NOT_FOUND', lineOf(2077, 1)],
    ])('refuses a commitment request on %s as %s', async (_what, code, budgetLineId) => {
      const before = await snapshot(BUDGET_ID);
      const r = await gql(officer, REQUEST, {
        input: { budgetLineId, amount: mad(1_000), purpose: { fr: 'Affiches' }, sourceType: 'CAMPAIGN', sourceId: 'campaign-bad' },
      });
      expect(codeOf(r)).toBe(code);
      await expectUnchanged(before, BUDGET_ID);
    });

    it('refuses to reallocate more than the line has available (budget.reallocate.exceeds-available)', async () => {
      const { position } = await approvedCommitment(LINE_2, 4_000_000);
      const lines = (await budget(YEAR, position)).lines;
      expect(lines[1].available).toEqual(mad(6_000_000));
      const before = await snapshot(BUDGET_ID);
      const r = await gql(director, REALLOCATE, { b: BUDGET_ID, from: LINE_2, to: LINE_1, amount: mad(6_000_001), reason: 'Renfort' });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.reallocate.exceeds-available' });
      await expectUnchanged(before, BUDGET_ID);
      expect((await budget(YEAR)).lines).toEqual(lines);
    });

    it('refuses an expense on a closed budget (budget.closed)', async () => {
      const year = 2034;
      await approvedBudget(year, [10_000_000]);
      const { commitment: c } = await approvedCommitment(lineOf(year, 1), 1_000_000);
      await ok(director, CLOSE_BUDGET, { id: `budget-${year}` });
      const before = await snapshot(c.id, `budget-${year}`);
      const r = await gql(officer, EXPENSE, { id: c.id, input: expense(1_000, 'F-CLOSED') });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.closed' });
      await expectUnchanged(before, c.id, `budget-${year}`);
    });

    it('refuses the same invoice (supplier and reference) on a second commitment of the budget (budget.spend.duplicate-invoice)', async () => {
      const first = (await approvedCommitment(LINE_1, 1_000_000)).commitment;
      const second = (await approvedCommitment(LINE_1, 1_000_000)).commitment;
      expect((await gql(officer, EXPENSE, { id: first.id, input: expense(100_000, 'F-2032-17') })).errors).toBeUndefined();
      const before = await snapshot(second.id, BUDGET_ID);
      const r = await gql(officer, EXPENSE, { id: second.id, input: expense(100_000, 'F-2032-17') });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.spend.duplicate-invoice' });
      await expectUnchanged(before, second.id, BUDGET_ID);
      expect(await commitment(second.id)).toMatchObject({ spent: mad(0), remaining: mad(1_000_000) });
    });
  });

  // ---------------------------------------------------------------- stale versions

  describe('a stale expectedVersion is a CONFLICT and changes nothing', () => {
    const YEAR = 2035;
    const BUDGET_ID = `budget-${YEAR}`;
    const [LINE_1, LINE_2] = [1, 2].map((n) => lineOf(YEAR, n));
    const CONFLICT = { code: 'CONFLICT' };

    it('approveBudget', async () => {
      await ok(officer, DRAFT_BUDGET, {
        input: {
          fiscalYear: YEAR,
          lines: [
            { programmeArea: 'AWARENESS', allocated: mad(50_000_000) },
            { programmeArea: 'OPERATIONS', allocated: mad(10_000_000) },
          ],
        },
      });
      await ok(director, SET_THRESHOLDS, { id: BUDGET_ID, t: thresholdsInput({ approval: 5_000_000, procurement: 25_000_000 }), v: 1 });
      const before = await snapshot(BUDGET_ID);
      expect(before.versions).toEqual([2]);

      const r = await gql(director, APPROVE_BUDGET, { id: BUDGET_ID, v: 1 });
      expect(r.errors?.[0]?.extensions).toMatchObject(CONFLICT);
      await expectUnchanged(before, BUDGET_ID);
      expect(await budget(YEAR)).toMatchObject({ status: 'DRAFT', version: 2 });

      const fresh = await gql(director, APPROVE_BUDGET, { id: BUDGET_ID, v: 2 });
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data!.approveBudget.budget).toMatchObject({ status: 'APPROVED', version: 3 });
    });

    it('approveCommitment: the budget gets no FundsCommitted', async () => {
      const c = await requested(LINE_1, 1_000_000);
      const cited = await ok(officer, CITE, { id: c.id, q: ['DEV-1'], v: 1 });
      expect(cited.citeQuotes.commitment.version).toBe(2);
      const lineBefore = await line(LINE_1);
      const before = await snapshot(c.id, BUDGET_ID);

      const r = await gql(officer, APPROVE, { id: c.id, v: 1 });
      expect(r.errors?.[0]?.extensions).toMatchObject(CONFLICT);
      await expectUnchanged(before, c.id, BUDGET_ID);
      expect((await stack.readStream('finance', BUDGET_ID)).filter((e) => e.type === 'FundsCommitted')).toHaveLength(0);
      expect(await line(LINE_1)).toEqual(lineBefore);
      expect(await commitment(c.id)).toMatchObject({ status: 'REQUESTED', version: 2 });
    });

    it('rejectCommitment: the budget voids nothing', async () => {
      const c = await requested(LINE_1, 1_000_000);
      await ok(officer, CITE, { id: c.id, q: ['DEV-1'], v: 1 });
      const before = await snapshot(c.id, BUDGET_ID);

      const r = await gql(officer, REJECT, { id: c.id, reason: 'Doublon', v: 1 });
      expect(r.errors?.[0]?.extensions).toMatchObject(CONFLICT);
      await expectUnchanged(before, c.id, BUDGET_ID);
      expect((await stack.readStream('finance', BUDGET_ID)).filter((e) => e.type === 'CommitmentVoided')).toHaveLength(0);
      expect(await commitment(c.id)).toMatchObject({ status: 'REQUESTED', version: 2 });
    });

    it('recordExpense: nothing is spent', async () => {
      const { commitment: c, position } = await approvedCommitment(LINE_1, 1_000_000);
      expect(c.version).toBe(2);
      const lineBefore = await line(LINE_1, position);
      const before = await snapshot(c.id, BUDGET_ID);

      const r = await gql(officer, EXPENSE, { id: c.id, input: expense(1_000, 'F-STALE'), v: 1 });
      expect(r.errors?.[0]?.extensions).toMatchObject(CONFLICT);
      await expectUnchanged(before, c.id, BUDGET_ID);
      expect(await line(LINE_1)).toEqual(lineBefore);
      expect(await commitment(c.id)).toMatchObject({ spent: mad(0), version: 2 });
    });

    it('reallocateFunds: the allocations do not move', async () => {
      const current = await budget(YEAR);
      const before = await snapshot(BUDGET_ID);
      expect(before.versions).toEqual([current.version]);

      const r = await gql(director, REALLOCATE, {
        b: BUDGET_ID,
        from: LINE_2,
        to: LINE_1,
        amount: mad(1_000_000),
        reason: 'Renfort',
        v: current.version - 1,
      });
      expect(r.errors?.[0]?.extensions).toMatchObject(CONFLICT);
      await expectUnchanged(before, BUDGET_ID);
      expect((await budget(YEAR)).lines).toEqual(current.lines);
    });
  });
});
