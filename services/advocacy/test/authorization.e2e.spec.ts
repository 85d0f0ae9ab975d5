import mongoose from 'mongoose';
import { DEV_USERS, devToken, startPlatformStack, testInfra, type DevUser, type PlatformStack } from '@hrp/testing';

/*
 * Who may change advocacy dossiers (dossier.policy.ts), through the gateway with the real tokens
 * of every dev user; then bad input, rule ids and stale versions. A refusal writes nothing: the
 * dossier keeps its version and the store holds no more events.
 */

const MANAGERS = ['advocacy-officer', 'director'] as const satisfies readonly DevUser[];

const DOSSIER = 'id version status recommendations { id status } engagements { id outcome }';
const OPEN = `mutation($input: OpenDossierInput!) { openDossier(input: $input) { dossier { ${DOSSIER} } } }`;
const ISSUE = `mutation($id: ID!, $input: IssueRecommendationInput!, $v: Int) { issueRecommendation(dossierId: $id, input: $input, expectedVersion: $v) { dossier { ${DOSSIER} } } }`;
const CHANGE = `mutation($id: ID!, $r: ID!, $s: String!, $e: String!, $d: Date, $v: Int) {
  changeRecommendationStatus(dossierId: $id, recommendationId: $r, status: $s, evidence: $e, evidenceDate: $d, expectedVersion: $v) { dossier { ${DOSSIER} } } }`;
const ENGAGE = `mutation($id: ID!, $input: EngagementInput!) { logEngagement(dossierId: $id, input: $input) { dossier { ${DOSSIER} } } }`;
const OUTCOME = `mutation($id: ID!, $e: ID!, $o: String!) { recordEngagementOutcome(dossierId: $id, engagementId: $e, outcome: $o) { dossier { ${DOSSIER} } } }`;
const CLOSE = `mutation($id: ID!, $o: String!, $v: Int) { closeDossier(id: $id, outcome: $o, expectedVersion: $v) { dossier { ${DOSSIER} } } }`;
const READS = `query($id: ID!) { advocacyDossier(id: $id) { id } advocacyDossiers(first: 5) { totalCount } recommendations(first: 5) { totalCount }
  adoptionFigures(year: 2026) { year } taggedWork(kind: SDG_TARGET, ref: "16.10") { dossiers { id } } }`;

