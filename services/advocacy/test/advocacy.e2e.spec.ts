import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';

/*
 * Issue 13 through the gateway: open a dossier, issue recommendations, move them through their
 * statuses with evidence, log engagements, close with an outcome; the history in order; the
 * adoption figures (ADV-01, ADV-02) per year and addressee.
 */

const TEXT = '{ fr ar }';
const REC = `id status addressee source issuedOn dossierId text ${TEXT} tags { kind ref }
  history { status from evidence evidenceDate at } dossier { id status }`;
const DOSSIER = `id version status target topic ${TEXT} objective { fr } instruments themes tags { kind ref } outcome openedAt closedAt
  recommendations { ${REC} } engagements { id kind date stakeholders outcome }`;
const OPEN = `mutation($input: OpenDossierInput!) { openDossier(input: $input) { position dossier { ${DOSSIER} } } }`;
const ISSUE = `mutation($id: ID!, $input: IssueRecommendationInput!) { issueRecommendation(dossierId: $id, input: $input) { position dossier { ${DOSSIER} } } }`;
const CHANGE = `mutation($id: ID!, $r: ID!, $s: String!, $e: String!, $d: Date, $v: Int) {
  changeRecommendationStatus(dossierId: $id, recommendationId: $r, status: $s, evidence: $e, evidenceDate: $d, expectedVersion: $v) { position dossier { ${DOSSIER} } } }`;
const ENGAGE = `mutation($id: ID!, $input: EngagementInput!) { logEngagement(dossierId: $id, input: $input) { position dossier { ${DOSSIER} } } }`;
const CLOSE = `mutation($id: ID!, $o: String!) { closeDossier(id: $id, outcome: $o) { position dossier { ${DOSSIER} } } }`;
const DOSSIER_Q = `query($id: ID!, $min: String) { advocacyDossier(id: $id, minPosition: $min) { ${DOSSIER} } }`;
const REC_Q = `query($id: ID!, $min: String) { recommendation(id: $id, minPosition: $min) { ${REC} } }`;
const RECS = `query($f: RecommendationFilter, $min: String) { recommendations(filter: $f, minPosition: $min) { totalCount edges { node { id status } } } }`;
const DOSSIERS = `query($f: DossierFilter, $min: String) { advocacyDossiers(filter: $f, minPosition: $min) { totalCount edges { node { id status } } } }`;
const FIGURES = `query($y: Int!, $a: String) { adoptionFigures(year: $y, addressee: $a) { year addressee issued decided adopted partiallyAdopted rejected adoptionRate } }`;

const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const year = Number(day(-2).slice(0, 4));

