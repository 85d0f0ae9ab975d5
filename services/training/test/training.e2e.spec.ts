import { devToken, eventually, graphql, startPlatformStack, type PlatformStack } from '@hrp/testing';
import { hasArabicWord, qrPayloadsOf, textOf } from './pdf-reader';

const PARTICIPANT = 'id personId fullName institution sex ageGroup profession region status preScore postScore attendanceRate';
const SESSION = `id version status region startDate endDate capacity enrolledCount waitingCount days passMark fundingStatus budgetLineId
  module { id title { fr } status } participants { ${PARTICIPANT} } waitingList { ${PARTICIPANT} }
  certificates { code participantId issuedAt revokedAt verificationUrl }
  enrolledBreakdown { total bySex { key count } }`;
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { position trainingModule { id version status } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { position trainingModule { id version status } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { position trainingSession { ${SESSION} } } }`;
const ENROL = `mutation($id: ID!, $input: ParticipantInput!) { enrolParticipant(sessionId: $id, input: $input) { position trainingSession { ${SESSION} } } }`;
const WITHDRAW = `mutation($id: ID!, $p: ID!) { withdrawParticipant(sessionId: $id, participantId: $p, reason: "Mutation") { position trainingSession { ${SESSION} } } }`;
const START = `mutation($id: ID!) { startTrainingSession(id: $id) { position trainingSession { ${SESSION} } } }`;
const ATTEND = `mutation($id: ID!, $day: Date!, $present: [ID!]!) { recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present) { position trainingSession { id version } } }`;
const ASSESS = `mutation($id: ID!, $p: ID!, $phase: AssessmentPhase!, $score: Int!) { recordAssessment(sessionId: $id, participantId: $p, phase: $phase, score: $score) { position trainingSession { id version } } }`;
const COMPLETE = `mutation($id: ID!) { completeTrainingSession(id: $id) { position trainingSession { ${SESSION} } } }`;
const SESSION_Q = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { ${SESSION} } }`;
const VERIFY = `query($code: String!) { verifyCertificate(code: $code) { code participantName moduleTitle { fr } sessionStartDate issuer { fr } revokedAt } }`;
const DRAFT_BUDGET = `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { budget { id } } }`;
const APPROVE_BUDGET = `mutation($id: ID!) { approveBudget(id: $id) { budget { id status } } }`;
const COMMITMENTS = `query($f: CommitmentFilter) { commitments(filter: $f) { edges { node { id status sourceType regions } } } }`;
const APPROVE_COMMITMENT = `mutation($id: ID!) { approveCommitment(id: $id) { commitment { id status } } }`;

const mad = (amount: number) => ({ amount: String(amount), currency: 'MAD' });
const DAYS = ['2026-04-06', '2026-04-07', '2026-04-08'];

/** Twelve people for ten seats: distinctive names, two sexes, several professions. */
const people = Array.from({ length: 12 }, (_, i) => ({
  fullName: `Participant${String.fromCharCode(65 + i)} Benali-Test`,
  institution: i % 2 ? 'Tribunal de première instance de Fès' : 'Délégation régionale de la santé',
  sex: i % 2 ? 'F' : 'M',
  ageGroup: 'AGE_25_34',
  profession: i % 3 ? 'JUDICIARY' : 'HEALTH_PROFESSIONAL',
  region: 'MA-03',
}));

