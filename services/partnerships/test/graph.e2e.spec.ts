import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';

/*
 * The Partner entity across the graph (issue 12): partnerships owns it, campaigns and training add
 * the campaigns and sessions that name a partner, each keeping its own view of the partners
 * partnerships registered (known_partners, fed from partnerships' topic) to refuse unknown ones.
 */

const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { position partner { id status } } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivatePartner(id: $id, reason: "Fin de la coopération") { partner { id status } } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id partners { id } } } }`;
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id status } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id partners { id } } } }`;
/** The one query of the acceptance item: campaign → its partners → their campaigns and sessions (three subgraphs). */
const GRAPH = `query($id: ID!) { campaign(id: $id) { id partners { id name { fr } status campaigns { id } trainingSessions { id } } } }`;
const PARTNER_GRAPH = `query($id: ID!) { partner(id: $id) { id campaigns { id title { fr } } trainingSessions { id region } } }`;

/** A partner id in the shape partnerships gives, that it never registered. */
const NEVER_REGISTERED = 'partner-00000000-0000-4000-8000-00000000dead';

const campaignInput = (title: string, partnerIds: string[]) => ({
  title: { fr: title },
  themes: ['partenariat'],
  audiences: ['YOUTH'],
  channels: ['EVENTS'],
  regions: ['MA-06'],
  startDate: '2026-03-01',
  endDate: '2026-06-30',
  targetReach: 500,
  partnerIds,
});
const sessionInput = (moduleId: string, partnerIds: string[]) => ({
  moduleId,
  trainers: ['Formatrice A'],
  region: 'MA-06',
  venue: 'Casablanca',
  startDate: '2026-05-04',
  endDate: '2026-05-05',
  capacity: 10,
  passMark: 60,
  partnerIds,
});

