import { eventually, graphql, isolation, shortLivedToken, startApp, startKeycloak, testInfra } from '@hrp/testing';
import type { RunningApp, StartedKeycloak } from '@hrp/testing';
import { CREATE, campaignInput } from '../../services/campaigns/test/harness';
import { note, sleep } from './fixtures';

/*
 * Keycloak stopped under the running platform: the built campaigns service and gateway verify
 * tokens offline against the realm keys they fetched before (keycloak-connect's JWKS cache), so
 * requests with still-valid tokens go on; a new login (a password grant at Keycloak) is refused
 * with the connection error, the gateway's /health names Keycloak down, and an expired token is
 * still refused. Once Keycloak is back, logins work again and so do their tokens. A disposable
 * Keycloak container; the store and the broker are the shared ones.
 */
jest.setTimeout(360_000);

const GATEWAY_PORT = 15110;
const SERVICE_PORT = 15111;

const READ = 'query($id: ID!) { campaign(id: $id) { id version } }';

interface Health {
  checks: Record<string, { status: string; reason?: string }>;
}

/** What a failed fetch says, with its cause (Node's fetch hides the socket error there; not a Jest-realm Error). */
const failure = (e: unknown): string => {
  const { message, cause } = e as { message?: string; cause?: { code?: string } };
  return `${message ?? String(e)} (${cause?.code ?? 'no cause'})`;
};

describe('Fault: Keycloak', () => {
  const iso = isolation('keycloak_fault');
  let keycloak: StartedKeycloak;
  let service: RunningApp;
  let gateway: RunningApp;

  beforeAll(async () => {
    keycloak = await startKeycloak();
    const env = {
      MONGO_DB: iso.dbName,
      KAFKA_TOPIC_PREFIX: iso.topicPrefix,
      KAFKA_BROKERS: testInfra.kafkaBrokers.join(','),
      KEYCLOAK_URL: keycloak.url,
    };
    service = await startApp('campaigns-keycloak-fault', 'services/campaigns', SERVICE_PORT, env);
    gateway = await startApp('gateway-keycloak-fault', 'gateway', GATEWAY_PORT, {
      ...env,
      CAMPAIGNS_URL: `${service.url}/graphql`,
      HEALTH_SUBGRAPHS: 'campaigns',
    });
  }, 300_000);
  afterAll(async () => {
    await Promise.allSettled([gateway?.stop(), service?.stop()]);
    await keycloak?.stop();
  }, 60_000);

  const gql = (token: string | undefined, query: string, variables: Record<string, unknown> = {}) =>
    graphql<Record<string, any>>(`${gateway.url}/graphql`, query, variables, token);

  async function create(token: string): Promise<string> {
    const r = await gql(token, CREATE, { input: campaignInput() });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.createCampaign.campaign.id as string;
  }

  const gatewayHealth = async (): Promise<{ code: number; body: Health }> => {
    const res = await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(10_000) });
    return { code: res.status, body: (await res.json()) as Health };
  };

  it('stopped: requests with still-valid tokens keep working, new logins fail with the connection error, expired tokens are refused, and it all recovers when Keycloak returns', async () => {
    const token = await keycloak.token('campaign-manager');
    const expiring = await shortLivedToken('director', { keycloakUrl: keycloak.url });
    // The first request makes the gateway and the service fetch the realm's keys.
    const created = [await create(token)];
    expect((await gatewayHealth()).code).toBe(200);

    await keycloak.halt();
    const stoppedAt = Date.now();
    try {
      // Still-valid tokens: writes and reads go on.
      for (let i = 0; i < 5; i++) created.push(await create(token));
      for (const id of created) {
        const r = await gql(token, READ, { id });
        expect(r.errors).toBeUndefined();
        expect(r.data!.campaign).toEqual({ id, version: 1 });
      }
      // A new login cannot happen, and says why.
      const login = await keycloak.token('director').then(
        () => 'logged in',
        (e: unknown) => failure(e),
      );
      expect(login).toMatch(/ECONNREFUSED/);
      // The gateway's /health names Keycloak as the part that is down.
      const down = await eventually(
        'the gateway /health 503 with keycloak down',
        async () => {
          const h = await gatewayHealth();
          return h.code === 503 && h.body.checks.keycloak?.status === 'down' ? h.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      note(`Keycloak stopped; gateway /health: keycloak ${down.checks.keycloak.reason}; login: ${login}`);
      // An expired token is refused, not waved through because Keycloak cannot be asked.
      await sleep(Math.max(0, 3000 - (Date.now() - stoppedAt)));
      const expired = await gql(expiring, READ, { id: created[0] });
      expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await keycloak.restart();
    }

    await eventually('the gateway /health back to 200', async () => (await gatewayHealth()).code === 200, {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    // A new login works again, and its token is accepted.
    const fresh = await keycloak.token('director');
    const listed = await eventually(
      'the list to show every campaign',
      async () => {
        const r = await gql(fresh, 'query { campaigns(first: 50) { edges { node { id } } } }');
        if (r.errors) throw new Error(JSON.stringify(r.errors));
        const ids = (r.data!.campaigns.edges as { node: { id: string } }[]).map((e) => e.node.id);
        return ids.length >= created.length ? ids : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // Every campaign written while Keycloak was away is there once, by id.
    expect(listed.sort()).toEqual([...created].sort());
    created.push(await create(await keycloak.token('campaign-manager')));
    expect(created).toHaveLength(7);
  });
});
