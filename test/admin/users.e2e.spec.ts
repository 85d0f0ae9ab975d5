import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { serviceAccountAdminClient } from '@hrp/auth';
import {
  DEV_USERS,
  devToken,
  errorCode,
  eventually,
  graphql,
  jwtPayload,
  startApp,
  startPlatformStack,
  testInfra,
  type DevUser,
  type PlatformStack,
  type RunningApp,
} from '@hrp/testing';

/*
 * Issue 15 item 5: user administration through the gateway, with the real Keycloak. An admin
 * provisions a regional officer for MA-03, who logs in and works in MA-03 only; deactivated, the
 * officer's still-valid token is refused (by both gateway instances and by the service reached
 * directly); each act is an event of the admin stream, published to
 * the gateway topic and shown by the audit trail. Who may administer; the rules; bad
 * input changes nothing. Shared dev users are never changed: the test provisions its own and
 * deletes them in Keycloak afterwards.
 */

const USER = `id username email firstName lastName roles region enabled createdAt`;
const USERS = `query($first: Int, $after: String) { users(first: $first, after: $after) { edges { node { ${USER} } cursor } pageInfo { hasNextPage endCursor } totalCount } }`;
const PROVISION = `mutation($input: ProvisionUserInput!) { provisionUser(input: $input) { ${USER} } }`;
const ASSIGN = `mutation($id: ID!, $roles: [String!]!, $region: String, $reason: String) { assignRoles(userId: $id, roles: $roles, region: $region, reason: $reason) { ${USER} } }`;
const DEACTIVATE = `mutation($id: ID!, $reason: String) { deactivateUser(userId: $id, reason: $reason) { ${USER} } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id regions } } }`;
const PASSWORD = 'an-initial-password-for-tests';

const campaignIn = (region: string) => ({
  title: { fr: `Campagne ${region}` },
  themes: ['CRC'],
  audiences: ['YOUTH'],
  channels: ['RADIO'],
  regions: [region],
  startDate: '2026-03-01',
  endDate: '2026-06-30',
  targetReach: 100,
});

async function passwordGrant(username: string, password: string) {
  const r = await fetch(`${testInfra.keycloakUrl}/realms/${testInfra.realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'hrp-web', username, password, scope: 'openid' }),
  });
  return { status: r.status, body: (await r.json()) as { access_token: string; refresh_token: string; error?: string } };
}

async function refreshGrant(refreshToken: string) {
  const r = await fetch(`${testInfra.keycloakUrl}/realms/${testInfra.realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'hrp-web', refresh_token: refreshToken }),
  });
  return r.status;
}

