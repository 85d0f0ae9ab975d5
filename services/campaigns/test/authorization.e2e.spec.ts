import { DEV_USERS, devToken, forgedCopy, graphql, shortLivedToken, type DevUser } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

type Mutation =
  | 'createCampaign'
  | 'planCampaign'
  | 'launchCampaign'
  | 'scheduleActivity'
  | 'recordActivityHeld'
  | 'cancelActivity'
  | 'completeCampaign'
  | 'cancelCampaign';
const MUTATIONS: Mutation[] = [
  'createCampaign',
  'planCampaign',
  'launchCampaign',
  'scheduleActivity',
  'recordActivityHeld',
  'cancelActivity',
  'completeCampaign',
  'cancelCampaign',
];

/** Who may change campaigns (issue 4): managers and the director everywhere, regional officers in their region only. */
const ALLOWED: Record<DevUser, boolean> = {
  'campaign-manager': true,
  director: true,
  'regional-officer-ma06': true, // the campaigns below are in MA-06
  'regional-officer': false, // MA-01
  admin: false,
  auditor: false,
  viewer: false,
  'me-officer': false,
  'training-coordinator': false,
  'partnership-officer': false,
  'advocacy-officer': false,
  'finance-officer': false,
};

describe('Campaigns authorization, through the gateway with real tokens', () => {
  let stack: CampaignsStack;
  let manager: string;

  beforeAll(async () => {
    stack = await startCampaignsStack(14300);
    manager = await devToken('campaign-manager');
  }, 90000);
  afterAll(() => stack?.stop());

  const ok = async (token: string, query: string, variables: Record<string, unknown>) => {
    const r = await stack.gql(token, query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const create = async () => (await ok(manager, CREATE, { input: campaignInput() })).createCampaign.campaign.id as string;
  const run = (token: string, name: string, id: string, extra = '') =>
    ok(token, `mutation { ${name}(id: "${id}"${extra}) { position } }`, {});
  const schedule = async (token: string, id: string) =>
    (
      await ok(
        token,
        `mutation($id: ID!) { scheduleActivity(campaignId: $id, input: { kind: WORKSHOP, date: "2026-04-01", region: "MA-06" }) { campaign { activities { id } } } }`,
        { id },
      )
    ).scheduleActivity.campaign.activities.at(-1).id as string;

  /** Brings a fresh MA-06 campaign (as the manager) to the state the mutation needs; returns the call to make. */
  async function prepare(m: Mutation): Promise<{ query: string; variables: Record<string, unknown>; streamId?: string }> {
    const base = { input: campaignInput() };
    if (m === 'createCampaign') return { query: CREATE, variables: base };
    const id = await create();
    const idOnly = (name: string, extra = '') => ({
      query: `mutation($id: ID!) { ${name}(id: $id${extra}) { position campaign { id } } }`,
      variables: { id },
      streamId: id,
    });
    switch (m) {
      case 'planCampaign':
        return idOnly('planCampaign');
      case 'cancelCampaign':
        return idOnly('cancelCampaign', ', reason: "budget cut"');
      case 'launchCampaign':
        await run(manager, 'planCampaign', id);
        return idOnly('launchCampaign');
      case 'completeCampaign':
        await run(manager, 'planCampaign', id);
        await run(manager, 'launchCampaign', id);
        return idOnly('completeCampaign');
      case 'scheduleActivity':
        await run(manager, 'planCampaign', id);
        return {
          query: `mutation($id: ID!) { scheduleActivity(campaignId: $id, input: { kind: SEMINAR, date: "2026-05-01", region: "MA-06" }) { position } }`,
          variables: { id },
          streamId: id,
        };
      case 'cancelActivity': {
        await run(manager, 'planCampaign', id);
        const a = await schedule(manager, id);
        return {
          query: `mutation($id: ID!, $a: ID!) { cancelActivity(campaignId: $id, activityId: $a, reason: "rain") { position } }`,
          variables: { id, a },
          streamId: id,
        };
      }
      case 'recordActivityHeld': {
        await run(manager, 'planCampaign', id);
        await run(manager, 'launchCampaign', id);
        const a = await schedule(manager, id);
        return {
          query: `mutation($id: ID!, $a: ID!) { recordActivityHeld(campaignId: $id, activityId: $a, input: { participants: { female: 3, male: 2 } }) { position } }`,
          variables: { id, a },
          streamId: id,
        };
      }
    }
  }

  describe.each(MUTATIONS)('%s', (m) => {
    it.each(DEV_USERS.map((u) => [u, ALLOWED[u]] as const))('as %s: allowed = %s', async (user, allowed) => {
      const call = await prepare(m);
      const before = await stack.storedEventCount();
      const r = await stack.gql(await devToken(user), call.query, call.variables);
      if (allowed) {
        expect(r.errors).toBeUndefined();
        expect(await stack.storedEventCount()).toBeGreaterThan(before);
      } else {
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(await stack.storedEventCount()).toBe(before);
      }
    });
  });

  describe('a regional officer', () => {
    it('may not create a campaign outside its region', async () => {
      const r = await stack.gql(await devToken('regional-officer-ma06'), CREATE, { input: campaignInput({ regions: ['MA-01'] }) });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('may not schedule an activity outside its region, even in a national campaign', async () => {
      const id = (await ok(manager, CREATE, { input: campaignInput({ regions: ['NATIONAL'] }) })).createCampaign.campaign.id as string;
      await run(manager, 'planCampaign', id);
      const r = await stack.gql(
        await devToken('regional-officer-ma06'),
        `mutation($id: ID!) { scheduleActivity(campaignId: $id, input: { kind: CARAVAN, date: "2026-04-01", region: "MA-01" }) { position } }`,
        { id },
      );
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('reading', () => {
    let id: string;
    let position: string;
    beforeAll(async () => {
      const created = (await ok(manager, CREATE, { input: campaignInput({ title: { fr: 'Lecture ouverte à tous' } }) })).createCampaign;
      id = created.campaign.id as string;
      position = created.position as string;
    });

    it.each(DEV_USERS)('is open to %s', async (user) => {
      const r = await stack.gql(await devToken(user), 'query($id: ID!, $p: String) { campaign(id: $id, minPosition: $p) { id } }', {
        id,
        p: position,
      });
      expect(r.errors).toBeUndefined();
      expect(r.data!.campaign).toEqual({ id });
    });
  });

  describe('without a valid token', () => {
    const query = '{ campaigns { totalCount } }';

    it('refuses a request with no token as UNAUTHENTICATED (HTTP 401)', async () => {
      const r = await stack.gql(undefined, query);
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired token', async () => {
      const token = await shortLivedToken('director');
      await new Promise((r) => setTimeout(r, 3200));
      const r = await stack.gql(token, query);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token signed by another key', async () => {
      const r = await stack.gql(forgedCopy(await devToken('director')), query);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('is refused by the subgraph called directly (zero trust)', async () => {
      const direct = await graphql(`${stack.service.url}/graphql`, query);
      expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const mutation = await graphql(`${stack.service.url}/graphql`, CREATE, { input: campaignInput() });
      expect(mutation.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('is refused by the subgraph’s entity resolution called directly (`_entities`, what the gateway uses across subgraphs)', async () => {
      const created = await stack.gql(await devToken('campaign-manager'), CREATE, { input: campaignInput() });
      const id = created.data!.createCampaign.campaign.id as string;
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { id title { fr } } } }`;
      const anonymous = await graphql(`${stack.service.url}/graphql`, entities, { r: [{ __typename: 'Campaign', id }] });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(anonymous.data ?? null)).not.toContain('title');
      const signedIn = await graphql(
        `${stack.service.url}/graphql`,
        entities,
        { r: [{ __typename: 'Campaign', id }] },
        await devToken('viewer'),
      );
      expect(signedIn.errors).toBeUndefined();
      expect(signedIn.data).toMatchObject({ _entities: [{ id }] });
    });

    it('the subgraph called directly with a valid token still verifies and authorizes it', async () => {
      const r = await graphql(`${stack.service.url}/graphql`, CREATE, { input: campaignInput() }, await devToken('viewer'));
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
