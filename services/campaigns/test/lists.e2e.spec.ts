import { devToken } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

/*
 * Lists page by key across the read model's buckets (context-kit paging): every campaign exactly
 * once, in creation order, with and without filters; totalCount counted only when selected.
 */
const PAGE = `query($filter: CampaignFilter, $after: String, $p: String) {
  campaigns(filter: $filter, first: 20, after: $after, minPosition: $p) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

describe('Campaigns: paged lists', () => {
  let stack: CampaignsStack;
  let token: string;
  const created: { id: string; region: string; planned: boolean }[] = [];
  let last = '0';

  beforeAll(async () => {
    stack = await startCampaignsStack(14760);
    token = await devToken('campaign-manager');
    // 150 campaigns: several list buckets (64 positions each), three regions, every third planned.
    for (let i = 0; i < 150; i++) {
      const region = ['MA-01', 'MA-06', 'MA-09'][i % 3];
      const r = await stack.gql(token, CREATE, { input: campaignInput({ regions: [region], title: { fr: `Liste ${i}` } }) });
      const id = r.data!.createCampaign.campaign.id as string;
      last = r.data!.createCampaign.position as string;
      const planned = i % 3 === 0 && i % 2 === 0;
      if (planned) {
        const p = await stack.gql(token, 'mutation($id: ID!) { planCampaign(id: $id) { position } }', { id });
        last = p.data!.planCampaign.position as string;
      }
      created.push({ id, region, planned });
    }
  }, 180_000);
  afterAll(async () => stack?.stop());

  async function all(filter: Record<string, unknown> | null): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const r = await stack.gql(token, PAGE, { filter, after, p: last });
      expect(r.errors).toBeUndefined();
      const c = r.data!.campaigns as { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      ids.push(...c.edges.map((e) => e.node.id));
      if (!c.pageInfo.hasNextPage) return ids;
      after = c.pageInfo.endCursor;
    }
    throw new Error('more pages than campaigns');
  }

  it('pages through every campaign exactly once, in creation order', async () => {
    expect(await all(null)).toEqual(created.map((c) => c.id));
  });

  it('pages through a region filter and a status filter exactly', async () => {
    expect(await all({ region: 'MA-06' })).toEqual(created.filter((c) => c.region === 'MA-06').map((c) => c.id));
    expect(await all({ status: ['PLANNED'] })).toEqual(created.filter((c) => c.planned).map((c) => c.id));
    expect(await all({ search: 'liste 14' })).toEqual(created.filter((_, i) => String(i).startsWith('14')).map((c) => c.id));
  });

  it('counts totalCount with the filter when it is selected', async () => {
    const r = await stack.gql(
      token,
      '{ a: campaigns(first: 1) { totalCount } b: campaigns(first: 1, filter: { region: "MA-09" }) { totalCount } }',
    );
    expect(r.data).toEqual({ a: { totalCount: 150 }, b: { totalCount: 50 } });
  });

  it('shares a count briefly, but never one older than the minPosition asked for', async () => {
    const count = async (p?: string) =>
      (
        await stack.gql(token, 'query($p: String) { campaigns(first: 1, filter: { region: "MA-09" }, minPosition: $p) { totalCount } }', {
          p,
        })
      ).data!.campaigns.totalCount as number;
    const before = await count(last);
    const r = await stack.gql(token, CREATE, { input: campaignInput({ regions: ['MA-09'], title: { fr: 'Liste compte' } }) });
    // At once (within the time a count is shared): the new campaign is counted.
    expect(await count(r.data!.createCampaign.position as string)).toBe(before + 1);
  });
});
