import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';
import {
  APPROVE,
  CAMPAIGN_FIELDS,
  COMMITMENTS,
  CREATE_CAMPAIGN as CREATE,
  appendAsBeforeACrash,
  approvedBudget,
  budgetLine,
  campaignInput,
  eventCounts,
  lineOf,
  mad,
} from './harness';

const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const campaignMutation = (name: string, args: string, vars: string) =>
  `mutation(${vars}) { ${name}(${args}) { position campaign { ${CAMPAIGN_FIELDS} } } }`;
const PLAN = campaignMutation('planCampaign', 'id: $id', '$id: ID!');
const LAUNCH = campaignMutation('launchCampaign', 'id: $id', '$id: ID!');
const CANCEL = campaignMutation('cancelCampaign', 'id: $id, reason: $reason', '$id: ID!, $reason: String!');

const YEAR = 2026;
const LINE = lineOf(YEAR, 1);
/** Convergence after a restart: the service boots, its consumers rejoin their groups, then catch up. */
const AFTER_RESTART = { timeoutMs: 60000, intervalMs: 500 };

type Node = { id: string; version: number; status: string };

/**
 * The funding process survives either service going away in the middle of it: what one side
 * published waits in Kafka and is handled once the other is back, exactly once in effect.
 */
describe('Funding process across restarts of either service', () => {
  let stack: PlatformStack;
  let director: string;
  let officer: string;
  let manager: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['campaigns', 'finance'], 14880);
    [director, officer, manager] = await Promise.all(['director', 'finance-officer', 'campaign-manager'].map((u) => devToken(u as never)));
    await approvedBudget(stack, officer, director, YEAR, 100_000_000);
  }, 120000);
  afterAll(async () => {
    if (process.env.HRP_E2E_DEBUG)
      console.log(stack.services.finance.output().slice(-6000), stack.services.campaigns.output().slice(-3000));
    await stack?.stop();
  });

  const gatewayHealth = async () => (await fetch(`${stack.gateway.url}/health`)).status;
  async function stop(context: string) {
    await stack.stopService(context);
    await eventually(`the gateway unhealthy without ${context}`, async () => (await gatewayHealth()) !== 200, { timeoutMs: 30000 });
  }
  async function start(context: string) {
    await stack.startService(context);
    await eventually('the gateway healthy again', async () => (await gatewayHealth()) === 200, AFTER_RESTART);
  }

  const campaign = async (id: string) => {
    const r = await stack.gql(manager, CAMPAIGN, { id });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.campaign as Record<string, unknown>;
  };
  const commitmentsOf = async (sourceId: string) => {
    const r = await stack.gql(officer, COMMITMENTS, { filter: { sourceId } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.commitments as { totalCount: number; edges: { node: Node }[] };
  };
  /** The one commitment finance holds for `sourceId`, once it has `status`. */
  async function commitmentOf(sourceId: string, status: string): Promise<Node> {
    const found = await eventually(
      `the commitment of ${sourceId} ${status}`,
      async () => {
        const c = await commitmentsOf(sourceId);
        return c.edges[0]?.node.status === status ? c : undefined;
      },
      AFTER_RESTART,
    );
    // one commitment for the source (totalCount is shared briefly: the page itself is exact)
    expect(found.edges).toHaveLength(1);
    return found.edges[0].node;
  }
  const fundingStatus = (id: string, status: string) =>
    eventually(`campaign ${id} funding ${status}`, async () => (await campaign(id)).fundingStatus === status, AFTER_RESTART);

  async function createPlanned(cost: number, title: string) {
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
  async function launches(id: string) {
    const launched = await stack.gql(manager, LAUNCH, { id });
    expect(launched.errors).toBeUndefined();
    expect(launched.data!.launchCampaign.campaign.status).toBe('ACTIVE');
  }

  describe('when finance is down while a campaign asks for funding', () => {
    it('opens the commitment once finance is back, exactly once, and the approval launches the campaign', async () => {
      await stop('finance');
      // campaigns still answers through the gateway; its FundingRequested waits in Kafka
      const id = await createPlanned(2_500_000, 'Caravane pendant la panne');
      await start('finance');

      const pending = await commitmentOf(id, 'REQUESTED');
      await eventually(
        'finance consumed every request',
        () => stack.consumedAll('finance', 'funding-requests', 'campaigns'),
        AFTER_RESTART,
      );
      expect((await commitmentsOf(id)).edges).toHaveLength(1);
      expect((await eventCounts(stack, 'finance', pending.id)).CommitmentRequested).toBe(1);

      const approved = await stack.gql(officer, APPROVE, { id: pending.id, v: pending.version });
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCommitment.commitment.status).toBe('APPROVED');
      await fundingStatus(id, 'APPROVED');
      await launches(id);
      expect((await eventCounts(stack, 'finance', pending.id)).CommitmentRequested).toBe(1);
    });
  });

  describe('when campaigns is down while finance approves', () => {
    it('hears of the approval once campaigns is back, once, and the campaign launches', async () => {
      const id = await createPlanned(1_800_000, 'Ateliers pendant la panne');
      const pending = await commitmentOf(id, 'REQUESTED');

      await stop('campaigns');
      // the gateway still routes finance while campaigns is down
      const approved = await stack.gql(officer, APPROVE, { id: pending.id });
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCommitment.commitment.status).toBe('APPROVED');
      await start('campaigns');

      await fundingStatus(id, 'APPROVED');
      expect((await eventCounts(stack, 'campaigns', id)).FundingApproved).toBe(1);
      await launches(id);
    });
  });

  describe('when finance is down while a funded campaign is cancelled', () => {
    it('releases the commitment once finance is back and gives the line its funds', async () => {
      const before = await budgetLine(stack, director, YEAR, LINE);
      const id = await createPlanned(3_000_000, 'Spots radio annulés');
      const pending = await commitmentOf(id, 'REQUESTED');
      const approved = await stack.gql(officer, APPROVE, { id: pending.id });
      expect(approved.errors).toBeUndefined();
      await fundingStatus(id, 'APPROVED');

      await stop('finance');
      const cancelled = await stack.gql(manager, CANCEL, { id, reason: 'Report sine die' });
      expect(cancelled.errors).toBeUndefined();
      await start('finance');

      await commitmentOf(id, 'RELEASED');
      await eventually(
        'the line committed back to what it was',
        async () => (await budgetLine(stack, director, YEAR, LINE)).committed.amount === before.committed.amount,
        AFTER_RESTART,
      );
      expect((await eventCounts(stack, 'finance', `budget-${YEAR}`)).FundsReleased).toBe(1);
    });
  });

  describe('when finance stopped between the budget committing the funds and the commitment recording its approval', () => {
    it('completes the approval from the budget event once finance is back', async () => {
      const id = await createPlanned(1_200_000, 'Approbation interrompue');
      const pending = await commitmentOf(id, 'REQUESTED');
      const before = await budgetLine(stack, director, YEAR, LINE);

      await stop('finance');
      // what approveCommitment's first step wrote before the crash: FundsCommitted, and no CommitmentApproved
      await appendAsBeforeACrash(stack, 'finance', `budget-${YEAR}`, [
        { type: 'FundsCommitted', data: { budgetId: `budget-${YEAR}`, lineId: LINE, commitmentId: pending.id, amount: mad(1_200_000) } },
      ]);
      await start('finance');

      await commitmentOf(id, 'APPROVED');
      expect((await eventCounts(stack, 'finance', pending.id)).CommitmentApproved).toBe(1);
      await eventually(
        'the line has it committed, once',
        async () =>
          (await budgetLine(stack, director, YEAR, LINE)).committed.amount === String(BigInt(before.committed.amount) + 1_200_000n),
        AFTER_RESTART,
      );
      await fundingStatus(id, 'APPROVED');
      await launches(id);
    });
  });
});
