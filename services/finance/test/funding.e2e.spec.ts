import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';
import {
  APPROVE,
  CAMPAIGN_FIELDS,
  CREATE_CAMPAIGN as CREATE,
  campaignInput,
  APPROVE_BUDGET,
  BUDGET,
  COMMITMENT,
  COMMITMENTS,
  DRAFT_BUDGET,
  EXPENSE,
  LINE_FIELDS,
  REJECT,
  REQUEST,
  budgetInput,
  commitmentFor,
  lineOf,
  mad,
} from './harness';

const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const CAMPAIGN_LINE = `query($id: ID!) { campaign(id: $id) { id budgetLine { ${LINE_FIELDS} } } }`;
const campaignMutation = (name: string, args: string, vars: string) =>
  `mutation(${vars}) { ${name}(${args}) { position campaign { ${CAMPAIGN_FIELDS} } } }`;
const PLAN = campaignMutation('planCampaign', 'id: $id', '$id: ID!');
const LAUNCH = campaignMutation('launchCampaign', 'id: $id', '$id: ID!');
const CANCEL = campaignMutation('cancelCampaign', 'id: $id, reason: $reason', '$id: ID!, $reason: String!');

const YEAR = 2026;
const LINE = lineOf(YEAR, 1);

/**
 * The funding process end to end through the gateway, with the real Kafka, store and Keycloak:
 * campaigns asks, finance decides, campaigns follows; and the budget execution view.
 */
