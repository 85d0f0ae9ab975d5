import { DEV_USERS, devToken, startPlatformStack, type DevUser, type PlatformStack } from '@hrp/testing';
import {
  APPROVE,
  APPROVE_BUDGET,
  BUDGET,
  CITE,
  CLOSE_BUDGET,
  COMMITMENT,
  COMMITMENTS,
  DRAFT_BUDGET,
  EXPENSE,
  REALLOCATE,
  REJECT,
  REQUEST,
  SET_THRESHOLDS,
  budgetInput,
  eventCounter,
  lineOf,
  mad,
  streamVersion,
} from './harness';

/*
 * Who may change finance and who may read it (budget.policy.ts, commitment.authorize.ts,
 * commitment.policy.ts, finance.read-policy.ts), through the gateway with the real tokens of every
 * dev user. A refusal is FORBIDDEN and writes nothing: the streams it aims at keep their version and
 * the store holds no more events than before.
 */

const FINANCE = ['finance-officer', 'director'] as const satisfies readonly DevUser[];
const DIRECTOR = ['director'] as const satisfies readonly DevUser[];

/** The approval threshold of a budget drafted without thresholds (50,000.00 MAD). */
const APPROVAL_THRESHOLD = 5_000_000;
const MAIN_YEAR = 2030;
const MAIN = `budget-${MAIN_YEAR}`;
const THRESHOLDS_YEAR = 2031;
const READ_YEAR = 2032;
const PAST_DATE = '2026-01-15';

interface Call {
  query: string;
  variables: Record<string, unknown>;
  /** The streams a refusal must leave alone; the first is the one an allowed call writes to, unless `written` says otherwise. */
  streams: string[];
  /** The stream an allowed call writes to, from its answer (when its id is drawn by the service). */
  written?: (data: Record<string, any>) => string;
}

interface MutationCase {
  name: string;
  allowed: readonly DevUser[];
  prepare(): Promise<Call>;
}