describe('Training through the gateway: a funded session from enrolment to verifiable certificates', () => {
  let stack: PlatformStack;
  let coordinator: string;
  let director: string;
  let officer: string;
  let viewer: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['training', 'finance'], 15200);
    [coordinator, director, officer, viewer] = await Promise.all(
      ['training-coordinator', 'director', 'finance-officer', 'viewer'].map((u) => devToken(u as never)),
    );
    const drafted = await stack.gql(officer, DRAFT_BUDGET, {
      input: {
        fiscalYear: 2026,
        lines: [
          { programmeArea: 'AWARENESS', allocated: mad(1_000_000) },
          { programmeArea: 'TRAINING', allocated: mad(50_000_000) },
        ],
      },
    });
    expect(drafted.errors).toBeUndefined();
    expect((await stack.gql(director, APPROVE_BUDGET, { id: 'budget-2026' })).errors).toBeUndefined();
  }, 120000);
  afterAll(() => stack?.stop());

  it('runs module → funded session → 12 enrolments for 10 seats → withdrawal → attendance, scores → certificates → verification', async () => {
    const gql = async (token: string | undefined, q: string, v: Record<string, unknown>) => {
      const r = await stack.gql(token, q, v);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };

    const module = (
      await gql(coordinator, CREATE_MODULE, {
        input: {
          title: { fr: 'Droits humains et justice', ar: 'حقوق الإنسان والعدالة' },
          professions: ['JUDICIARY', 'HEALTH_PROFESSIONAL'],
          instruments: ['ICCPR', 'CAT'],
          hours: 18,
        },
      })
    ).createTrainingModule.trainingModule;
    await gql(coordinator, PUBLISH_MODULE, { id: module.id });

    const scheduled = (
      await gql(coordinator, SCHEDULE, {
        input: {
          moduleId: module.id,
          trainers: ['Formatrice A'],
          region: 'MA-03',
          venue: 'Fès',
          startDate: DAYS[0],
          endDate: DAYS[2],
          capacity: 10,
          passMark: 60,
          budgetLineId: 'budget-2026.line-2',
          estimatedCost: mad(1_500_000),
        },
      })
    ).scheduleTrainingSession.trainingSession;
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', fundingStatus: 'REQUESTED', days: 3, module: { id: module.id } });
    const id = scheduled.id as string;

    // 12 enrolments for 10 seats: 10 enrolled, 2 waiting, in order
    let session: Record<string, any> = scheduled;
    for (const person of people) session = (await gql(coordinator, ENROL, { id, input: person })).enrolParticipant.trainingSession;
    expect(session).toMatchObject({ enrolledCount: 10, waitingCount: 2 });
    expect(session.waitingList.map((p: { fullName: string }) => p.fullName)).toEqual([people[10].fullName, people[11].fullName]);
    // the same person again is refused
    const twice = await stack.gql(coordinator, ENROL, { id, input: { ...people[0], fullName: `  ${people[0].fullName.toUpperCase()} ` } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'training.enrol.duplicate' });

    // a withdrawal promotes the first waiting person
    const leaving = session.participants[3];
    session = (await gql(coordinator, WITHDRAW, { id, p: leaving.id })).withdrawParticipant.trainingSession;
    expect(session).toMatchObject({ enrolledCount: 10, waitingCount: 1 });
    expect(session.participants.map((p: { fullName: string }) => p.fullName)).toContain(people[10].fullName);

    // starting before funding is refused; finance approves; then it starts
    const early = await stack.gql(coordinator, START, { id });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'training.start.requires-funding' });
    let commitmentId = '';
    await eventually('the session’s commitment request in finance', async () => {
      const r = await stack.gql(officer, COMMITMENTS, { f: { sourceId: id } });
      commitmentId = r.data?.commitments.edges[0]?.node.id ?? '';
      return commitmentId !== '';
    });
    expect((await gql(officer, APPROVE_COMMITMENT, { id: commitmentId })).approveCommitment.commitment.status).toBe('APPROVED');
    await eventually(
      'funding APPROVED on the session',
      async () => (await stack.gql(coordinator, SESSION_Q, { id })).data?.trainingSession.fundingStatus === 'APPROVED',
    );
    session = (await gql(coordinator, START, { id })).startTrainingSession.trainingSession;
    expect(session.status).toBe('IN_PROGRESS');

    // attendance over 3 days and scores: the first 6 attend every day and pass; #6 misses a day
    // (67% < 80%) but passes; #7 attends all but scores 59 (< 60); the others miss two days
    const enrolled = session.participants as { id: string; fullName: string }[];
    const ids = enrolled.map((p) => p.id);
    for (const [d, day] of DAYS.entries()) {
      const present = ids.filter((_, i) => i < 6 || i === 7 || (i === 6 && d !== 2) || d === 0);
      await gql(coordinator, ATTEND, { id, day, present });
    }
    for (const [i, p] of ids.entries()) {
      await gql(coordinator, ASSESS, { id, p, phase: 'PRE', score: 40 });
      await gql(coordinator, ASSESS, { id, p, phase: 'POST', score: i === 7 ? 59 : 60 + i });
    }
    session = (await gql(coordinator, COMPLETE, { id })).completeTrainingSession.trainingSession;
    expect(session.status).toBe('COMPLETED');
    const certified = (session.certificates as { participantId: string }[]).map((c) => c.participantId);
    expect(certified.sort()).toEqual(ids.slice(0, 6).sort());
    const rates = Object.fromEntries(session.participants.map((p: { id: string; attendanceRate: number }) => [p.id, p.attendanceRate]));
    expect(rates[ids[0]]).toBe(1);
    expect(rates[ids[6]]).toBeCloseTo(2 / 3, 9);

    // verification without a token: a real code, a forged one
    const certificate = session.certificates[0] as { code: string; participantId: string; verificationUrl: string };
    const holder = enrolled.find((p) => p.id === certificate.participantId)!;
    // (the verification reads the read model: wait for it with a token, which is not rate-limited)
    await eventually(
      'the certificate in the read model',
      async () => (await stack.gql(viewer, VERIFY, { code: certificate.code })).data?.verifyCertificate,
    );
    const verified = await graphql(`${stack.gateway.url}/graphql`, VERIFY, { code: certificate.code });
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyCertificate).toMatchObject({
      code: certificate.code,
      participantName: holder.fullName,
      moduleTitle: { fr: 'Droits humains et justice' },
      sessionStartDate: DAYS[0],
      revokedAt: null,
    });
    expect(JSON.stringify(verified.data)).not.toContain('Tribunal'); // never contact or institution data
    // One character changed (a code ending in X would otherwise be forged into itself, once in 32 runs).
    const forgedCode = `${certificate.code.slice(0, -1)}${certificate.code.endsWith('X') ? 'Y' : 'X'}`;
    const forged = await graphql(`${stack.gateway.url}/graphql`, VERIFY, { code: forgedCode });
    expect(forged.errors).toBeUndefined();
    expect(forged.data!.verifyCertificate).toBeNull();
    // any other query without a token is refused
    const anonymous = await graphql(`${stack.gateway.url}/graphql`, SESSION_Q, { id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // the page the QR code opens
    const page = await fetch(`${stack.gateway.url}/certificates/verify/${certificate.code}`, { headers: { accept: 'application/json' } });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ status: 'VALID', certificate: { participantName: holder.fullName } });
    expect((await fetch(`${stack.gateway.url}/certificates/verify/NOPE-NOPE`, { headers: { accept: 'application/json' } })).status).toBe(
      404,
    );

    // the printable certificate, through the gateway: its text and its QR code read back
    const pdfUrl = `${stack.gateway.url}/certificates/${certificate.code}/pdf`;
    const pdfResponse = await fetch(pdfUrl, { headers: { authorization: `Bearer ${coordinator}` } });
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await pdfResponse.arrayBuffer());
    const text = await textOf(pdf);
    expect(text).toContain(holder.fullName);
    expect(text).toContain(certificate.code);
    expect(text).toContain('Droits humains et justice');
    expect(hasArabicWord(text, 'العدالة')).toBe(true);
    expect(qrPayloadsOf(pdf)).toEqual([certificate.verificationUrl]);
    expect(certificate.verificationUrl).toBe(`http://127.0.0.1:4000/certificates/verify/${certificate.code}`);
    expect((await fetch(pdfUrl, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    expect((await fetch(pdfUrl)).status).toBe(401);

    // anonymous verification is rate-limited per address (30 a minute by default); a token is not
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => graphql(`${stack.gateway.url}/graphql`, VERIFY, { code: certificate.code })),
    );
    const limited = burst.filter((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0].status).toBe(429);
    expect((await stack.gql(viewer, VERIFY, { code: certificate.code })).data?.verifyCertificate?.code).toBe(certificate.code);

    // participant lists are for the roles that need them; others read the counts
    const asViewer = await stack.gql(viewer, `query($id: ID!) { trainingSession(id: $id) { enrolledCount participants { id } } }`, { id });
    expect(asViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const counts = await stack.gql(
      viewer,
      `query($id: ID!) { trainingSession(id: $id) { enrolledCount waitingCount enrolledBreakdown { total } } }`,
      { id },
    );
    expect(counts.errors).toBeUndefined();
    expect(counts.data!.trainingSession).toMatchObject({ enrolledCount: 10, waitingCount: 1, enrolledBreakdown: { total: 10 } });
  });

  it('lists the modules by status, a page at a time, and refuses an unknown status', async () => {
    const LIST = `query($f: TrainingModuleFilter, $first: Int, $after: String) {
      trainingModules(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status title { fr } } } } }`;
    const make = async (title: string, publish: boolean) => {
      const r = await stack.gql(coordinator, CREATE_MODULE, {
        input: { title: { fr: title }, professions: ['TEACHER'], instruments: [], hours: 3 },
      });
      expect(r.errors).toBeUndefined();
      const m = r.data!.createTrainingModule;
      if (!publish) return m.position as string;
      const p = await stack.gql(coordinator, PUBLISH_MODULE, { id: m.trainingModule.id });
      expect(p.errors).toBeUndefined();
      return p.data!.publishTrainingModule.position as string;
    };
    await make('Liste A', true);
    await make('Liste B', false);
    const last = await make('Liste C', true);
    const read = async (vars: Record<string, unknown>) => {
      const r = await stack.gql(
        viewer,
        LIST.replace('$after: String)', '$after: String, $min: String)').replace('after: $after)', 'after: $after, minPosition: $min)'),
        { ...vars, min: last },
      );
      expect(r.errors).toBeUndefined();
      return r.data!.trainingModules as {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { status: string; title: { fr: string } } }[];
      };
    };
    const drafts = await read({ f: { status: ['DRAFT'] } });
    expect(drafts.edges.map((e) => e.node.title.fr)).toContain('Liste B');
    expect(drafts.edges.every((e) => e.node.status === 'DRAFT')).toBe(true);
    const published = await read({ f: { status: ['PUBLISHED'] }, first: 1 });
    expect(published.totalCount).toBeGreaterThanOrEqual(2);
    expect(published.pageInfo.hasNextPage).toBe(true);
    const next = await read({ f: { status: ['PUBLISHED'] }, first: 100, after: published.pageInfo.endCursor });
    const titles = [...published.edges, ...next.edges].map((e) => e.node.title.fr);
    expect(titles).toEqual(expect.arrayContaining(['Liste A', 'Liste C']));
    expect(titles).not.toContain('Liste B');
    expect(new Set(titles).size).toBe(titles.length);
    const bad = await stack.gql(viewer, LIST, { f: { status: ['GONE'] } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
