import mongoose from 'mongoose';
import { DEV_USERS, devToken, startPlatformStack, testInfra, type DevUser, type PlatformStack } from '@hrp/testing';

/*
 * Issue 15 (in part): `verifyAuditTrail` through the gateway, served by the gateway's own
 * subgraph over the contexts' logs: an untouched log verifies (one stream, and every context's);
 * an event edited in the store is found at its position; who may ask.
 */

const VERIFY = `query($s: ID) { verifyAuditTrail(streamId: $s) { ok streams commits firstBad { reason position streamId version }
  contexts { context ok commits firstBad { reason position } } } }`;
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const PLAN = `mutation($id: ID!) { planCampaign(id: $id) { campaign { id status } } }`;
const READERS = ['auditor', 'admin', 'director'] as const satisfies readonly DevUser[];

describe('verifyAuditTrail through the gateway', () => {
  let stack: PlatformStack;
  let conn: mongoose.Connection;
  const tokens = {} as Record<DevUser, string>;
  let campaignId: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['campaigns'], 15760);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_campaigns` }).asPromise();
    const input = (fr: string) => ({
      title: { fr },
      themes: ['CRC'],
      audiences: ['YOUTH'],
      channels: ['RADIO'],
      regions: ['MA-06'],
      startDate: '2026-03-01',
      endDate: '2026-06-30',
      targetReach: 100,
    });
    const created = await stack.gql(tokens['campaign-manager'], CREATE, { input: input('Campagne auditée') });
    campaignId = created.data!.createCampaign.campaign.id as string;
    await stack.gql(tokens['campaign-manager'], PLAN, { id: campaignId });
    await stack.gql(tokens['campaign-manager'], CREATE, { input: input('Autre campagne') });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  it.each(DEV_USERS.map((u) => [u, READERS.includes(u as never) ? 'verifies' : 'FORBIDDEN'] as const))(
    'as %s: %s',
    async (user, expected) => {
      const r = await stack.gql(tokens[user], VERIFY, { s: campaignId });
      if (expected === 'verifies') {
        expect(r.errors).toBeUndefined();
        expect(r.data!.verifyAuditTrail).toMatchObject({
          ok: true,
          streams: 1,
          commits: 2,
          firstBad: null,
          contexts: [{ context: 'campaigns', ok: true }],
        });
      } else expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    },
  );

  it('verifies every context’s whole log', async () => {
    const all = (await stack.gql(tokens.auditor, VERIFY, {})).data!.verifyAuditTrail;
    expect(all).toMatchObject({ ok: true, firstBad: null });
    expect(all.commits).toBeGreaterThanOrEqual(3);
    expect(all.contexts.map((c: { context: string }) => c.context)).toEqual([
      'campaigns',
      'training',
      'partnerships',
      'advocacy',
      'finance',
    ]);
  });

  it('refuses without a token, a stream no context keeps, and one that does not exist', async () => {
    expect((await stack.gql(undefined, VERIFY, { s: campaignId })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await stack.gql(tokens.auditor, VERIFY, { s: 'nothing-1' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'streamId',
    });
    expect(
      (await stack.gql(tokens.auditor, VERIFY, { s: 'campaign-00000000-0000-0000-0000-000000000000' })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
  });

  it('gives a campaign’s state at three moments of its life, folded by campaigns (and nothing before it)', async () => {
    const STATE = `query($s: ID!, $at: DateTime!) { stateAsOf(streamId: $s, at: $at) { streamId context aggregate version at lastEventAt state } }`;
    const pause = () => new Promise((r) => setTimeout(r, 30));
    const manager = tokens['campaign-manager'];
    const before = new Date().toISOString();
    await pause();
    const id = (
      await stack.gql(manager, CREATE, {
        input: {
          title: { fr: 'Trois moments' },
          themes: ['CRC'],
          audiences: ['YOUTH'],
          channels: ['RADIO'],
          regions: ['MA-06'],
          startDate: '2026-03-01',
          endDate: '2026-06-30',
          targetReach: 10,
        },
      })
    ).data!.createCampaign.campaign.id as string;
    await pause();
    const drafted = new Date().toISOString();
    await pause();
    expect((await stack.gql(manager, PLAN, { id })).errors).toBeUndefined();
    await pause();
    const planned = new Date().toISOString();
    await pause();
    expect(
      (await stack.gql(manager, `mutation($id: ID!) { cancelCampaign(id: $id, reason: "Reportée") { campaign { id } } }`, { id })).errors,
    ).toBeUndefined();
    await pause();
    const cancelled = new Date().toISOString();

    const at = async (instant: string) => {
      const r = await stack.gql(tokens.auditor, STATE, { s: id, at: instant });
      expect(r.errors).toBeUndefined();
      return r.data!.stateAsOf as { version: number; state: string; context: string; aggregate: string } | null;
    };
    expect(await at(before)).toBeNull();
    const states = await Promise.all([drafted, planned, cancelled].map(at));
    expect(states.map((s) => [s!.version, JSON.parse(s!.state).status])).toEqual([
      [1, 'DRAFT'],
      [2, 'PLANNED'],
      [3, 'CANCELLED'],
    ]);
    expect(states[0]).toMatchObject({ context: 'campaigns', aggregate: 'Campaign' });
    expect(JSON.parse(states[2]!.state)).toMatchObject({ cancellationReason: 'Reportée' });

    // Every user: the auditor and the director read it; an admin does not read business data.
    for (const user of DEV_USERS) {
      const r = await stack.gql(tokens[user], STATE, { s: id, at: cancelled });
      if (user === 'auditor' || user === 'director') expect(r.data?.stateAsOf?.version).toBe(3);
      else expect([user, r.errors?.[0]?.extensions?.code]).toEqual([user, 'FORBIDDEN']);
    }
    expect((await stack.gql(tokens.auditor, STATE, { s: 'nothing-1', at: cancelled })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await stack.gql(tokens.auditor, STATE, { s: id, at: 'yesterday' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rebuilds a read model through the API (admin), reads switched to the new generation', async () => {
    const REBUILD = `mutation($n: String!) { rebuildProjection(name: $n) { name context projection state startedAt } }`;
    const PROGRESS = `query($n: String!) { projectionRebuild(name: $n) { name state events total generation error } }`;
    for (const user of ['auditor', 'director', 'campaign-manager'] as const)
      expect((await stack.gql(tokens[user], REBUILD, { n: 'campaigns.campaign_view' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.gql(tokens.admin, PROGRESS, { n: 'campaigns.campaign_view' })).data!.projectionRebuild).toBeNull();
    const started = await stack.gql(tokens.admin, REBUILD, { n: 'campaign_view' });
    expect(started.errors).toBeUndefined();
    expect(started.data!.rebuildProjection).toMatchObject({
      name: 'campaigns.campaign_view',
      context: 'campaigns',
      projection: 'campaign_view',
    });
    let progress: { state: string; events: number; total: number; generation: number | null; error: string | null } | undefined;
    for (let i = 0; i < 120 && progress?.state !== 'DONE'; i++) {
      progress = (await stack.gql(tokens.admin, PROGRESS, { n: 'campaigns.campaign_view' })).data!.projectionRebuild;
      expect(progress?.state).not.toBe('FAILED');
      if (progress?.state !== 'DONE') await new Promise((r) => setTimeout(r, 250));
    }
    expect(progress).toMatchObject({ state: 'DONE', generation: 2, error: null });
    expect(progress!.events).toBeGreaterThanOrEqual(5);
    // Kept in the store, so that any instance of campaigns answers for it.
    expect(await conn.db!.collection('projection_rebuilds').findOne({ _id: 'campaign_view' as never })).toMatchObject({
      state: 'DONE',
      generation: 2,
    });
    const pointer = await conn.db!.collection('projection_pointers').findOne({ _id: 'campaign_view' as never });
    expect(pointer).toMatchObject({ active: 2 });
    // Reads go on from the new generation.
    const read = await stack.gql(tokens.viewer, `query($id: ID!) { campaign(id: $id) { id } campaigns(first: 50) { totalCount } }`, {
      id: campaignId,
    });
    expect(read.errors).toBeUndefined();
    expect(read.data!.campaigns.totalCount).toBeGreaterThanOrEqual(3);
    for (const n of ['nothing', 'campaigns.nothing', 'Bad Name'])
      expect((await stack.gql(tokens.admin, REBUILD, { n })).errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
  });

  it('finds an event edited in the store, at its position', async () => {
    const commits = conn.db!.collection('es_commits');
    const second = await commits.findOne({ streamId: campaignId, firstVersion: 2 });
    expect(second).not.toBeNull();
    await commits.updateOne({ _id: second!._id }, { $set: { 'events.0.metadata.actor.username': 'someone-else' } });
    const one = (await stack.gql(tokens.auditor, VERIFY, { s: campaignId })).data!.verifyAuditTrail;
    expect(one).toMatchObject({ ok: false, firstBad: { reason: 'edited', streamId: campaignId, version: 2, position: second!.position } });
    const all = (await stack.gql(tokens.auditor, VERIFY, {})).data!.verifyAuditTrail;
    expect(all).toMatchObject({ ok: false, firstBad: { reason: 'edited', position: second!.position } });
    expect(all.contexts[0]).toMatchObject({ context: 'campaigns', ok: false });
  });
});