describe('Funding process: campaigns and finance through the gateway', () => {
  let stack: PlatformStack;
  let director: string;
  let officer: string;
  let manager: string;
  let auditor: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['campaigns', 'finance'], 14800);
    [director, officer, manager, auditor] = await Promise.all(
      ['director', 'finance-officer', 'campaign-manager', 'auditor'].map((u) => devToken(u as never)),
    );
    const drafted = await stack.gql(officer, DRAFT_BUDGET, { input: budgetInput(YEAR) });
    expect(drafted.errors).toBeUndefined();
    const approved = await stack.gql(director, APPROVE_BUDGET, { id: `budget-${YEAR}`, v: 1 });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveBudget.budget).toMatchObject({ status: 'APPROVED', version: 2, total: mad(150_000_000) });
  }, 120000);
  afterAll(async () => {
    if (process.env.HRP_E2E_DEBUG)
      console.log(stack.services.finance.output().slice(-6000), stack.services.campaigns.output().slice(-3000));
    await stack?.stop();
  });

  /** A campaign with a cost on LINE, planned: its funding is requested from finance. */
  async function plannedCampaign(cost: number, title = 'Caravane des droits') {
    const created = await stack.gql(manager, CREATE, {
      input: campaignInput({ title: { fr: title }, estimatedCost: mad(cost), budgetLineId: LINE }),
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.campaign.id as string;
    const planned = await stack.gql(manager, PLAN, { id });
    expect(planned.errors).toBeUndefined();
    expect(planned.data!.planCampaign.campaign).toMatchObject({ status: 'PLANNED', fundingStatus: 'REQUESTED' });
    return id;
  }

  const campaign = async (id: string) => (await stack.gql(manager, CAMPAIGN, { id })).data!.campaign as Record<string, unknown>;
  const line = async (min?: string): Promise<any> => {
    const r = await stack.gql(director, BUDGET, { year: YEAR, min });
    expect(r.errors).toBeUndefined();
    return (r.data!.budget.lines as Record<string, unknown>[]).find((l) => l.id === LINE)!;
  };

  it('approves: request appears in finance, an officer approves, the campaign launches, expenses are recorded and the execution view adds up', async () => {
    const id = await plannedCampaign(2_500_000);

    // finance opened the commitment request, with the campaign's regions and purpose
    const pending = await commitmentFor(stack, officer, id, 'REQUESTED');
    expect(pending).toMatchObject({
      status: 'REQUESTED',
      sourceType: 'CAMPAIGN',
      sourceId: id,
      budgetLineId: LINE,
      amount: mad(2_500_000),
      regions: ['MA-06'],
      purpose: { fr: 'Caravane des droits' },
    });

    // launching before the decision is refused
    const early = await stack.gql(manager, LAUNCH, { id });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'campaign.launch.requires-funding' });

    // an officer approves (25,000.00 MAD: up to the 50,000.00 threshold)
    const approved = await stack.gql(officer, APPROVE, { id: pending.id, v: pending.version });
    expect(approved.errors).toBeUndefined();
    const { commitment, position } = approved.data!.approveCommitment;
    expect(commitment).toMatchObject({ status: 'APPROVED', remaining: mad(2_500_000), budgetLine: { id: LINE } });
    expect(await line(position)).toMatchObject({ committed: mad(2_500_000), available: mad(97_500_000), spent: mad(0) });

    // the decision flows back over Kafka: the campaign launches
    await eventually('campaign funding APPROVED', async () => (await campaign(id)).fundingStatus === 'APPROVED', { timeoutMs: 30000 });
    const launched = await stack.gql(manager, LAUNCH, { id });
    expect(launched.errors).toBeUndefined();
    expect(launched.data!.launchCampaign.campaign.status).toBe('ACTIVE');

    // expenses: two invoices; the same invoice again changes nothing; more than is left is refused
    const expense = (amount: number, invoiceRef: string, supplier = 'Atlas Print') =>
      stack.gql(officer, EXPENSE, { id: pending.id, input: { amount: mad(amount), supplier, invoiceRef, date: '2026-03-02' } });
    expect((await expense(1_000_000, 'F-2026-001')).errors).toBeUndefined();
    const second = await expense(500_000, 'F-2026-002');
    expect(second.errors).toBeUndefined();
    expect(second.data!.recordExpense.commitment).toMatchObject({ spent: mad(1_500_000), remaining: mad(1_000_000) });
    const again = await expense(500_000, 'F-2026-002');
    expect(again.errors).toBeUndefined();
    expect(again.data!.recordExpense.commitment.expenses).toHaveLength(2);
    const over = await expense(1_000_001, 'F-2026-003');
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'commitment.expense.exceeds-commitment' });

    // the execution view: per line, per programme area and in all, exact
    const r = await stack.gql(auditor, BUDGET, { year: YEAR, min: again.data!.recordExpense.position });
    expect(r.errors).toBeUndefined();
    const budget = r.data!.budget;
    expect(budget).toMatchObject({ total: mad(150_000_000), spent: mad(1_500_000) });
    expect(budget.lines[0]).toMatchObject({ id: LINE, spent: mad(1_500_000), programmeArea: 'AWARENESS' });
    expect(budget.programmeAreas.find((a: { programmeArea: string }) => a.programmeArea === 'AWARENESS')).toMatchObject({
      spent: mad(1_500_000),
      executionRate: 0.015,
    });

    // the campaigns subgraph's budgetLine is resolved by finance
    const viaCampaign = await stack.gql(director, CAMPAIGN_LINE, { id });
    expect(viaCampaign.errors).toBeUndefined();
    expect(viaCampaign.data!.campaign.budgetLine).toMatchObject({ id: LINE, programmeArea: 'AWARENESS', spent: mad(1_500_000) });
  });

  it('rejects: the campaign cannot launch, nothing stays committed', async () => {
    const before = await line();
    const id = await plannedCampaign(1_200_000, 'Séminaire régional');
    const pending = await commitmentFor(stack, officer, id, 'REQUESTED');

    const rejected = await stack.gql(director, REJECT, { id: pending.id, reason: 'Ligne réservée aux campagnes nationales' });
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data!.rejectCommitment.commitment).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Ligne réservée aux campagnes nationales',
    });

    await eventually('campaign funding REJECTED', async () => (await campaign(id)).fundingStatus === 'REJECTED', { timeoutMs: 30000 });
    const launch = await stack.gql(manager, LAUNCH, { id });
    expect(launch.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'campaign.launch.requires-funding' });

    // the budget voided it: an approval now is refused, and the line did not move
    const late = await stack.gql(director, APPROVE, { id: pending.id });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'commitment.approve.requires-requested' });
    expect(await line(rejected.data!.rejectCommitment.position)).toMatchObject({ committed: before.committed, spent: before.spent });
    const budgetStream = await stack.readStream('finance', `budget-${YEAR}`);
    expect(budgetStream.filter((e) => e.type === 'CommitmentVoided')).toHaveLength(1);
  });

  it('cancels: cancelling an approved campaign before any expense releases its commitment', async () => {
    const before = await line();
    const id = await plannedCampaign(3_000_000, 'Spots radio');
    const pending = await commitmentFor(stack, officer, id, 'REQUESTED');
    const approved = await stack.gql(officer, APPROVE, { id: pending.id });
    expect(approved.errors).toBeUndefined();
    expect(await line(approved.data!.approveCommitment.position)).toMatchObject({
      committed: mad(BigInt(before.committed.amount as string) + 3_000_000n),
    });
    await eventually('campaign funding APPROVED', async () => (await campaign(id)).fundingStatus === 'APPROVED', { timeoutMs: 30000 });

    const cancelled = await stack.gql(manager, CANCEL, { id, reason: 'Report sine die' });
    expect(cancelled.errors).toBeUndefined();

    const released = await commitmentFor(stack, officer, id, 'RELEASED');
    expect(released).toMatchObject({ status: 'RELEASED', remaining: mad(0) });
    await eventually('the line committed back to what it was', async () => (await line()).committed.amount === before.committed.amount, {
      timeoutMs: 30000,
    });
    const commitment = await stack.gql(auditor, COMMITMENT, { id: released.id });
    expect(commitment.data!.commitment.status).toBe('RELEASED');
  });

  it('lists the commitments awaiting approval, oldest request first, and only those', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const r = await stack.gql(officer, REQUEST, {
        input: {
          budgetLineId: lineOf(YEAR, 2),
          amount: mad(1000 * n),
          purpose: { fr: `Fournitures ${n}` },
          sourceType: 'AGREEMENT',
          sourceId: `agreement-${n}`,
        },
      });
      expect(r.errors).toBeUndefined();
      ids.push(r.data!.requestCommitment.commitment.id as string);
    }
    const decided = await stack.gql(officer, APPROVE, { id: ids[1] });
    expect(decided.errors).toBeUndefined();
    const r = await stack.gql(auditor, COMMITMENTS, {
      filter: { status: ['REQUESTED'], budgetLineId: lineOf(YEAR, 2) },
      min: decided.data!.approveCommitment.position,
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.commitments.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[0], ids[2]]);
    expect(r.data!.commitments.totalCount).toBe(2);
  });
});
