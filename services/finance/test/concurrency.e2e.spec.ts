import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';
import {
  APPROVE,
  COMMITMENT,
  REJECT,
  approvedBudget,
  budgetLine,
  eventCounts,
  fundingProcessIdle,
  lineOf,
  requestedCommitment,
} from './harness';

type Gql = Awaited<ReturnType<PlatformStack['gql']>>;
const ruleOf = (r: Gql) => r.errors?.[0]?.extensions as { code?: string; rule?: string } | undefined;

/**
 * Decisions on money racing each other, through the gateway: the budget stream is the one place
 * that sees every commitment of a line, so concurrent approvals are decided one after the other
 * there, and the commitment follows whatever the budget decided.
 */
describe('Funding desk under concurrency', () => {
  let stack: PlatformStack;
  let director: string;
  let officer: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['finance'], 14860);
    [director, officer] = await Promise.all(['director', 'finance-officer'].map((u) => devToken(u as never)));
  }, 120000);
  afterAll(async () => {
    if (process.env.HRP_E2E_DEBUG) console.log(stack.services.finance.output().slice(-8000));
    await stack?.stop();
  });

  const commitment = async (id: string) => {
    const r = await stack.gql(director, COMMITMENT, { id });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.commitment as { id: string; version: number; status: string };
  };
  const statuses = async (ids: readonly string[]) => (await Promise.all(ids.map(commitment))).map((c) => c.status);
  const count = (xs: readonly string[], x: string) => xs.filter((s) => s === x).length;

  /** `n` commitments of `amount` on line-1 of `year`, then all approved by the director at once. */
  async function race(year: number, n: number, amount: number) {
    const line = lineOf(year, 1);
    const requested = [];
    for (let i = 0; i < n; i++) requested.push(await requestedCommitment(stack, officer, line, amount, `race-${year}-${i}`));
    const results = await Promise.all(requested.map((c) => stack.gql(director, APPROVE, { id: c.id })));
    return { line, ids: requested.map((c) => c.id), results };
  }

  describe('when more approvals race for a line than it can fund', () => {
    it('funds exactly as many as fit and refuses the others as exceeding what is available', async () => {
      const year = 2031;
      await approvedBudget(stack, officer, director, year, 10_000_000);
      const { line, ids, results } = await race(year, 8, 3_000_000);

      const won = results.filter((r) => r.errors === undefined);
      const lost = results.filter((r) => r.errors !== undefined);
      expect(won).toHaveLength(3);
      expect(lost).toHaveLength(5);
      for (const r of won) expect(r.data!.approveCommitment.commitment.status).toBe('APPROVED');
      for (const r of lost) expect(ruleOf(r)).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.commit.exceeds-available' });

      const last = won.map((r) => r.data!.approveCommitment.position as string).sort((a, b) => b.localeCompare(a))[0];
      expect(await budgetLine(stack, director, year, line, last)).toMatchObject({
        committed: { amount: '9000000' },
        available: { amount: '1000000' },
      });

      // the same after the process's reactions have run: nothing completed, undone or doubled
      await fundingProcessIdle(stack);
      await eventually('3 APPROVED and 5 REQUESTED in the read model', async () => {
        const s = await statuses(ids);
        return count(s, 'APPROVED') === 3 && count(s, 'REQUESTED') === 5;
      });
      expect(await budgetLine(stack, director, year, line)).toMatchObject({
        committed: { amount: '9000000' },
        available: { amount: '1000000' },
      });
      expect((await eventCounts(stack, 'finance', `budget-${year}`)).FundsCommitted).toBe(3);
      const approvals = await Promise.all(ids.map(async (id) => (await eventCounts(stack, 'finance', id)).CommitmentApproved ?? 0));
      expect(approvals.sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    });

    it('gives the last funds of a line to exactly one of two approvals', async () => {
      const year = 2032;
      await approvedBudget(stack, officer, director, year, 10_000_000);
      const { line, ids, results } = await race(year, 2, 6_000_000);

      expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
      const lost = results.filter((r) => r.errors !== undefined);
      expect(lost).toHaveLength(1);
      expect(ruleOf(lost[0])).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'budget.commit.exceeds-available' });

      await fundingProcessIdle(stack);
      await eventually('one APPROVED and one REQUESTED', async () => {
        const s = await statuses(ids);
        return count(s, 'APPROVED') === 1 && count(s, 'REQUESTED') === 1;
      });
      expect(await budgetLine(stack, director, year, line)).toMatchObject({
        committed: { amount: '6000000' },
        available: { amount: '4000000' },
      });
      expect((await eventCounts(stack, 'finance', `budget-${year}`)).FundsCommitted).toBe(1);
    });
  });

  describe('when an approval and a rejection of one commitment race', () => {
    // a budget per round, so that its stream speaks of that one commitment only
    it.each([2041, 2042, 2043, 2044])('ends consistent whichever wins (round of %i)', async (year) => {
      await approvedBudget(stack, officer, director, year, 10_000_000);
      const line = lineOf(year, 1);
      const c = await requestedCommitment(stack, officer, line, 2_000_000, `duel-${year}`);

      const [approved, rejected] = await Promise.all([
        stack.gql(director, APPROVE, { id: c.id }),
        stack.gql(director, REJECT, { id: c.id, reason: 'Doublon' }),
      ]);
      // exactly one decision is taken; the other is refused by a rule, never a server error
      expect([approved, rejected].filter((r) => r.errors === undefined)).toHaveLength(1);
      for (const r of [approved, rejected].filter((x) => x.errors !== undefined)) expect(ruleOf(r)?.code).toBe('DOMAIN_RULE_VIOLATION');

      await fundingProcessIdle(stack);
      const winner = approved.errors === undefined ? 'APPROVED' : 'REJECTED';
      await eventually(`the commitment ${winner}`, async () => (await commitment(c.id)).status === winner);
      const budget = await eventCounts(stack, 'finance', `budget-${year}`);
      const own = await eventCounts(stack, 'finance', c.id);
      if (winner === 'APPROVED') {
        expect(own).toMatchObject({ CommitmentApproved: 1 });
        expect(own.CommitmentRejected).toBeUndefined();
        expect(budget).toMatchObject({ FundsCommitted: 1 });
        expect(budget.FundsReleased ?? 0).toBe(0);
        expect(budget.CommitmentVoided ?? 0).toBe(0);
        await eventually(
          'the line has it committed',
          async () => (await budgetLine(stack, director, year, line)).committed.amount === '2000000',
        );
      } else {
        expect(own).toMatchObject({ CommitmentRejected: 1 });
        expect(own.CommitmentApproved).toBeUndefined();
        // voided before any commit, or committed by the losing approval and given back
        const voided = budget.CommitmentVoided === 1 && budget.FundsCommitted === undefined;
        const givenBack = budget.FundsCommitted === 1 && budget.FundsReleased === 1 && budget.CommitmentVoided === undefined;
        expect({ voided, givenBack, budget }).toMatchObject({ voided: !givenBack, givenBack: !voided });
        await eventually(
          'the line has nothing committed',
          async () => (await budgetLine(stack, director, year, line)).committed.amount === '0',
        );
      }
      // and the outcome stays: the process's reactions did not move it afterwards
      expect((await commitment(c.id)).status).toBe(winner);
    });
  });

  describe('when a commitment is approved twice', () => {
    it('takes the second approval as a no-op: same version, funds committed once', async () => {
      const year = 2034;
      await approvedBudget(stack, officer, director, year, 10_000_000);
      const line = lineOf(year, 1);
      const c = await requestedCommitment(stack, officer, line, 1_500_000, 'twice-2034');

      const first = await stack.gql(officer, APPROVE, { id: c.id, v: c.version });
      expect(first.errors).toBeUndefined();
      const approved = first.data!.approveCommitment.commitment as { version: number; status: string };
      expect(approved.status).toBe('APPROVED');

      const second = await stack.gql(officer, APPROVE, { id: c.id });
      expect(second.errors).toBeUndefined();
      expect(second.data!.approveCommitment.commitment).toMatchObject({ status: 'APPROVED', version: approved.version });
      // with the version the caller now holds, the same
      const third = await stack.gql(officer, APPROVE, { id: c.id, v: approved.version });
      expect(third.errors).toBeUndefined();
      expect(third.data!.approveCommitment.commitment).toMatchObject({ status: 'APPROVED', version: approved.version });

      await fundingProcessIdle(stack);
      expect((await eventCounts(stack, 'finance', `budget-${year}`)).FundsCommitted).toBe(1);
      expect((await eventCounts(stack, 'finance', c.id)).CommitmentApproved).toBe(1);
      // the stream did not move past the approval (the read model catches up to it, no further)
      expect((await stack.readStream('finance', c.id)).length).toBe(approved.version);
      await eventually('the read model at the approval', async () => (await commitment(c.id)).version === approved.version);
      expect(await budgetLine(stack, director, year, line, first.data!.approveCommitment.position as string)).toMatchObject({
        committed: { amount: '1500000' },
        available: { amount: '8500000' },
      });
    });
  });
});
