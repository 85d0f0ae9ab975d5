import { searchWordsOf } from '@hrp/context-kit';
import { devToken, errorCode, graphql, startApp, type RunningApp } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

const plan = 'mutation($id: ID!, $v: Int) { planCampaign(id: $id, expectedVersion: $v) { position campaign { version status } } }';

describe('Campaigns: bad input, conflicts and rules, through the gateway', () => {
  let stack: CampaignsStack;
  let token: string;
  let strictGateway: RunningApp;
  let productionGateway: RunningApp;

  beforeAll(async () => {
    stack = await startCampaignsStack(14400);
    token = await devToken('campaign-manager');
    const env = { CAMPAIGNS_URL: `${stack.service.url}/graphql`, HEALTH_SUBGRAPHS: 'campaigns' };
    // Same gateway build, with tight limits (the defaults are depth 10, cost 5,000), and one in production mode.
    strictGateway = await startApp('gateway-strict', 'gateway', 14410, { ...env, GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COST: '300' });
    productionGateway = await startApp('gateway-production', 'gateway', 14411, { ...env, NODE_ENV: 'production' });
  }, 120000);
  afterAll(async () => {
    await Promise.allSettled([strictGateway?.stop(), productionGateway?.stop()]);
    await stack?.stop();
  });

  const create = async (over: Record<string, unknown> = {}) => {
    const r = await stack.gql(token, CREATE, { input: campaignInput(over) });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.createCampaign.campaign.id as string;
  };

  /** Runs `op` and checks the code, and that the store holds exactly as many events as before. */
  async function refused(
    code: string,
    op: () => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>,
    extra: Record<string, unknown> = {},
  ) {
    const before = await stack.storedEventCount();
    const r = await op();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code, ...extra });
    expect(await stack.storedEventCount()).toBe(before);
    return r;
  }

  describe('creating a campaign with bad input', () => {
    it.each([
      ['an empty French title', { title: { fr: '' } }],
      ['a blank French title', { title: { fr: '   ' } }],
      ['an oversized title', { title: { fr: 'x'.repeat(5000) } }],
      ['an end before the start', { startDate: '2026-06-30', endDate: '2026-03-01' }],
      ['an impossible date', { startDate: '2026-02-30' }],
      ['an unknown region', { regions: ['MA-13'] }],
      ['a negative target reach', { targetReach: -5 }],
      ['an unknown enum value', { audiences: ['ALIENS'] }],
      ['a float amount', { estimatedCost: { amount: '12.50' }, budgetLineId: 'l1' }],
      ['an operator object as a region', { regions: [{ $ne: null }] }],
      ['an operator object as the title', { title: { fr: { $gt: '' } } }],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_label, over) => {
      await refused('BAD_USER_INPUT', () => stack.gql(token, CREATE, { input: campaignInput(over) }));
    });

    it('refuses an unknown enum literal written in the query', async () => {
      const q = `mutation { createCampaign(input: { title: { fr: "t" }, themes: [], audiences: [ALIENS], channels: [TV], regions: ["MA-01"], startDate: "2026-01-01", endDate: "2026-01-02", targetReach: 1 }) { position } }`;
      await refused('BAD_USER_INPUT', () => stack.gql(token, q));
    });

    it('refuses negative participant counts', async () => {
      const id = await create();
      await stack.gql(token, plan, { id });
      await stack.gql(token, `mutation { launchCampaign(id: "${id}") { position } }`);
      const a = await stack.gql(
        token,
        `mutation { scheduleActivity(campaignId: "${id}", input: { kind: WORKSHOP, date: "2026-04-01", region: "MA-06" }) { campaign { activities { id } } } }`,
      );
      const activityId = a.data!.scheduleActivity.campaign.activities[0].id as string;
      await refused('BAD_USER_INPUT', () =>
        stack.gql(
          token,
          `mutation($id: ID!, $a: ID!) { recordActivityHeld(campaignId: $id, activityId: $a, input: { participants: { female: -1, male: 3 } }) { position } }`,
          { id, a: activityId },
        ),
      );
    });
  });

  describe('filters and text search', () => {
    it('treat $-strings as plain text, never as operators', async () => {
      const created = await stack.gql(token, CREATE, { input: campaignInput({ title: { fr: 'Campagne $where ordinaire' } }) });
      const min = created.data!.createCampaign.position as string;
      const q =
        'query($f: CampaignFilter, $min: String) { campaigns(filter: $f, first: 100, minPosition: $min) { totalCount edges { node { title { fr } } } } }';
      const all = await stack.gql(token, q, { f: {}, min });
      for (const search of ['$where', '.*', '^', '{"$gt": ""}', '$ne']) {
        const r = await stack.gql(token, q, { f: { search }, min });
        expect(r.errors).toBeUndefined();
        const titles = (r.data!.campaigns.edges as { node: { title: { fr: string } } }[]).map((e) => e.node.title.fr);
        // A search matches titles in which every word of it starts a word: the rest is not a condition.
        for (const t of titles) for (const w of searchWordsOf(search)) expect(searchWordsOf(t).some((x) => x.startsWith(w))).toBe(true);
        expect(r.data!.campaigns.totalCount).toBeLessThanOrEqual(all.data!.campaigns.totalCount);
      }
      const literal = await stack.gql(token, q, { f: { search: '$where' }, min });
      expect(literal.data!.campaigns.totalCount).toBe(1);
      // No letter or digit: nothing matches (not everything).
      const symbols = await stack.gql(token, q, { f: { search: '.*' }, min });
      expect(symbols.data!.campaigns.totalCount).toBe(0);
    });

    it.each([
      ['an operator object as a region', { region: { $ne: null } }],
      ['an operator object as a theme', { theme: { $gt: '' } }],
      ['an operator object as a search', { search: { $regex: '.*' } }],
      ['an unknown region', { region: 'MA-99' }],
      ['an unknown status', { status: ['RUNNING'] }],
      ['a bad date', { from: 'yesterday' }],
    ])('refuse %s with BAD_USER_INPUT', async (_label, f) => {
      const r = await stack.gql(token, 'query($f: CampaignFilter) { campaigns(filter: $f) { totalCount } }', { f });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    });

    it('refuse a forged cursor and an oversized page', async () => {
      expect(errorCode(await stack.gql(token, '{ campaigns(after: "eyIkZ3QiOiIifQ") { totalCount } }'))).toBe('BAD_USER_INPUT');
      expect(errorCode(await stack.gql(token, '{ campaigns(first: 100000) { totalCount } }'))).toBe('BAD_USER_INPUT');
    });
  });

  describe('a stale expectedVersion', () => {
    it('gives CONFLICT and writes nothing', async () => {
      const id = await create();
      await stack
        .gql(token, `mutation { cancelCampaign(id: "${id}", reason: "x", expectedVersion: 1) { position } }`)
        .then((r) => expect(r.errors).toBeUndefined());
      const id2 = await create();
      const ok = await stack.gql(token, plan, { id: id2, v: 1 });
      expect(ok.errors).toBeUndefined();
      await refused(
        'CONFLICT',
        () => stack.gql(token, `mutation { cancelCampaign(id: "${id2}", reason: "late", expectedVersion: 1) { position } }`),
        { expectedVersion: 1, actualVersion: 2 },
      );
    });
  });

  describe('business rules, each with its rule id', () => {
    const launch = (id: string) => stack.gql(token, `mutation { launchCampaign(id: "${id}") { position } }`);
    // Each case: a setup that may write, then the refused command, which must write nothing.
    it.each<[string, string, () => Promise<string>, (id: string) => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>]>([
      [
        'planning without an audience',
        'campaign.plan.requires-audience-and-channel',
        () => create({ audiences: [] }),
        (id) => stack.gql(token, plan, { id }),
      ],
      [
        'planning a cost without a budget line',
        'campaign.plan.cost-requires-budget-line',
        () => create({ estimatedCost: { amount: '100000' } }),
        (id) => stack.gql(token, plan, { id }),
      ],
      [
        'an activity outside the campaign period',
        'campaign.activity.date-outside-period',
        async () => {
          const id = await create();
          await stack.gql(token, plan, { id });
          return id;
        },
        (id) =>
          stack.gql(
            token,
            `mutation { scheduleActivity(campaignId: "${id}", input: { kind: WEBINAR, date: "2027-01-01", region: "MA-06" }) { position } }`,
          ),
      ],
      [
        'completing a campaign that is not active',
        'campaign.complete.requires-active',
        () => create(),
        (id) => stack.gql(token, `mutation { completeCampaign(id: "${id}") { position } }`),
      ],
      ['launching a draft', 'campaign.launch.requires-planned', () => create(), launch],
      [
        'changing a cancelled campaign',
        'campaign.closed',
        async () => {
          const id = await create();
          await stack.gql(token, `mutation { cancelCampaign(id: "${id}", reason: "merged") { position } }`);
          return id;
        },
        (id) => stack.gql(token, plan, { id }),
      ],
    ])('refuses %s (%s) and writes nothing', async (_label, rule, setup, op) => {
      const id = await setup();
      await refused('DOMAIN_RULE_VIOLATION', () => op(id), { rule });
    });

    it('answers NOT_FOUND for an unknown campaign', async () => {
      await refused('NOT_FOUND', () => stack.gql(token, plan, { id: 'campaign-00000000-0000-0000-0000-000000000000' }));
    });
  });

  describe('gateway hardening', () => {
    // graphql-depth-limit counts the root field as depth 0: this one is 5 deep, the limit here is 4
    const deep = '{ campaigns { edges { node { activities { participants { total } } } } } }';

    it('refuses a query nested past the depth limit, and accepts one within it', async () => {
      const r = await graphql(`${strictGateway.url}/graphql`, deep, {}, token);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(r.errors?.[0]?.message).toMatch(/depth/);
      const shallow = await graphql(`${strictGateway.url}/graphql`, '{ campaigns { edges { node { id } } } }', {}, token);
      expect(shallow.errors).toBeUndefined();
    });

    it('refuses a query whose estimated cost is over the limit', async () => {
      const r = await graphql(
        `${strictGateway.url}/graphql`,
        '{ campaigns(first: 100) { edges { node { id title { fr ar en } regions themes } } } }',
        {},
        token,
      );
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COSTLY' });
    });

    it('refuses a request body over the size limit with 413', async () => {
      const res = await fetch(`${stack.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ campaigns { totalCount } }', variables: { pad: 'x'.repeat(200_000) } }),
      });
      expect(res.status).toBe(413);
    });

    it('blocks a simple cross-site request (CSRF prevention)', async () => {
      const res = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent('{ campaigns { totalCount } }')}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/CSRF|preflight/i);
    });

    it('in production: no introspection and no stack traces', async () => {
      const intro = await graphql(`${productionGateway.url}/graphql`, '{ __schema { types { name } } }', {}, token);
      expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
      const err = await graphql(`${productionGateway.url}/graphql`, plan, { id: 'campaign-nope' }, token);
      expect(err.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(err)).not.toMatch(/stacktrace|at .*\.js/);
      const dev = await graphql(`${stack.gateway.url}/graphql`, '{ __schema { queryType { name } } }', {}, token);
      expect(dev.errors).toBeUndefined();
    });
  });
});
