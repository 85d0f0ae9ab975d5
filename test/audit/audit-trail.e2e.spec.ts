import { DEV_USERS, devToken, eventually, jwtPayload, startPlatformStack, type DevUser, type PlatformStack } from '@hrp/testing';
import { campaignInput } from '../../services/campaigns/test/harness';

/*
 * Issue 15 item 2: `auditTrail` through the gateway, over the real Kafka and store. Events of a
 * context reach the gateway's trail from the context's topic, with who, when and why; the trail
 * is filtered by stream, actor (username or subject), event type, context and period, in both
 * orders, a page at a time. Who may read it; bad input is refused.
 */
jest.setTimeout(120_000);

const TRAIL = `query($f: AuditFilter!, $first: Int, $after: String) { auditTrail(filter: $f, first: $first, after: $after) {
  edges { cursor node { id context streamId version position type at actorSubject actorUsername correlationId causationId data } }
  pageInfo { hasNextPage endCursor } } }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const PLAN = `mutation($id: ID!) { planCampaign(id: $id) { campaign { id status } } }`;

interface Entry {
  id: string;
  context: string;
  streamId: string;
  version: number;
  type: string;
  at: string;
  actorSubject: string;
  actorUsername: string;
  correlationId: string;
  data: string;
}

describe('auditTrail through the gateway', () => {
  let stack: PlatformStack;
  const tokens = {} as Record<DevUser, string>;
  const campaigns: string[] = [];
  let startedAt: string;

  const trail = async (f: Record<string, unknown>, user: DevUser = 'auditor', first?: number, after?: string) => {
    const r = await stack.gql(tokens[user], TRAIL, { f, first, after });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.auditTrail as { edges: { cursor: string; node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };

  beforeAll(async () => {
    stack = await startPlatformStack(['campaigns'], 15860);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    startedAt = new Date().toISOString();
    const input = (fr: string) => campaignInput({ title: { fr } });
    for (const title of ['Campagne tracée', 'Autre campagne']) {
      const r = await stack.gql(tokens['campaign-manager'], CREATE, { input: input(title) });
      campaigns.push(r.data!.createCampaign.campaign.id as string);
    }
    await stack.gql(tokens['campaign-manager'], PLAN, { id: campaigns[0] });
    // The trail follows the topics: wait until the three events are in.
    await eventually('the three events in the trail', async () => (await trail({ context: 'campaigns' })).edges.length === 3);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps who, when, why and what of each event, oldest first', async () => {
    const page = await trail({ streamId: campaigns[0] });
    expect(page.edges.map((e) => [e.node.type, e.node.version])).toEqual([
      ['CampaignCreated', 1],
      ['CampaignPlanned', 2],
    ]);
    const created = page.edges[0].node;
    const manager = jwtPayload(tokens['campaign-manager']) as { sub: string };
    expect(created).toMatchObject({
      context: 'campaigns',
      streamId: campaigns[0],
      actorSubject: manager.sub,
      actorUsername: 'campaign-manager',
    });
    expect(created.at >= startedAt).toBe(true);
    expect(created.correlationId).toEqual(expect.any(String));
    expect(JSON.parse(created.data)).toMatchObject({ campaignId: campaigns[0], title: { fr: 'Campagne tracée' } });
  });

  it('filters by actor (username or subject), type, context and period, in both orders', async () => {
    const byName = await trail({ actor: 'campaign-manager', context: 'campaigns' });
    const bySubject = await trail({ actor: (jwtPayload(tokens['campaign-manager']) as { sub: string }).sub, context: 'campaigns' });
    expect(byName.edges.map((e) => e.node.id)).toEqual(bySubject.edges.map((e) => e.node.id));
    expect(byName.edges).toHaveLength(3);
    expect((await trail({ actor: 'auditor' })).edges).toHaveLength(0);
    const created = await trail({ eventType: 'CampaignCreated', context: 'campaigns' });
    expect(created.edges.map((e) => e.node.streamId)).toEqual(campaigns);
    const newest = await trail({ context: 'campaigns', newestFirst: true });
    expect(newest.edges.map((e) => e.node.type)).toEqual(['CampaignPlanned', 'CampaignCreated', 'CampaignCreated']);
    expect((await trail({ context: 'campaigns', to: startedAt })).edges).toHaveLength(0);
    expect((await trail({ context: 'campaigns', from: startedAt })).edges).toHaveLength(3);
  });

  it('pages with cursors', async () => {
    const first = await trail({ context: 'campaigns' }, 'auditor', 2);
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await trail({ context: 'campaigns' }, 'auditor', 2, first.pageInfo.endCursor!);
    expect(rest.edges.map((e) => e.node.type)).toEqual(['CampaignPlanned']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it.each(DEV_USERS.map((u) => [u] as const))('as %s: read, limited or refused', async (user) => {
    const r = await stack.gql(tokens[user], TRAIL, { f: { context: 'campaigns' } });
    const g = await stack.gql(tokens[user], TRAIL, { f: { context: 'gateway' } });
    if (user === 'auditor' || user === 'director') {
      expect(r.errors).toBeUndefined();
      expect(g.errors).toBeUndefined();
    } else if (user === 'admin') {
      // An admin reads the acts of administration, not business data.
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(g.errors).toBeUndefined();
    } else {
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(g.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses bad input and a missing token', async () => {
    const bad = async (vars: Record<string, unknown>) => (await stack.gql(tokens.auditor, TRAIL, vars)).errors?.[0]?.extensions;
    expect(await bad({ f: { context: 'elsewhere' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.context' });
    expect(await bad({ f: { actor: '' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.actor' });
    expect(await bad({ f: { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.from',
    });
    expect(await bad({ f: {}, first: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await bad({ f: {}, first: 201 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await bad({ f: {}, after: 'not-a-cursor' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await bad({ f: { from: 'yesterday' } })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await stack.gql(undefined, TRAIL, { f: {} })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