describe('user administration through the gateway', () => {
  const tag = randomBytes(3).toString('hex');
  const name = (what: string) => `t-${what}-${tag}`;
  const gatewayDb = `t_admin_users_${tag}`;
  let stack: PlatformStack;
  /** A second gateway instance on the same store: it learns the deactivation from the admin stream. */
  let other: RunningApp;
  let store: mongoose.Connection;
  let kc: Awaited<ReturnType<typeof serviceAccountAdminClient>>;
  const tokens = {} as Record<DevUser, string>;
  const created: string[] = [];

  const provision = async (what: string, extra: Record<string, unknown> = {}) => {
    const r = await stack.gql(tokens.admin, PROVISION, {
      input: { username: name(what), email: `${name(what)}@hrp.invalid`, firstName: 'Test', lastName: 'User', roles: ['viewer'], ...extra },
    });
    if (r.data?.provisionUser) created.push(r.data.provisionUser.id as string);
    return r;
  };
  const commits = () => store.db!.collection('es_commits').countDocuments();
  const adminStream = async (userId: string) =>
    (
      await store
        .db!.collection('es_commits')
        .find({ streamId: `user-${userId}` })
        .sort({ firstVersion: 1 })
        .toArray()
    ).flatMap(
      (c) => c.events as { type: string; data: Record<string, unknown>; metadata: { actor: { subject: string; username: string } } }[],
    );
  const inKeycloak = async (username: string) => (await kc.users.find({ username, exact: true })).length;

  beforeAll(async () => {
    // The gateway's own store (the admin stream) for this file only: the gateway inherits it.
    process.env.GATEWAY_DB = gatewayDb;
    stack = await startPlatformStack(['campaigns'], 15780);
    delete process.env.GATEWAY_DB;
    other = await startApp('gateway', 'gateway', 15790, {
      GATEWAY_DB: gatewayDb,
      KAFKA_TOPIC_PREFIX: stack.iso.topicPrefix,
      HEALTH_SUBGRAPHS: 'campaigns',
      CAMPAIGNS_URL: `${stack.services.campaigns.url}/graphql`,
    });
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    store = await mongoose.createConnection(testInfra.mongoUrl, { dbName: gatewayDb }).asPromise();
    kc = await serviceAccountAdminClient({
      keycloakUrl: testInfra.keycloakUrl,
      realm: testInfra.realm,
      clientId: 'hrp-gateway',
      clientSecret: 'hrp-gateway-dev-secret',
    });
  }, 120_000);
  afterAll(async () => {
    if (kc) {
      await kc.auth({ grantType: 'client_credentials', clientId: 'hrp-gateway', clientSecret: 'hrp-gateway-dev-secret' });
      for (const id of created) await kc.users.del({ id }).catch(() => undefined);
    }
    await store?.dropDatabase().catch(() => undefined);
    await store?.close();
    await other?.stop();
    await stack?.stop();
  });

  describe('when an admin provisions a regional officer for MA-03', () => {
    let officerId: string;
    let officerToken: string;
    let refreshToken: string;

    it('creates the user in Keycloak, enabled, with its role and region', async () => {
      const r = await provision('officer', {
        roles: ['regional-officer'],
        region: 'MA-03',
        initialPassword: PASSWORD,
        passwordTemporary: false,
        reason: 'nouvelle antenne régionale',
      });
      expect(r.errors).toBeUndefined();
      expect(r.data!.provisionUser).toMatchObject({
        username: name('officer'),
        email: `${name('officer')}@hrp.invalid`,
        roles: ['regional-officer'],
        region: 'MA-03',
        enabled: true,
      });
      officerId = r.data!.provisionUser.id as string;
    });

    it('lets the user log in with the real Keycloak, the region in the token', async () => {
      const { status, body } = await passwordGrant(name('officer'), PASSWORD);
      expect(status).toBe(200);
      officerToken = body.access_token;
      refreshToken = body.refresh_token;
      expect(jwtPayload(officerToken)).toMatchObject({
        sub: officerId,
        region: 'MA-03',
        realm_access: { roles: expect.arrayContaining(['regional-officer']) },
      });
    });

    it('lets the officer create a campaign in MA-03 and refuses MA-05', async () => {
      const ok = await stack.gql(officerToken, CREATE_CAMPAIGN, { input: campaignIn('MA-03') });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.createCampaign.campaign.regions).toEqual(['MA-03']);
      const refused = await stack.gql(officerToken, CREATE_CAMPAIGN, { input: campaignIn('MA-05') });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('lists the user among the users (paged)', async () => {
      const all = await stack.gql(tokens.admin, USERS, { first: 100 });
      expect(all.errors).toBeUndefined();
      const nodes = all.data!.users.edges.map((e: { node: { id: string } }) => e.node);
      expect(nodes).toContainEqual(expect.objectContaining({ id: officerId, roles: ['regional-officer'], region: 'MA-03', enabled: true }));
      expect(nodes).toContainEqual(
        expect.objectContaining({ username: 'regional-officer-ma06', roles: ['regional-officer'], region: 'MA-06' }),
      );
      const first = await stack.gql(tokens.admin, USERS, { first: 1 });
      expect(first.data!.users.edges).toHaveLength(1);
      expect(first.data!.users.pageInfo.hasNextPage).toBe(true);
      const second = await stack.gql(tokens.admin, USERS, { first: 1, after: first.data!.users.pageInfo.endCursor });
      expect(second.data!.users.edges[0].node.id).not.toBe(first.data!.users.edges[0].node.id);
    });

    it('assigns roles (exactly these) and records who and why', async () => {
      const r = await stack.gql(tokens.admin, ASSIGN, {
        id: officerId,
        roles: ['regional-officer', 'viewer'],
        reason: 'lecture des rapports',
      });
      expect(r.errors).toBeUndefined();
      expect(r.data!.assignRoles).toMatchObject({ roles: ['regional-officer', 'viewer'], region: 'MA-03' });
      expect((await kc.users.listRealmRoleMappings({ id: officerId })).map((m) => m.name)).toEqual(
        expect.arrayContaining(['regional-officer', 'viewer']),
      );
    });

    it('deactivates the user: the next request with the still-valid token is refused, and the sessions end', async () => {
      const before = await stack.gql(officerToken, CREATE_CAMPAIGN, { input: campaignIn('MA-03') });
      expect(before.errors).toBeUndefined();
      const throughOther = () => graphql(`${other.url}/graphql`, CREATE_CAMPAIGN, { input: campaignIn('MA-03') }, officerToken);
      expect((await throughOther()).errors).toBeUndefined();
      // The campaigns service reached directly, not through a gateway.
      const direct = () =>
        graphql(`${stack.services.campaigns.url}/graphql`, CREATE_CAMPAIGN, { input: campaignIn('MA-03') }, officerToken);
      expect((await direct()).errors).toBeUndefined();
      const r = await stack.gql(tokens.admin, DEACTIVATE, { id: officerId, reason: 'départ' });
      expect(r.errors).toBeUndefined();
      expect(r.data!.deactivateUser).toMatchObject({ id: officerId, enabled: false });
      expect((jwtPayload(officerToken).exp as number) * 1000).toBeGreaterThan(Date.now()); // still valid
      await eventually(
        'the deactivated user refused',
        async () =>
          (await stack.gql(officerToken, CREATE_CAMPAIGN, { input: campaignIn('MA-03') })).errors?.[0]?.extensions?.code ===
          'UNAUTHENTICATED',
        { timeoutMs: 5000, intervalMs: 200 },
      );
      expect((await stack.gql(officerToken, USERS, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // The other instance, from the admin stream (ADMIN_REFRESH_MS, 1 s).
      await eventually('the other gateway refusing the user', async () => errorCode(await throughOther()) === 'UNAUTHENTICATED', {
        timeoutMs: 5000,
        intervalMs: 200,
      });
      // The service itself, from the gateway topic (the admin stream, relayed).
      await eventually('the campaigns service refusing the user', async () => errorCode(await direct()) === 'UNAUTHENTICATED', {
        timeoutMs: 5000,
        intervalMs: 200,
      });
      expect(await refreshGrant(refreshToken)).toBe(400);
      expect((await passwordGrant(name('officer'), PASSWORD)).status).toBe(400);
    });

    it('shows each administrative act in the audit trail, from the gateway topic, to the auditor and the admin', async () => {
      const TRAIL = `query($f: AuditFilter!) { auditTrail(filter: $f) { edges { node { context streamId type actorUsername data } } } }`;
      const filter = { context: 'gateway', streamId: `user-${officerId}` };
      for (const user of ['auditor', 'admin'] as const) {
        const entries = await eventually(`the acts in the trail for ${user}`, async () => {
          const r = await stack.gql(tokens[user], TRAIL, { f: filter });
          const edges = (r.data?.auditTrail?.edges ?? []) as { node: { type: string; actorUsername: string; data: string } }[];
          return edges.length === 3 ? edges.map((e) => e.node) : undefined;
        });
        expect(entries.map((e) => [e.type, e.actorUsername])).toEqual([
          ['UserProvisioned', 'admin'],
          ['RolesAssigned', 'admin'],
          ['UserDeactivated', 'admin'],
        ]);
        expect(JSON.parse(entries[2].data)).toEqual({ userId: officerId, username: name('officer'), reason: 'départ' });
      }
      // By the admin as actor, among every act of administration.
      const r = await stack.gql(tokens.auditor, TRAIL, { f: { context: 'gateway', actor: 'admin', eventType: 'UserDeactivated' } });
      expect((r.data!.auditTrail.edges as { node: { streamId: string } }[]).map((e) => e.node.streamId)).toContain(`user-${officerId}`);
    });

    it('keeps each act on the admin stream, the admin as actor', async () => {
      const events = await adminStream(officerId);
      const admin = jwtPayload(tokens.admin);
      expect(events.map((e) => e.type)).toEqual(['UserProvisioned', 'RolesAssigned', 'UserDeactivated']);
      for (const e of events) expect(e.metadata.actor).toEqual({ subject: admin.sub, username: 'admin' });
      expect(events[0].data).toEqual({
        userId: officerId,
        username: name('officer'),
        roles: ['regional-officer'],
        region: 'MA-03',
        reason: 'nouvelle antenne régionale',
      });
      expect(events[1].data).toMatchObject({
        roles: ['regional-officer', 'viewer'],
        previousRoles: ['regional-officer'],
        reason: 'lecture des rapports',
      });
      expect(events[2].data).toEqual({ userId: officerId, username: name('officer'), reason: 'départ' });
      expect(JSON.stringify(events)).not.toContain('@hrp.invalid'); // no email in the stream
    });
  });

  describe('who may administer', () => {
    it.each(DEV_USERS.map((u) => [u, u === 'admin' ? 'may' : 'FORBIDDEN'] as const))('as %s: %s', async (user, expected) => {
      const listed = await stack.gql(tokens[user], USERS, { first: 1 });
      if (expected === 'may') {
        expect(listed.errors).toBeUndefined();
        return;
      }
      const before = await commits();
      const someone = jwtPayload(tokens.viewer).sub as string;
      const acts = [
        listed,
        await stack.gql(tokens[user], PROVISION, {
          input: {
            username: name(`by-${user}`),
            email: `${name(`by-${user}`)}@hrp.invalid`,
            firstName: 'A',
            lastName: 'B',
            roles: ['viewer'],
          },
        }),
        await stack.gql(tokens[user], ASSIGN, { id: someone, roles: ['admin'] }),
        await stack.gql(tokens[user], DEACTIVATE, { id: someone }),
      ];
      expect(acts.map((a) => a.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      expect(await inKeycloak(name(`by-${user}`))).toBe(0);
      expect((await kc.users.findOne({ id: someone }))!.enabled).toBe(true);
      expect(await commits()).toBe(before);
    });

    it('refuses without a token', async () => {
      expect((await stack.gql(undefined, USERS, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('the rules', () => {
    it('refuses an admin who grants roles to themselves', async () => {
      const self = jwtPayload(tokens.admin).sub as string;
      const before = await commits();
      const r = await stack.gql(tokens.admin, ASSIGN, { id: self, roles: ['admin', 'director'] });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.roles.self-grant' });
      expect((await kc.users.listRealmRoleMappings({ id: self })).map((m) => m.name)).not.toContain('director');
      expect(await commits()).toBe(before);
    });

    it('refuses to deactivate the last admin', async () => {
      const admins = (await kc.roles.findUsersWithRole({ name: 'admin' })).filter((u) => u.enabled);
      expect(admins.map((u) => u.username)).toEqual(['admin']); // the dev admin is the only one
      const before = await commits();
      const r = await stack.gql(tokens.admin, DEACTIVATE, { id: admins[0].id, reason: 'essai' });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.deactivate.last-admin' });
      expect((await kc.users.findOne({ id: admins[0].id! }))!.enabled).toBe(true);
      expect((await stack.gql(tokens.admin, USERS, { first: 1 })).errors).toBeUndefined();
      expect(await commits()).toBe(before);
    });

    const base = { firstName: 'Bad', lastName: 'Input', initialPassword: PASSWORD, passwordTemporary: false };
    it.each([
      ['an unknown role', 'unknown-role', { roles: ['superuser'] }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      ['no role', 'no-role', { roles: [] }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      [
        'a regional officer without a region',
        'no-region',
        { roles: ['regional-officer'] },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.region.required' },
      ],
      [
        'a region for another role',
        'region-viewer',
        { roles: ['viewer'], region: 'MA-03' },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.region.regional-officer-only' },
      ],
      [
        'a region that does not exist',
        'bad-region',
        { roles: ['regional-officer'], region: 'MA-13' },
        { code: 'BAD_USER_INPUT', field: 'region' },
      ],
      ['a bad email', 'bad-email', { roles: ['viewer'], email: 'not-an-email' }, { code: 'BAD_USER_INPUT', field: 'email' }],
      ['a bad username', 'Bad Name', { roles: ['viewer'], username: 'Bad Name' }, { code: 'BAD_USER_INPUT', field: 'username' }],
    ])('refuses %s and changes nothing', async (_, what, input, expected) => {
      const before = await commits();
      const r = await stack.gql(tokens.admin, PROVISION, {
        input: { username: name(what), email: `${name(what)}@hrp.invalid`, ...base, ...input },
      });
      expect(r.errors?.[0]?.extensions).toMatchObject(expected);
      expect(await inKeycloak(name(what))).toBe(0);
      expect(await commits()).toBe(before);
    });

    it('refuses a username or an email that is taken (CONFLICT), and changes nothing', async () => {
      const before = await commits();
      const viewer = (await kc.users.find({ username: 'viewer', exact: true }))[0];
      const taken = await stack.gql(tokens.admin, PROVISION, {
        input: { username: 'viewer', email: `${name('dup')}@hrp.invalid`, ...base, roles: ['admin'] },
      });
      expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
      const email = await stack.gql(tokens.admin, PROVISION, {
        input: { username: name('dup'), email: viewer.email, ...base, roles: ['viewer'] },
      });
      expect(email.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
      expect(await inKeycloak(name('dup'))).toBe(0);
      expect((await kc.users.listRealmRoleMappings({ id: viewer.id! })).map((m) => m.name)).not.toContain('admin');
      expect(await commits()).toBe(before);
    });

    it('refuses bad role assignments and unknown users, and changes nothing', async () => {
      const r = await provision('target', { roles: ['viewer'] });
      expect(r.errors).toBeUndefined();
      const id = r.data!.provisionUser.id as string;
      const before = await commits();
      const tries = [
        await stack.gql(tokens.admin, ASSIGN, { id, roles: ['regional-officer'] }),
        await stack.gql(tokens.admin, ASSIGN, { id, roles: ['viewer', 'nope'] }),
        await stack.gql(tokens.admin, ASSIGN, { id, roles: ['auditor'], region: 'MA-01' }),
        await stack.gql(tokens.admin, ASSIGN, { id: '00000000-0000-0000-0000-000000000000', roles: ['viewer'] }),
        await stack.gql(tokens.admin, DEACTIVATE, { id: '00000000-0000-0000-0000-000000000000' }),
      ];
      expect(tries.map((t) => t.errors?.[0]?.extensions?.rule ?? t.errors?.[0]?.extensions?.code)).toEqual([
        'admin.region.required',
        'BAD_USER_INPUT',
        'admin.region.regional-officer-only',
        'NOT_FOUND',
        'NOT_FOUND',
      ]);
      expect((await kc.users.listRealmRoleMappings({ id })).map((m) => m.name).filter((n) => n !== 'default-roles-hrp')).toEqual([
        'viewer',
      ]);
      expect(await commits()).toBe(before);
    });
  });
});
