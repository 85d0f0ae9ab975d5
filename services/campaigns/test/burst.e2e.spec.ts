import { devToken, eventually } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

/*
 * A burst of creates through the gateway with list queries running beside it: the read model
 * keeps up (its consumer never leaves its group for good) and ends exact.
 */
jest.setTimeout(600_000);

const BURST = 3000;

describe('Campaigns: a burst of creates with lists read beside it', () => {
  let stack: CampaignsStack;

  beforeAll(async () => {
    stack = await startCampaignsStack(14740);
  }, 120_000);
  afterAll(async () => stack?.stop());

  it(`views exactly the ${BURST} campaigns created, within a bounded time, and stays healthy`, async () => {
    // The burst may outlive one token: devToken renews it near expiry.
    const token = () => devToken('campaign-manager');
    let next = 0;
    let done = false;
    const ids: string[] = [];
    const started = Date.now();
    const writers = Array.from({ length: 8 }, async () => {
      while (next < BURST) {
        next++;
        const r = await stack.gql(await token(), CREATE, { input: campaignInput() });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        ids.push(r.data!.createCampaign.campaign.id as string);
      }
    });
    let lists = 0;
    const reader = (async () => {
      while (!done) {
        const r = await stack.gql(await token(), '{ campaigns(first: 20) { edges { node { id } } pageInfo { hasNextPage } } }');
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        lists++;
      }
    })();
    try {
      await Promise.all(writers);
    } finally {
      done = true;
      await reader;
    }
    const wrote = Date.now() - started;
    expect(ids).toHaveLength(BURST);
    expect(lists).toBeGreaterThan(0);
    // Bounded: the view has every campaign within 60 s of the last create.
    const total = await eventually(
      'the view counts every campaign',
      async () => {
        const r = await stack.gql(await token(), '{ campaigns(first: 1) { totalCount } }');
        const n = r.data?.campaigns.totalCount as number | undefined;
        return n === BURST ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(total).toBe(BURST);
    const health = await fetch(`${stack.service.url}/health`);
    expect(health.status).toBe(200);
    console.log(`burst: ${BURST} creates in ${wrote} ms (${Math.round((BURST / wrote) * 1000)}/s), ${lists} list queries beside them`);
  });
});