describe('Finance authorization, through the gateway with real tokens', () => {
  let stack: PlatformStack;
  let events: Awaited<ReturnType<typeof eventCounter>>;
  const tokens = {} as Record<DevUser, string>;
  let nextYear = 2040;
  let nextThreshold = 0;
  let nextInvoice = 0;

  const ok = async (user: DevUser, query: string, variables: Record<string, unknown>) => {
    const r = await stack.gql(tokens[user], query, variables);
    if (r.errors) throw new Error(`${user}: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  const draft = async (year: number) => ok('finance-officer', DRAFT_BUDGET, { input: budgetInput(year) });
  const approveBudget = async (year: number) => ok('director', APPROVE_BUDGET, { id: `budget-${year}` });

  /** A commitment requested by the finance officer on `lineId` (default: MAIN's first line). */
  async function requested(amount: number, extra: Record<string, unknown> = {}, lineId = lineOf(MAIN_YEAR, 1)) {
    const data = await ok('finance-officer', REQUEST, {
      input: {
        budgetLineId: lineId,
        amount: mad(amount),
        purpose: { fr: 'Atelier' },
        sourceType: 'CAMPAIGN',
        sourceId: 'campaign-x',
        ...extra,
      },
    });
    return data.requestCommitment as { position: string; commitment: { id: string; version: number } };
  }
  async function approved(amount: number, extra: Record<string, unknown> = {}, lineId?: string) {
    const { commitment } = await requested(amount, extra, lineId);
    return (await ok('director', APPROVE, { id: commitment.id })).approveCommitment as { position: string; commitment: { id: string } };
  }

  beforeAll(async () => {
    stack = await startPlatformStack(['finance'], 14820);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    events = await eventCounter(stack);
    // Every figure is large enough for all the approvals below; default thresholds (5,000,000 / 20,000,000).
    await ok('director', DRAFT_BUDGET, { input: budgetInput(MAIN_YEAR, 100_000_000_000, 100_000_000_000) });
    await approveBudget(MAIN_YEAR);
    await draft(THRESHOLDS_YEAR);
  }, 120000);
  afterAll(async () => {
    await events?.close();
    await stack?.stop();
  });

  // ---------------------------------------------------------------- mutations

  /** Each case brings fresh fixtures (as the finance officer and the director) to the state the mutation needs. */
  const MUTATIONS: MutationCase[] = [
    {
      name: 'draftBudget',
      allowed: FINANCE,
      prepare: async () => {
        const year = nextYear++;
        return { query: DRAFT_BUDGET, variables: { input: budgetInput(year) }, streams: [`budget-${year}`] };
      },
    },
    {
      name: 'approveBudget',
      allowed: DIRECTOR,
      prepare: async () => {
        const year = nextYear++;
        await draft(year);
        return { query: APPROVE_BUDGET, variables: { id: `budget-${year}` }, streams: [`budget-${year}`] };
      },
    },
    {
      name: 'reallocateFunds',
      allowed: DIRECTOR,
      prepare: async () => ({
        query: REALLOCATE,
        variables: { b: MAIN, from: lineOf(MAIN_YEAR, 2), to: lineOf(MAIN_YEAR, 1), amount: mad(1_000), reason: 'Priorité aux campagnes' },
        streams: [MAIN],
      }),
    },
    {
      name: 'setBudgetThresholds',
      allowed: DIRECTOR,
      prepare: async () => {
        // a value never set before, so that an allowed call always records an event
        const approval = 6_000_000 + ++nextThreshold;
        return {
          query: SET_THRESHOLDS,
          variables: { id: `budget-${THRESHOLDS_YEAR}`, t: { approval: mad(approval), procurement: mad(30_000_000) } },
          streams: [`budget-${THRESHOLDS_YEAR}`],
        };
      },
    },
    {
      name: 'closeBudget',
      allowed: DIRECTOR,
      prepare: async () => {
        const year = nextYear++;
        await draft(year);
        await approveBudget(year);
        return { query: CLOSE_BUDGET, variables: { id: `budget-${year}` }, streams: [`budget-${year}`] };
      },
    },
    {
      name: 'requestCommitment',
      allowed: FINANCE,
      prepare: async () => ({
        query: REQUEST,
        variables: {
          input: {
            budgetLineId: lineOf(MAIN_YEAR, 1),
            amount: mad(1_000_000),
            purpose: { fr: 'Affiches' },
            sourceType: 'CAMPAIGN',
            sourceId: 'campaign-request',
          },
        },
        // the commitment's stream id is drawn by the service: the store's event count shows a refusal wrote nothing
        streams: [MAIN],
        written: (data) => data.requestCommitment.commitment.id as string,
      }),
    },
    {
      name: 'citeQuotes',
      allowed: FINANCE,
      prepare: async () => {
        const { commitment } = await requested(1_000_000);
        return { query: CITE, variables: { id: commitment.id, q: ['DEV-1', 'DEV-2', 'DEV-3'] }, streams: [commitment.id, MAIN] };
      },
    },
    ...(['approveCommitment', 'rejectCommitment'] as const).flatMap((name): MutationCase[] => {
      const prepare = (amount: number) => async (): Promise<Call> => {
        const { commitment } = await requested(amount);
        const query = name === 'approveCommitment' ? APPROVE : REJECT;
        const variables = name === 'approveCommitment' ? { id: commitment.id } : { id: commitment.id, reason: 'Hors priorités' };
        return { query, variables, streams: [commitment.id, MAIN] };
      };
      return [
        { name: `${name} at the approval threshold (${APPROVAL_THRESHOLD})`, allowed: FINANCE, prepare: prepare(APPROVAL_THRESHOLD) },
        {
          name: `${name} above the approval threshold (${APPROVAL_THRESHOLD + 1})`,
          allowed: DIRECTOR,
          prepare: prepare(APPROVAL_THRESHOLD + 1),
        },
      ];
    }),
    {
      name: 'recordExpense',
      allowed: FINANCE,
      prepare: async () => {
        const { commitment } = await approved(1_000_000);
        const input = { amount: mad(250_000), supplier: 'Atlas Print', invoiceRef: `F-${++nextInvoice}`, date: PAST_DATE };
        return { query: EXPENSE, variables: { id: commitment.id, input }, streams: [commitment.id, MAIN] };
      },
    },
  ];

  describe.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    it.each(DEV_USERS.map((u) => [u, m.allowed.includes(u) ? 'allowed' : 'FORBIDDEN'] as const))('as %s: %s', async (user, expected) => {
      const call = await m.prepare();
      const versions = await Promise.all(call.streams.map((s) => streamVersion(stack, s)));
      const count = await events.count();

      const r = await stack.gql(tokens[user], call.query, call.variables);

      if (expected === 'allowed') {
        expect(r.errors?.[0]?.extensions?.code).not.toBe('FORBIDDEN');
        expect(r.errors).toBeUndefined();
        expect(await events.count()).toBeGreaterThan(count);
        if (call.written) expect(await streamVersion(stack, call.written(r.data!))).toBeGreaterThan(0);
        else expect(await streamVersion(stack, call.streams[0])).toBeGreaterThan(versions[0]);
      } else {
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(r.data ?? null).toBeNull();
        expect(await Promise.all(call.streams.map((s) => streamVersion(stack, s)))).toEqual(versions);
        expect(await events.count()).toBe(count);
      }
    });
  });

  describe('without a token', () => {
    it('refuses a query as UNAUTHENTICATED', async () => {
      const r = await stack.gql(undefined, BUDGET, { year: MAIN_YEAR });
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(r.data ?? null).toBeNull();
    });

    it('refuses a mutation as UNAUTHENTICATED, and writes nothing', async () => {
      const year = nextYear++;
      const count = await events.count();
      const r = await stack.gql(undefined, DRAFT_BUDGET, { input: budgetInput(year) });
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await streamVersion(stack, `budget-${year}`)).toBe(0);
      expect(await events.count()).toBe(count);
    });
  });

  // ---------------------------------------------------------------- reads

  describe('reading', () => {
    /** What each dev user reads: everything, the commitments of one region (and their lines), or nothing. */
    type Scope = { kind: 'all' } | { kind: 'region'; region: 'MA-06' | 'MA-01' } | { kind: 'none' };
    const SCOPES: Record<DevUser, Scope> = {
      'finance-officer': { kind: 'all' },
      director: { kind: 'all' },
      'me-officer': { kind: 'all' },
      auditor: { kind: 'all' },
      viewer: { kind: 'all' },
      'regional-officer-ma06': { kind: 'region', region: 'MA-06' },
      // the realm gives the `regional-officer` dev user the region MA-01 (libs/testing DEV_PRINCIPALS)
      'regional-officer': { kind: 'region', region: 'MA-01' },
      admin: { kind: 'none' },
      'campaign-manager': { kind: 'none' },
      'training-coordinator': { kind: 'none' },
      'partnership-officer': { kind: 'none' },
      'advocacy-officer': { kind: 'none' },
    };

    /*
     * The budget of READ_YEAR: line-1 (AWARENESS) carries an MA-06 commitment, line-2 (TRAINING)
     * an MA-01 one, line-3 (OPERATIONS) none.
     */
    const LINES = [
      { programmeArea: 'AWARENESS', allocated: 40_000_000 },
      { programmeArea: 'TRAINING', allocated: 30_000_000 },
      { programmeArea: 'OPERATIONS', allocated: 20_000_000 },
    ];
    const ofRegion = {
      'MA-06': { line: lineOf(READ_YEAR, 1), area: 'AWARENESS', allocated: 40_000_000, amount: 1_000_000, id: '' },
      'MA-01': { line: lineOf(READ_YEAR, 2), area: 'TRAINING', allocated: 30_000_000, amount: 2_000_000, id: '' },
    };
    let min: string;

    beforeAll(async () => {
      await ok('finance-officer', DRAFT_BUDGET, {
        input: { fiscalYear: READ_YEAR, lines: LINES.map((l) => ({ programmeArea: l.programmeArea, allocated: mad(l.allocated) })) },
      });
      await approveBudget(READ_YEAR);
      for (const region of ['MA-06', 'MA-01'] as const) {
        const r = ofRegion[region];
        const a = await approved(r.amount, { regions: [region], sourceId: `campaign-${region}` }, r.line);
        r.id = a.commitment.id;
        min = a.position;
      }
      // both views caught up with the last write (the regional scope reads the commitments' view)
      await ok('director', COMMITMENTS, { min });
      await ok('director', BUDGET, { year: READ_YEAR, min });
    });

    const other = (region: 'MA-06' | 'MA-01') => (region === 'MA-06' ? 'MA-01' : 'MA-06');
    const ids = (data: Record<string, any>) => (data.commitments.edges as { node: { id: string } }[]).map((e) => e.node.id);

    it.each(
      DEV_USERS.map(
        (u) => [u, SCOPES[u].kind === 'region' ? `region ${(SCOPES[u] as { region: string }).region}` : SCOPES[u].kind] as const,
      ),
    )('as %s: reads %s', async (user) => {
      const scope = SCOPES[user];
      const as = (query: string, variables: Record<string, unknown>) => stack.gql(tokens[user], query, { ...variables, min });

      if (scope.kind === 'none') {
        for (const r of [
          await as(BUDGET, { year: READ_YEAR }),
          await as(COMMITMENTS, {}),
          await as(COMMITMENT, { id: ofRegion['MA-06'].id }),
        ]) {
          expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
        return;
      }

      if (scope.kind === 'all') {
        const budget = await as(BUDGET, { year: READ_YEAR });
        expect(budget.errors).toBeUndefined();
        expect(budget.data!.budget).toMatchObject({ total: mad(90_000_000), committed: mad(3_000_000), available: mad(87_000_000) });
        expect(budget.data!.budget.lines.map((l: { id: string }) => l.id)).toEqual([1, 2, 3].map((n) => lineOf(READ_YEAR, n)));
        for (const region of ['MA-06', 'MA-01'] as const) {
          const list = await as(COMMITMENTS, { filter: { region } });
          expect(list.errors).toBeUndefined();
          expect(ids(list.data!)).toEqual([ofRegion[region].id]);
          const one = await as(COMMITMENT, { id: ofRegion[region].id });
          expect(one.errors).toBeUndefined();
          expect(one.data!.commitment).toMatchObject({ id: ofRegion[region].id, regions: [region], status: 'APPROVED' });
        }
        return;
      }

      // a regional officer: the commitments of its region, the lines they are on, with those lines' totals only
      const mine = ofRegion[scope.region];
      const theirs = ofRegion[other(scope.region)];
      const budget = await as(BUDGET, { year: READ_YEAR });
      expect(budget.errors).toBeUndefined();
      expect(budget.data!.budget).toMatchObject({
        total: mad(mine.allocated),
        committed: mad(mine.amount),
        spent: mad(0),
        available: mad(mine.allocated - mine.amount),
        lines: [{ id: mine.line, allocated: mad(mine.allocated), committed: mad(mine.amount) }],
        programmeAreas: [{ programmeArea: mine.area, allocated: mad(mine.allocated), committed: mad(mine.amount) }],
      });
      expect(budget.data!.budget.lines).toHaveLength(1);

      const all = await as(COMMITMENTS, {});
      expect(all.errors).toBeUndefined();
      expect(ids(all.data!)).toEqual([mine.id]);
      const own = await as(COMMITMENTS, { filter: { region: scope.region } });
      expect(ids(own.data!)).toEqual([mine.id]);
      const foreign = await as(COMMITMENTS, { filter: { region: other(scope.region) } });
      expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const one = await as(COMMITMENT, { id: mine.id });
      expect(one.errors).toBeUndefined();
      expect(one.data!.commitment).toMatchObject({ id: mine.id, regions: [scope.region], budgetLine: { id: mine.line } });
      const refused = await as(COMMITMENT, { id: theirs.id });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.commitment ?? null).toBeNull();
    });
  });
});
