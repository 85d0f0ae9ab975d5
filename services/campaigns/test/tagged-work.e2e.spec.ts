import { devToken, eventually, graphql, startPlatformStack, type PlatformStack } from '@hrp/testing';

/*
 * The reverse view of a human-rights tag (issue 13): the TaggedWork entity, keyed by the tag and
 * owned by no subgraph; campaigns, training and partnerships each add what they did on it, from
 * their own read model indexed by tag. The root query (`taggedWork`) is advocacy's: here each
 * subgraph is asked directly, as the gateway asks it (`_entities`), with a token.
 */

const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id createdAt } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id } } }`;
const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { id } } }`;
const DRAFT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { agreement { id tags { kind ref } } } }`;
const AGREEMENT = `query($id: ID!) { agreement(id: $id) { id tags { kind ref } } }`;

const ENTITIES = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on TaggedWork { kind ref ${fields} } } }`;
const CAMPAIGNS = ENTITIES('campaigns { id startDate endDate }');
const TRAINING = ENTITIES('trainingModules { id createdAt } trainingSessions { id startDate endDate module { id } }');
const AGREEMENTS = ENTITIES('agreements { id startDate endDate signedOn tags { kind ref } }');

/** The tag of the acceptance item, and tags that must not be confused with it (another ref; the same ref, another kind). */
const UPR = { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' };
const OTHER_UPR = { kind: 'UPR_RECOMMENDATION', ref: '4-148.120' };
const SAME_REF_OTHER_KIND = { kind: 'NATIONAL_PLAN_MEASURE', ref: '4-148.12' };
const SDG = { kind: 'SDG_TARGET', ref: '16.10' };
const REPRESENTATION = [{ __typename: 'TaggedWork', ...UPR }];

const campaignInput = (title: string, tags: object[], startDate: string, endDate: string) => ({
  title: { fr: title },
  themes: ['EPU'],
  tags,
  audiences: ['PUBLIC_INSTITUTIONS'],
  channels: ['EVENTS'],
  regions: ['MA-04'],
  startDate,
  endDate,
  targetReach: 300,
});
const moduleInput = (title: string, tags: object[]) => ({
  title: { fr: title },
  professions: ['CIVIL_SERVANT'],
  instruments: ['ICCPR'],
  hours: 8,
  tags,
});
const sessionInput = (moduleId: string, startDate: string, endDate: string) => ({
  moduleId,
  trainers: ['Formateur B'],
  region: 'MA-04',
  venue: 'Rabat',
  startDate,
  endDate,
  capacity: 20,
  passMark: 60,
});
const agreementInput = (partnerId: string, title: string, tags: object[], startDate: string, endDate: string) => ({
  partnerId,
  title: { fr: title },
  scope: { fr: 'Suivi des recommandations' },
  startDate,
  endDate,
  commitmentsOurs: ['Coordonner'],
  commitmentsTheirs: ['Former'],
  tags,
});

describe('The reverse view of a tag (TaggedWork) in campaigns, training and partnerships', () => {
  let stack: PlatformStack;
  let director: string;
  const campaign = { late: '', early: '', otherRef: '', otherKind: '' };
  const module = { tagged: '', other: '' };
  const session = { late: '', early: '', otherModule: '' };
  const agreement = { tagged: '', early: '', other: '' };

  const ok = async (token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await stack.gql(token, query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 50)}…: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  const subgraph = (context: string) => `${stack.services[context].url}/graphql`;
  /** The one TaggedWork the subgraph of `context` resolves for UPR 4-148.12 once its lists show `ready`. */
  const taggedWork = async (context: string, query: string, ready: (w: Record<string, any>) => boolean) => {
    let last: unknown;
    return eventually(
      `TaggedWork from ${context}`,
      async () => {
        const r = await graphql(subgraph(context), query, { r: REPRESENTATION }, director);
        last = r.errors ?? r.data;
        const w = (r.data as { _entities?: Record<string, any>[] } | undefined)?._entities?.[0];
        return !r.errors && w && ready(w) ? w : undefined;
      },
      { timeoutMs: 20000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last answer: ${JSON.stringify(last)}`);
    });
  };

  beforeAll(async () => {
    stack = await startPlatformStack(['partnerships', 'campaigns', 'training'], 15500);
    const [manager, coordinator, officer] = await Promise.all(
      (['campaign-manager', 'training-coordinator', 'partnership-officer'] as const).map((u) => devToken(u)),
    );
    director = await devToken('director');

    // Created in an order other than their dates: the view lists by date, oldest first.
    const createCampaign = async (title: string, tags: object[], start: string, end: string) =>
      (await ok(manager, CREATE_CAMPAIGN, { input: campaignInput(title, tags, start, end) })).createCampaign.campaign.id as string;
    campaign.late = await createCampaign('Journée de restitution EPU', [UPR, SDG], '2026-09-01', '2026-09-30');
    campaign.early = await createCampaign('Caravane EPU', [SDG, UPR], '2026-02-01', '2026-03-31');
    campaign.otherRef = await createCampaign('Autre recommandation', [OTHER_UPR], '2026-01-01', '2026-01-31');
    campaign.otherKind = await createCampaign('Mesure du plan national', [SAME_REF_OTHER_KIND], '2026-01-01', '2026-01-31');

    const createModule = async (title: string, tags: object[]) => {
      const id = (await ok(coordinator, CREATE_MODULE, { input: moduleInput(title, tags) })).createTrainingModule.trainingModule
        .id as string;
      await ok(coordinator, PUBLISH_MODULE, { id });
      return id;
    };
    module.tagged = await createModule('Suivi des recommandations de l’EPU', [UPR]);
    module.other = await createModule('Droits des personnes handicapées', [SAME_REF_OTHER_KIND]);
    const schedule = async (moduleId: string, start: string, end: string) =>
      (await ok(coordinator, SCHEDULE, { input: sessionInput(moduleId, start, end) })).scheduleTrainingSession.trainingSession.id as string;
    session.late = await schedule(module.tagged, '2026-06-08', '2026-06-09');
    session.early = await schedule(module.tagged, '2026-04-13', '2026-04-14');
    session.otherModule = await schedule(module.other, '2026-03-02', '2026-03-03');

    const partnerId = (
      await ok(officer, REGISTER, { input: { name: { fr: 'Institut de formation EPU' }, type: 'UNIVERSITY', country: 'MA' } })
    ).registerPartner.partner.id as string;
    const draft = async (title: string, tags: object[], start: string, end: string) =>
      (await ok(officer, DRAFT, { input: agreementInput(partnerId, title, tags, start, end) })).draftAgreement.agreement.id as string;
    agreement.tagged = await draft('Convention de suivi EPU', [UPR], '2026-07-01', '2027-06-30');
    agreement.early = await draft('Convention préparatoire', [SDG, UPR], '2026-01-01', '2026-12-31');
    agreement.other = await draft('Convention ODD', [SDG, OTHER_UPR], '2026-01-01', '2026-12-31');
  }, 180000);
  afterAll(() => stack?.stop());

  it('campaigns: exactly the campaigns tagged with it, with their periods, oldest first', async () => {
    const w = await taggedWork('campaigns', CAMPAIGNS, (x) => x.campaigns.length >= 2);
    expect(w).toEqual({
      ...UPR,
      campaigns: [
        { id: campaign.early, startDate: '2026-02-01', endDate: '2026-03-31' },
        { id: campaign.late, startDate: '2026-09-01', endDate: '2026-09-30' },
      ],
    });
  });

  it('training: exactly the modules tagged with it, with their creation, and the sessions of those modules, oldest first', async () => {
    const w = await taggedWork('training', TRAINING, (x) => x.trainingModules.length >= 1 && x.trainingSessions.length >= 2);
    expect(w).toEqual({
      ...UPR,
      trainingModules: [{ id: module.tagged, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }],
      trainingSessions: [
        { id: session.early, startDate: '2026-04-13', endDate: '2026-04-14', module: { id: module.tagged } },
        { id: session.late, startDate: '2026-06-08', endDate: '2026-06-09', module: { id: module.tagged } },
      ],
    });
  });

  it('partnerships: exactly the agreements tagged with it, with their dates and tags, oldest first', async () => {
    const w = await taggedWork('partnerships', AGREEMENTS, (x) => x.agreements.length >= 2);
    expect(w).toEqual({
      ...UPR,
      agreements: [
        { id: agreement.early, startDate: '2026-01-01', endDate: '2026-12-31', signedOn: null, tags: [SDG, UPR] },
        { id: agreement.tagged, startDate: '2026-07-01', endDate: '2027-06-30', signedOn: null, tags: [UPR] },
      ],
    });
  });

  it('shows an agreement’s tags through the gateway (Agreement.tags)', async () => {
    expect((await ok(director, AGREEMENT, { id: agreement.other })).agreement).toEqual({ id: agreement.other, tags: [SDG, OTHER_UPR] });
  });

  it('answers an empty view for a tag nothing carries, in each subgraph', async () => {
    const r = [{ __typename: 'TaggedWork', kind: 'TREATY_BODY_OBSERVATION', ref: 'CAT/C/MAR/CO/4 §12' }];
    const answers = await Promise.all([
      graphql(subgraph('campaigns'), CAMPAIGNS, { r }, director),
      graphql(subgraph('training'), TRAINING, { r }, director),
      graphql(subgraph('partnerships'), AGREEMENTS, { r }, director),
    ]);
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers.map((a) => a.data)).toEqual([
      { _entities: [{ kind: 'TREATY_BODY_OBSERVATION', ref: 'CAT/C/MAR/CO/4 §12', campaigns: [] }] },
      { _entities: [{ kind: 'TREATY_BODY_OBSERVATION', ref: 'CAT/C/MAR/CO/4 §12', trainingModules: [], trainingSessions: [] }] },
      { _entities: [{ kind: 'TREATY_BODY_OBSERVATION', ref: 'CAT/C/MAR/CO/4 §12', agreements: [] }] },
    ]);
  });

  it('is refused without a token, and with a key that is not a tag, in each subgraph', async () => {
    for (const [context, query] of [
      ['campaigns', CAMPAIGNS],
      ['training', TRAINING],
      ['partnerships', AGREEMENTS],
    ] as const) {
      const anonymous = await graphql(subgraph(context), query, { r: REPRESENTATION });
      expect([context, anonymous.errors?.[0]?.extensions?.code]).toEqual([context, 'UNAUTHENTICATED']);
      expect(JSON.stringify(anonymous.data ?? null)).not.toContain('"id"');
      const unknownKind = await graphql(subgraph(context), query, { r: [{ __typename: 'TaggedWork', kind: 'TOPIC', ref: 'x' }] }, director);
      expect([context, unknownKind.errors?.[0]?.extensions?.code]).toEqual([context, 'BAD_USER_INPUT']);
    }
  });
});