const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('Advocacy authorization, bad input and stale versions, through the gateway with real tokens', () => {
  let stack: PlatformStack;
  let conn: mongoose.Connection;
  const tokens = {} as Record<DevUser, string>;

  beforeAll(async () => {
    stack = await startPlatformStack(['advocacy'], 15620);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_advocacy` }).asPromise();
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  const events = async () =>
    (
      await conn
        .db!.collection('es_commits')
        .find({}, { projection: { events: 1 } })
        .toArray()
    ).reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
  const version = async (streamId: string) => (await stack.readStream('advocacy', streamId)).at(-1)?.streamVersion ?? 0;
  const ok = async (query: string, variables: Record<string, unknown>, user: DevUser = 'advocacy-officer') => {
    const r = await stack.gql(tokens[user], query, variables);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const dossierInput = (over: Record<string, unknown> = {}) => ({
    topic: { fr: 'Abolition de la peine de mort' },
    target: 'PARLIAMENT',
    tags: [{ kind: 'INSTRUMENT', ref: 'ICCPR' }],
    ...over,
  });
  const recommendationInput = (over: Record<string, unknown> = {}) => ({
    text: { fr: 'Ratifier le deuxième protocole facultatif' },
    addressee: 'Gouvernement',
    source: 'INSTITUTION_OPINION',
    issuedOn: day(-3),
    ...over,
  });
  const dossier = async () => (await ok(OPEN, { input: dossierInput() })).openDossier.dossier.id as string;
  const withRecommendation = async () => {
    const id = await dossier();
    const d = (await ok(ISSUE, { id, input: recommendationInput() })).issueRecommendation.dossier;
    return { id, r: d.recommendations[0].id as string };
  };
  const withEngagement = async () => {
    const id = await dossier();
    const d = (await ok(ENGAGE, { id, input: { kind: 'MEETING', date: day(-1), stakeholders: ['Ministère de la Justice'] } })).logEngagement
      .dossier;
    return { id, e: d.engagements[0].id as string };
  };

  const MUTATIONS: { name: string; prepare(): Promise<{ query: string; variables: Record<string, unknown>; stream?: string }> }[] = [
    { name: 'openDossier', prepare: async () => ({ query: OPEN, variables: { input: dossierInput() } }) },
    {
      name: 'issueRecommendation',
      prepare: async () => {
        const id = await dossier();
        return { query: ISSUE, variables: { id, input: recommendationInput() }, stream: id };
      },
    },
    {
      name: 'changeRecommendationStatus',
      prepare: async () => {
        const { id, r } = await withRecommendation();
        return { query: CHANGE, variables: { id, r, s: 'ACKNOWLEDGED', e: 'Lettre 12/2026', d: day(-1) }, stream: id };
      },
    },
    {
      name: 'logEngagement',
      prepare: async () => {
        const id = await dossier();
        return {
          query: ENGAGE,
          variables: { id, input: { kind: 'HEARING', date: day(-1), stakeholders: ['Chambre des représentants'] } },
          stream: id,
        };
      },
    },
    {
      name: 'recordEngagementOutcome',
      prepare: async () => {
        const { id, e } = await withEngagement();
        return { query: OUTCOME, variables: { id, e, o: 'Accord de principe' }, stream: id };
      },
    },
    {
      name: 'closeDossier',
      prepare: async () => {
        const id = await dossier();
        return { query: CLOSE, variables: { id, o: 'Objectif atteint' }, stream: id };
      },
    },
  ];

  describe.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    it.each(DEV_USERS.map((u) => [u, MANAGERS.includes(u as never) ? 'allowed' : 'FORBIDDEN'] as const))(
      'as %s: %s',
      async (user, expected) => {
        const call = await m.prepare();
        const before = await events();
        const v = call.stream ? await version(call.stream) : 0;
        const r = await stack.gql(tokens[user], call.query, call.variables);
        if (expected === 'allowed') {
          expect(r.errors).toBeUndefined();
          expect(await events()).toBeGreaterThan(before);
          if (call.stream) expect(await version(call.stream)).toBeGreaterThan(v);
        } else {
          expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          expect(r.data ?? null).toBeNull();
          expect(await events()).toBe(before);
          if (call.stream) expect(await version(call.stream)).toBe(v);
        }
      },
    );
  });

  it.each(DEV_USERS)('as %s: reads dossiers, recommendations, figures and the reverse view', async (user) => {
    const id = await dossier();
    const r = await stack.gql(tokens[user], READS, { id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.advocacyDossier).toEqual({ id });
  });

  it('refuses reads and writes without a token as UNAUTHENTICATED', async () => {
    const before = await events();
    for (const [q, v] of [
      [READS, { id: 'dossier-x' }],
      [OPEN, { input: dossierInput() }],
    ] as const)
      expect((await stack.gql(undefined, q, v)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await events()).toBe(before);
  });

  describe('bad input, broken rules and stale versions change nothing', () => {
    async function refused(query: string, variables: Record<string, unknown>, expected: Record<string, unknown>, stream?: string) {
      const before = await events();
      const v = stream ? await version(stream) : 0;
      const r = await stack.gql(tokens['advocacy-officer'], query, variables);
      expect(r.errors?.[0]?.extensions).toMatchObject(expected);
      expect(await events()).toBe(before);
      if (stream) expect(await version(stream)).toBe(v);
    }

    it.each([
      ['a blank topic', { topic: { fr: '  ' } }],
      ['an unknown tag ref (blank)', { tags: [{ kind: 'SDG_TARGET', ref: ' ' }] }],
    ])('refuses to open a dossier with %s as BAD_USER_INPUT', async (_n, over) => {
      await refused(OPEN, { input: dossierInput(over) }, { code: 'BAD_USER_INPUT' });
    });

    it('refuses an unknown target before the service (the enum)', async () => {
      const r = await stack.gql(tokens['advocacy-officer'], OPEN, { input: dossierInput({ target: 'PRESS' }) });
      expect(r.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    });

    it('refuses a recommendation issued in the future, or with a blank addressee', async () => {
      const id = await dossier();
      await refused(ISSUE, { id, input: recommendationInput({ issuedOn: day(2) }) }, { code: 'BAD_USER_INPUT', field: 'issuedOn' }, id);
      await refused(ISSUE, { id, input: recommendationInput({ addressee: ' ' }) }, { code: 'BAD_USER_INPUT', field: 'addressee' }, id);
    });

    it('refuses status changes against the lifecycle, with their rule ids', async () => {
      const { id, r } = await withRecommendation();
      await refused(
        CHANGE,
        { id, r, s: 'ACKNOWLEDGED', e: 'Lettre', d: day(-5) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'advocacy.recommendation.evidence.before-issue' },
        id,
      );
      await ok(CHANGE, { id, r, s: 'UNDER_CONSIDERATION', e: 'PV séance 3', d: day(-2) });
      await refused(
        CHANGE,
        { id, r, s: 'ACKNOWLEDGED', e: 'Lettre', d: day(-1) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'advocacy.recommendation.status.backwards' },
        id,
      );
      await refused(CHANGE, { id, r, s: 'ISSUED', e: 'Lettre', d: day(-1) }, { code: 'BAD_USER_INPUT', field: 'status' }, id);
      await ok(CHANGE, { id, r, s: 'REJECTED', e: 'Réponse 4', d: day(-1) });
      await refused(
        CHANGE,
        { id, r, s: 'ADOPTED', e: 'BO 7000', d: day(0) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'advocacy.recommendation.status.decided' },
        id,
      );
      await refused(CHANGE, { id, r: 'recommendation-nope', s: 'ADOPTED', e: 'BO', d: day(0) }, { code: 'NOT_FOUND' }, id);
    });

    it('refuses an engagement without stakeholders and closing without an outcome', async () => {
      const id = await dossier();
      await refused(
        ENGAGE,
        { id, input: { kind: 'MEETING', date: day(-1), stakeholders: [] } },
        { code: 'BAD_USER_INPUT', field: 'stakeholders' },
        id,
      );
      await refused(CLOSE, { id, o: '  ' }, { code: 'BAD_USER_INPUT', field: 'outcome' }, id);
      await ok(CLOSE, { id, o: 'Clos' });
      await refused(CLOSE, { id, o: 'Encore' }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'advocacy.dossier.closed' }, id);
    });

    it('refuses stale and invalid expected versions', async () => {
      const id = await dossier();
      await ok(ISSUE, { id, input: recommendationInput(), v: 1 });
      await refused(ISSUE, { id, input: recommendationInput(), v: 1 }, { code: 'CONFLICT' }, id);
      await refused(CLOSE, { id, o: 'x', v: -2 }, { code: 'BAD_USER_INPUT', field: 'expectedVersion' }, id);
      expect((await ok(CLOSE, { id, o: 'Clos', v: 2 })).closeDossier.dossier).toMatchObject({ status: 'CLOSED', version: 3 });
    });

    it('answers NOT_FOUND for a dossier that does not exist', async () => {
      await refused(CLOSE, { id: 'dossier-00000000-0000-0000-0000-000000000000', o: 'x' }, { code: 'NOT_FOUND' });
    });
  });
});