describe('The Partner entity across partnerships, campaigns and training, through the gateway', () => {
  let stack: PlatformStack;
  let officer: string;
  let manager: string;
  let coordinator: string;
  let viewer: string;
  let moduleId: string;
  const partner = { unicef: '', university: '' };
  const campaign = { both: '', unicefOnly: '', universityOnly: '' };
  const session = { unicefOnly: '', both: '' };

  const ok = async (token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await stack.gql(token, query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 50)}…: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  const register = async (fr: string, type: string): Promise<string> =>
    (await ok(officer, REGISTER, { input: { name: { fr }, type, country: 'MA', contacts: [] } })).registerPartner.partner.id as string;
  const createCampaign = async (title: string, partnerIds: string[]): Promise<string> =>
    (await ok(manager, CREATE_CAMPAIGN, { input: campaignInput(title, partnerIds) })).createCampaign.campaign.id as string;
  const schedule = async (partnerIds: string[]): Promise<string> =>
    (await ok(coordinator, SCHEDULE, { input: sessionInput(moduleId, partnerIds) })).scheduleTrainingSession.trainingSession.id as string;

  beforeAll(async () => {
    stack = await startPlatformStack(['partnerships', 'campaigns', 'training'], 15340);
    [officer, manager, coordinator, viewer] = await Promise.all(
      (['partnership-officer', 'campaign-manager', 'training-coordinator', 'viewer'] as const).map((u) => devToken(u)),
    );
    moduleId = (
      await ok(coordinator, CREATE_MODULE, {
        input: { title: { fr: 'Droits de l’enfant' }, professions: ['TEACHER'], instruments: ['CRC'], hours: 6 },
      })
    ).createTrainingModule.trainingModule.id as string;
    await ok(coordinator, PUBLISH_MODULE, { id: moduleId });

    // Registered through the gateway, then named at once: campaigns and training wait (bounded)
    // for their view of partnerships' events to know a partner registered a moment ago.
    partner.unicef = await register('UNICEF Maroc', 'INTERNATIONAL_ORGANIZATION');
    partner.university = await register('Université Mohammed V', 'UNIVERSITY');
    campaign.both = await createCampaign('Caravane des droits de l’enfant', [partner.unicef, partner.university]);
    campaign.unicefOnly = await createCampaign('Spots radio', [partner.unicef]);
    campaign.universityOnly = await createCampaign('Cycle de conférences', [partner.university]);
    await createCampaign('Sans partenaire', []);
    session.unicefOnly = await schedule([partner.unicef]);
    session.both = await schedule([partner.university, partner.unicef]);
    await schedule([]);
  }, 180000);
  afterAll(() => stack?.stop());

  it('answers one query from a campaign to its partners to their other campaigns and training sessions', async () => {
    const expected = {
      id: campaign.both,
      partners: [
        {
          id: partner.unicef,
          name: { fr: 'UNICEF Maroc' },
          status: 'ACTIVE',
          campaigns: [{ id: campaign.both }, { id: campaign.unicefOnly }],
          trainingSessions: [{ id: session.unicefOnly }, { id: session.both }],
        },
        {
          id: partner.university,
          name: { fr: 'Université Mohammed V' },
          status: 'ACTIVE',
          campaigns: [{ id: campaign.both }, { id: campaign.universityOnly }],
          trainingSessions: [{ id: session.both }],
        },
      ],
    };
    // The lists follow the services' read models: eventually consistent.
    let last: unknown;
    await eventually(
      'the partners’ campaigns and sessions in the read models',
      async () => {
        const r = await stack.gql(viewer, GRAPH, { id: campaign.both });
        last = r.errors ?? r.data?.campaign;
        return !r.errors && JSON.stringify(r.data?.campaign) === JSON.stringify(expected);
      },
      { timeoutMs: 20000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
    });
  });

  it('answers from the partner too (partnerships → campaigns and training)', async () => {
    const r = await ok(viewer, PARTNER_GRAPH, { id: partner.university });
    expect(r.partner).toEqual({
      id: partner.university,
      campaigns: [
        { id: campaign.both, title: { fr: 'Caravane des droits de l’enfant' } },
        { id: campaign.universityOnly, title: { fr: 'Cycle de conférences' } },
      ],
      trainingSessions: [{ id: session.both, region: 'MA-06' }],
    });
  });

  it('refuses a campaign naming a partner partnerships never registered, with its rule id', async () => {
    const r = await stack.gql(manager, CREATE_CAMPAIGN, { input: campaignInput('Partenaire inventé', [partner.unicef, NEVER_REGISTERED]) });
    expect(r.data?.createCampaign ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'campaign.partner-unknown' });
    expect(r.errors?.[0]?.message).toContain(NEVER_REGISTERED);
    expect(r.errors?.[0]?.message).not.toContain(partner.unicef);
  });

  it('refuses a training session naming a partner partnerships never registered, with its rule id', async () => {
    const r = await stack.gql(coordinator, SCHEDULE, { input: sessionInput(moduleId, [NEVER_REGISTERED]) });
    expect(r.data?.scheduleTrainingSession ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'training.session.partner-unknown' });
    expect(r.errors?.[0]?.message).toContain(NEVER_REGISTERED);
  });

  it('refuses new references to a deactivated partner; the campaigns and sessions that name it keep it', async () => {
    const retired = await register('Association retirée', 'NGO');
    const campaigns = [await createCampaign('Avant la désactivation', [retired])];
    const sessions = [await schedule([retired])];
    await ok(officer, DEACTIVATE, { id: retired });

    // The deactivation reaches campaigns' and training's views shortly after; until then a new
    // reference is still accepted (it then named an active partner, as far as they knew).
    const refusedOnce = async (
      rule: string,
      attempt: () => Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>,
      created: (r: never) => void,
    ) =>
      eventually(rule, async () => {
        const r = await attempt();
        if (!r.errors) created(r as never);
        return r.errors?.[0]?.extensions?.rule === rule;
      });
    await refusedOnce(
      'campaign.partner-inactive',
      () => stack.gql(manager, CREATE_CAMPAIGN, { input: campaignInput('Après la désactivation', [retired]) }),
      (r: { data: { createCampaign: { campaign: { id: string } } } }) => campaigns.push(r.data.createCampaign.campaign.id),
    );
    await refusedOnce(
      'training.session.partner-inactive',
      () => stack.gql(coordinator, SCHEDULE, { input: sessionInput(moduleId, [retired]) }),
      (r: { data: { scheduleTrainingSession: { trainingSession: { id: string } } } }) =>
        sessions.push(r.data.scheduleTrainingSession.trainingSession.id),
    );

    await eventually('the existing references, still listed', async () => {
      const r = await stack.gql(viewer, PARTNER_GRAPH, { id: retired });
      const p = r.data?.partner as { campaigns: { id: string }[]; trainingSessions: { id: string }[] } | undefined;
      return (
        p && p.campaigns.map((c) => c.id).join() === campaigns.join() && p.trainingSessions.map((x) => x.id).join() === sessions.join()
      );
    });
  });
});