describe('Advocacy through the gateway: dossier, recommendations with evidence, engagements, closing, adoption figures', () => {
  let stack: PlatformStack;
  let officer: string;
  let director: string;
  let viewer: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['advocacy'], 15600);
    [officer, director, viewer] = await Promise.all(['advocacy-officer', 'director', 'viewer'].map((u) => devToken(u as never)));
  }, 120_000);
  afterAll(() => stack?.stop());

  const ok = async (token: string, q: string, v: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await stack.gql(token, q, v);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };

  it('runs a dossier from opening to closing, with the history of each recommendation in order', async () => {
    const tag = { kind: 'SDG_TARGET', ref: '16.10' };
    const opened = (
      await ok(officer, OPEN, {
        input: {
          topic: { fr: 'Accès à l’information', ar: 'الحق في الحصول على المعلومات' },
          target: 'PARLIAMENT',
          objective: { fr: 'Faire adopter les décrets d’application de la loi 31-13' },
          instruments: ['ICCPR'],
          themes: ['freedom of expression'],
          tags: [tag],
        },
      })
    ).openDossier.dossier;
    expect(opened).toMatchObject({
      version: 1,
      status: 'OPEN',
      target: 'PARLIAMENT',
      instruments: ['ICCPR'],
      tags: [tag],
      recommendations: [],
    });
    const id = opened.id as string;

    const issue = async (fr: string, addressee: string, issuedOn: string) =>
      (
        await ok(officer, ISSUE, {
          id,
          input: { text: { fr }, addressee, source: 'MEMORANDUM', issuedOn, tags: [tag] },
        })
      ).issueRecommendation.dossier.recommendations.at(-1) as { id: string; status: string };
    const r1 = await issue('Publier les décrets d’application', 'Chambre des représentants', day(-2));
    const r2 = await issue('Réduire les délais de réponse', 'Chambre des représentants', day(-2));
    const r3 = await issue('Créer un registre public', 'Chambre des conseillers', day(-2));
    expect([r1.status, r2.status, r3.status]).toEqual(['ISSUED', 'ISSUED', 'ISSUED']);

    const change = (r: string, s: string, e: string, d = day(-1)) => ok(officer, CHANGE, { id, r, s, e, d });
    await change(r1.id, 'ACKNOWLEDGED', 'Lettre n° 123/2026');
    await change(r1.id, 'UNDER_CONSIDERATION', 'PV commission justice, séance 4');
    await change(r1.id, 'ADOPTED', 'BO n° 7300, décret 2-26-101', day(0));
    await change(r2.id, 'PARTIALLY_ADOPTED', 'BO n° 7301');
    await change(r3.id, 'REJECTED', 'Réponse du bureau de la Chambre, réf. 88');

    await ok(officer, ENGAGE, {
      id,
      input: {
        kind: 'HEARING',
        date: day(-1),
        stakeholders: ['Commission de la justice, Chambre des représentants'],
        outcome: 'Engagement pris',
      },
    });
    const withMemo = await ok(officer, ENGAGE, {
      id,
      input: { kind: 'MEMORANDUM', date: day(0), stakeholders: ['Chambre des représentants', 'Ministère de la Justice'] },
    });
    expect(withMemo.logEngagement.dossier.engagements.map((e: { kind: string }) => e.kind)).toEqual(['HEARING', 'MEMORANDUM']);

    const closed = await ok(director, CLOSE, { id, o: 'Décrets publiés; registre refusé' });
    expect(closed.closeDossier.dossier).toMatchObject({ status: 'CLOSED', outcome: 'Décrets publiés; registre refusé' });
    const min = closed.closeDossier.position as string;

    // The history of a recommendation, in order, with its evidence.
    const rec = (await ok(viewer, REC_Q, { id: r1.id, min })).recommendation;
    expect(rec).toMatchObject({ status: 'ADOPTED', dossierId: id, dossier: { id, status: 'CLOSED' }, issuedOn: day(-2), tags: [tag] });
    expect(
      rec.history.map((h: { status: string; from: string | null; evidence: string | null; evidenceDate: string | null }) => [
        h.status,
        h.from,
        h.evidence,
        h.evidenceDate,
      ]),
    ).toEqual([
      ['ISSUED', null, null, day(-2)],
      ['ACKNOWLEDGED', 'ISSUED', 'Lettre n° 123/2026', day(-1)],
      ['UNDER_CONSIDERATION', 'ACKNOWLEDGED', 'PV commission justice, séance 4', day(-1)],
      ['ADOPTED', 'UNDER_CONSIDERATION', 'BO n° 7300, décret 2-26-101', day(0)],
    ]);
    const ats = rec.history.map((h: { at: string }) => h.at);
    expect([...ats].sort()).toEqual(ats);

    // The dossier as read by anyone, from its read model.
    const read = (await ok(viewer, DOSSIER_Q, { id, min })).advocacyDossier;
    expect(read).toMatchObject({ status: 'CLOSED', version: closed.closeDossier.dossier.version });
    expect(read.recommendations.map((r: { status: string }) => r.status)).toEqual(['ADOPTED', 'PARTIALLY_ADOPTED', 'REJECTED']);
    expect(read.engagements).toHaveLength(2);

    // Lists.
    expect((await ok(viewer, DOSSIERS, { f: { status: 'CLOSED' }, min })).advocacyDossiers.totalCount).toBe(1);
    const adopted = (await ok(viewer, RECS, { f: { status: ['ADOPTED', 'PARTIALLY_ADOPTED'], dossierId: id }, min })).recommendations;
    expect(adopted.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([r1.id, r2.id]);

    // ADV-01 / ADV-02: per addressee for the year of issue.
    await eventually(
      'the adoption figures',
      async () => ((await stack.gql(viewer, FIGURES, { y: year })).data?.adoptionFigures ?? []).length === 2,
    );
    expect((await ok(viewer, FIGURES, { y: year })).adoptionFigures).toEqual([
      { year, addressee: 'Chambre des conseillers', issued: 1, decided: 1, adopted: 0, partiallyAdopted: 0, rejected: 1, adoptionRate: 0 },
      {
        year,
        addressee: 'Chambre des représentants',
        issued: 2,
        decided: 2,
        adopted: 1,
        partiallyAdopted: 1,
        rejected: 0,
        adoptionRate: 1,
      },
    ]);
    expect((await ok(viewer, FIGURES, { y: year, a: 'Chambre des conseillers' })).adoptionFigures).toHaveLength(1);
    expect((await ok(viewer, FIGURES, { y: year - 5 })).adoptionFigures).toEqual([]);

    // A closed dossier takes nothing more.
    const late = await stack.gql(officer, ISSUE, {
      id,
      input: { text: { fr: 'Trop tard' }, addressee: 'Gouvernement', source: 'MEMORANDUM', issuedOn: day(0) },
    });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'advocacy.dossier.closed' });
  }, 90_000);
});
