import { randomUUID } from 'node:crypto';
import { devToken, errorCode, graphql, startProxy, type TestProxy } from '@hrp/testing';
import { CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

/*
 * Idempotent mutations: a request carrying an Idempotency-Key runs once; a retry gets the
 * original response and writes nothing.
 */
describe('Campaigns: idempotent mutations through the gateway', () => {
  let stack: CampaignsStack;
  let token: string;

  beforeAll(async () => {
    stack = await startCampaignsStack(14600);
    token = await devToken('campaign-manager');
  }, 120_000);
  afterAll(async () => stack?.stop());

  const key = () => ({ 'idempotency-key': `create-${randomUUID()}` });

  it('runs the same createCampaign sent 10 times at once with one key exactly once: ten identical responses, one event in the store and on the topic', async () => {
    const headers = key();
    const before = await stack.storedEventCount();
    const input = campaignInput({ title: { fr: 'Une seule fois' } });
    const responses = await Promise.all(Array.from({ length: 10 }, () => stack.gql(token, CREATE, { input }, headers)));
    expect(responses[0].errors).toBeUndefined();
    for (const r of responses) expect(r).toEqual(responses[0]);
    const id = responses[0].data!.createCampaign.campaign.id as string;
    expect(await stack.storedEventCount()).toBe(before + 1);
    expect((await stack.readStream(id)).map((e) => e.type)).toEqual(['CampaignCreated']);
    expect(await stack.topicEventTypes(id)).toEqual(['CampaignCreated']);
  });

  it('answers a retry with the original response when the connection was cut after the commit', async () => {
    let dropped = 0;
    const proxy: TestProxy = await startProxy([stack.gateway.url], {
      onResponse: () => (dropped++ === 0 ? 'drop' : 'pass'),
    });
    try {
      const headers = key();
      const input = campaignInput({ title: { fr: 'Connexion coupée' } });
      const before = await stack.storedEventCount();
      // The gateway and the service did the work; the client only sees its connection cut.
      await expect(graphql(`${proxy.url}/graphql`, CREATE, { input }, token, headers)).rejects.toThrow();
      expect(await stack.storedEventCount()).toBe(before + 1);
      const retry = await graphql<Record<string, any>>(`${proxy.url}/graphql`, CREATE, { input }, token, headers);
      expect(retry.errors).toBeUndefined();
      const id = retry.data!.createCampaign.campaign.id as string;
      const [created] = await stack.readStream(id);
      expect(created).toMatchObject({ type: 'CampaignCreated', streamVersion: 1 });
      expect(retry.data!.createCampaign).toMatchObject({ campaign: { id, version: 1, title: { fr: 'Connexion coupée' } } });
      expect(await stack.storedEventCount()).toBe(before + 1);
      // and again, straight to the gateway: the same response
      expect(await stack.gql(token, CREATE, { input }, headers)).toEqual(retry);
    } finally {
      await proxy.close();
    }
  });

  it('refuses the same key with other variables, with IDEMPOTENCY_KEY_REUSED, and writes nothing', async () => {
    const headers = key();
    const first = await stack.gql(token, CREATE, { input: campaignInput({ targetReach: 100 }) }, headers);
    expect(first.errors).toBeUndefined();
    const before = await stack.storedEventCount();
    const other = await stack.gql(token, CREATE, { input: campaignInput({ targetReach: 200 }) }, headers);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const otherOperation = await stack.gql(
      token,
      'mutation($id: ID!) { planCampaign(id: $id) { position } }',
      { id: first.data!.createCampaign.campaign.id },
      headers,
    );
    expect(errorCode(otherOperation)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stack.storedEventCount()).toBe(before);
  });

  it('keeps keys per caller: another user with the same key runs their own request', async () => {
    const headers = key();
    const input = campaignInput();
    const mine = await stack.gql(token, CREATE, { input }, headers);
    const theirs = await stack.gql(await devToken('director'), CREATE, { input }, headers);
    expect(mine.errors ?? theirs.errors).toBeUndefined();
    expect(theirs.data!.createCampaign.campaign.id).not.toBe(mine.data!.createCampaign.campaign.id);
  });

  it('refuses a malformed key as BAD_USER_INPUT', async () => {
    const r = await stack.gql(token, CREATE, { input: campaignInput() }, { 'idempotency-key': 'x'.repeat(300) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });

  it('behaves as before without a key: the same request twice creates two campaigns', async () => {
    const before = await stack.storedEventCount();
    const input = campaignInput();
    const [a, b] = await Promise.all([stack.gql(token, CREATE, { input }), stack.gql(token, CREATE, { input })]);
    expect(a.data!.createCampaign.campaign.id).not.toBe(b.data!.createCampaign.campaign.id);
    expect(await stack.storedEventCount()).toBe(before + 2);
  });
});
