import { devToken, eventually, testInfra } from '@hrp/testing';
import { CAMPAIGN_FIELDS, CREATE, campaignInput, startCampaignsStack, type CampaignsStack } from './harness';

const Q = `query($id: ID!, $min: String) { campaign(id: $id, minPosition: $min) { ${CAMPAIGN_FIELDS} } }`;
const mutation = (name: string, args: string, vars: string) =>
  `mutation(${vars}) { ${name}(${args}) { position campaign { ${CAMPAIGN_FIELDS} } } }`;

describe('Campaign lifecycle, through the gateway with real tokens', () => {
  let stack: CampaignsStack;
  let token: string;

  beforeAll(async () => {
    stack = await startCampaignsStack(14200, { env: { LOG_LEVEL: 'info' } });
    token = await devToken('campaign-manager');
  }, 90000);
  afterAll(() => stack?.stop());

  it('runs create → plan → funding approved → launch → two activities → one held → complete', async () => {
    const gql = (q: string, v: Record<string, unknown>) => stack.gql(token, q, v);
    const read = async (id: string, min: string) => {
      const r = await gql(Q, { id, min });
      expect(r.errors).toBeUndefined();
      return r.data!.campaign;
    };

    // create, with a cost, a budget line and a partner partnerships registered: DRAFT, funding not requested yet
    await stack.registerPartner('partner-unicef');
    const created = await gql(CREATE, {
      input: campaignInput({
        estimatedCost: { amount: '25000000', currency: 'MAD' },
        budgetLineId: 'line-awareness-2026',
        partnerIds: ['partner-unicef'],
      }),
    });
    expect(created.errors).toBeUndefined();
    const { campaign: c0, position: p0 } = created.data!.createCampaign;
    expect(c0).toMatchObject({
      version: 1,
      status: 'DRAFT',
      fundingStatus: 'NOT_REQUESTED',
      estimatedCost: { amount: '25000000', currency: 'MAD' },
      partners: [{ id: 'partner-unicef' }],
      budgetLine: { id: 'line-awareness-2026' },
    });
    const id = c0.id as string;
    expect(await read(id, p0)).toEqual(c0); // the read model shows what the mutation wrote

    // plan: PLANNED, funding REQUESTED (a FundingRequested event for finance)
    const planned = await gql(mutation('planCampaign', 'id: $id, expectedVersion: $v', '$id: ID!, $v: Int'), { id, v: 1 });
    expect(planned.errors).toBeUndefined();
    expect(planned.data!.planCampaign.campaign).toMatchObject({ status: 'PLANNED', fundingStatus: 'REQUESTED', version: 3 });
    expect(await read(id, planned.data!.planCampaign.position)).toMatchObject({ status: 'PLANNED', fundingStatus: 'REQUESTED' });

    // launch before approval is refused with its rule id
    const early = await gql(mutation('launchCampaign', 'id: $id', '$id: ID!'), { id });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'campaign.launch.requires-funding' });

    // finance approves (an integration event produced to Kafka, as finance will)
    const stream = await stack.readStream(id);
    const requested = stream.find((e) => e.type === 'FundingRequested');
    expect(requested).toBeDefined();
    const requestId = (await eventData(stack, id, 'FundingRequested')).requestId as string;
    await stack.publishFinanceEvent('CommitmentApproved', {
      commitmentId: 'commitment-1',
      requestId,
      sourceType: 'CAMPAIGN',
      sourceId: id,
      amount: { amount: '25000000', currency: 'MAD' },
      decidedAt: new Date().toISOString(),
    });
    await eventually('funding approved', async () => (await read(id, '0')).fundingStatus === 'APPROVED', { timeoutMs: 30000 });

    // the same approval delivered again changes nothing: once the reaction's group has committed
    // past it, the stream holds no new event
    const versionBefore = (await read(id, '0')).version;
    const eventsBefore = (await stack.readStream(id)).length;
    await stack.publishFinanceEvent('CommitmentApproved', {
      commitmentId: 'commitment-1',
      requestId,
      sourceType: 'CAMPAIGN',
      sourceId: id,
      amount: { amount: '25000000', currency: 'MAD' },
      decidedAt: new Date().toISOString(),
    });
    await eventually('the duplicate consumed', () => stack.consumedAll('funding-decisions', 'finance'), { timeoutMs: 30000 });
    expect((await stack.readStream(id)).length).toBe(eventsBefore);
    expect((await read(id, '0')).version).toBe(versionBefore);

    // launch
    const launched = await gql(mutation('launchCampaign', 'id: $id', '$id: ID!'), { id });
    expect(launched.errors).toBeUndefined();
    expect(launched.data!.launchCampaign.campaign).toMatchObject({ status: 'ACTIVE', version: versionBefore + 1 });

    // two activities
    const schedule = mutation('scheduleActivity', 'campaignId: $id, input: $input', '$id: ID!, $input: ScheduleActivityInput!');
    const a1 = await gql(schedule, {
      id,
      input: { kind: 'WORKSHOP', date: '2026-03-15', region: 'MA-06', venue: 'Lycée Ibn Battouta, Casablanca' },
    });
    const a2 = await gql(schedule, { id, input: { kind: 'MEDIA_SPOT', date: '2026-04-02', region: 'MA-06', title: { fr: 'Spot radio' } } });
    expect(a1.errors ?? a2.errors).toBeUndefined();
    const activities = a2.data!.scheduleActivity.campaign.activities as { id: string; status: string }[];
    expect(activities.map((a) => a.status)).toEqual(['SCHEDULED', 'SCHEDULED']);

    // one held, with disaggregated participants and media reach
    const held = await gql(
      mutation('recordActivityHeld', 'campaignId: $id, activityId: $a, input: $input', '$id: ID!, $a: ID!, $input: ActivityOutcomeInput!'),
      {
        id,
        a: activities[0].id,
        input: {
          participants: {
            female: 31,
            male: 24,
            undisclosed: 2,
            withDisability: 3,
            byAgeGroup: [
              { ageGroup: 'UNDER_18', count: 50 },
              { ageGroup: 'AGE_25_34', count: 7 },
            ],
          },
          mediaReach: 1200,
        },
      },
    );
    expect(held.errors).toBeUndefined();
    expect(held.data!.recordActivityHeld.campaign).toMatchObject({
      participants: { total: 57, female: 31, male: 24, undisclosed: 2, withDisability: 3 },
      reach: 1257,
    });

    // complete
    const done = await gql(mutation('completeCampaign', 'id: $id', '$id: ID!'), { id });
    expect(done.errors).toBeUndefined();
    const final = done.data!.completeCampaign;
    expect(final.campaign).toMatchObject({ status: 'COMPLETED' });
    expect(await read(id, final.position)).toEqual(final.campaign);

    // the list query sees it under its filters
    const list = await gql(
      `query($f: CampaignFilter, $min: String) { campaigns(filter: $f, minPosition: $min) { totalCount edges { node { id status } } } }`,
      {
        f: { status: ['COMPLETED'], region: 'MA-06', theme: 'CRC', from: '2026-01-01', to: '2026-12-31', search: 'ÉCOLE' },
        min: final.position,
      },
    );
    expect(list.data!.campaigns.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(id);

    // the event stream holds the expected events, with the actor and a correlation id on each
    const expected = [
      'CampaignCreated',
      'CampaignPlanned',
      'FundingRequested',
      'FundingApproved',
      'CampaignLaunched',
      'ActivityScheduled',
      'ActivityScheduled',
      'ActivityHeld',
      'CampaignCompleted',
    ];
    const events = await stack.readStream(id);
    expect(events.map((e) => e.type)).toEqual(expected);
    expect(events.map((e) => e.streamVersion)).toEqual(expected.map((_, i) => i + 1));
    for (const e of events.filter((x) => x.type !== 'FundingApproved'))
      expect(e.metadata).toMatchObject({ actor: { username: 'campaign-manager' }, correlationId: expect.any(String) });

    // and so does the Kafka topic, in order for this campaign's key
    const onTopic = await eventually('all events on the topic', async () => {
      const types = await stack.topicEventTypes(id);
      return types.length >= expected.length ? types : undefined;
    });
    expect(onTopic).toEqual(expected);
  });

  it("carries the actor and the caller's correlation id into the event metadata and every log line", async () => {
    const correlationId = `corr-${stack.iso.tag}`;
    const r = await stack.gql(token, CREATE, { input: campaignInput() }, { 'x-correlation-id': correlationId });
    expect(r.errors).toBeUndefined();
    const id = r.data!.createCampaign.campaign.id as string;
    const [created] = await stack.readStream(id);
    expect(created.metadata).toMatchObject({ correlationId, actor: { username: 'campaign-manager', subject: expect.any(String) } });

    const lines = stack.service
      .output()
      .split('\n')
      .filter((l) => l.includes(correlationId))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        operation: 'Mutation.createCampaign',
        outcome: 'ok',
        actor: 'campaign-manager',
        correlationId,
        service: 'campaigns',
      }),
    );
    // every line the service wrote is structured JSON
    for (const l of stack.service.output().split('\n').filter(Boolean)) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('serves Prometheus metrics: commands and GraphQL operations by name and outcome, consumer lag and restarts, the relay', async () => {
    const name = `MetricsProbe${stack.iso.tag.replace(/[^a-zA-Z0-9]/g, '')}`;
    const r = await stack.gql(token, `mutation ${name}($input: CreateCampaignInput!) { createCampaign(input: $input) { position } }`, {
      input: campaignInput(),
    });
    expect(r.errors).toBeUndefined();
    const refused = await stack.gql(token, mutation('launchCampaign', 'id: $id', '$id: ID!'), {
      id: 'campaign-00000000-0000-0000-0000-000000000000',
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const service = await (await fetch(`${stack.service.url}/metrics`)).text();
    expect(service).toMatch(/^hrp_command_seconds_count\{command="CreateCampaign",outcome="ok"\} [1-9]/m);
    expect(service).toMatch(/^hrp_command_seconds_count\{command="LaunchCampaign",outcome="NOT_FOUND"\} [1-9]/m);
    expect(service).toMatch(/^hrp_graphql_operation_seconds_count\{type="Mutation",name="createCampaign",outcome="ok"\} [1-9]/m);
    expect(service).toMatch(/^hrp_consumer_lag_events\{consumer="campaign_view"\} \d+/m);
    expect(service).toMatch(/^hrp_consumer_running\{consumer="funding-decisions"\} 1/m);
    expect(service).toMatch(/^hrp_relay_pending_events \d+/m);
    const gateway = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(gateway).toContain(`hrp_graphql_operation_seconds_count{type="mutation",name="${name}",outcome="ok"} 1`);
  });
});

async function eventData(stack: CampaignsStack, streamId: string, type: string): Promise<Record<string, unknown>> {
  const mongoose = await import('mongoose');
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: stack.iso.dbName }).asPromise();
  try {
    const commits = await conn.db!.collection('es_commits').find({ streamId }).toArray();
    const e = commits.flatMap((c) => c.events as { type: string; data: Record<string, unknown> }[]).find((x) => x.type === type);
    return e!.data;
  } finally {
    await conn.close();
  }
}
