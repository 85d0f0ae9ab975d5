import { createHmac } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { eventsTopic, KafkaJsBus, parseMessage } from '@hrp/messaging';
import { DEV_USERS, devToken, eventually, startPlatformStack, testInfra, textOf, type DevUser, type PlatformStack } from '@hrp/testing';
import { ReportingStore } from '../../gateway/src/platform/reporting/reporting.store';

/*
 * Issue 14 (in part): indicators computed at the gateway from the contexts' events, through the
 * public API, against figures worked out by hand below. A campaign with two held activities (one
 * scheduled, not held) and a training session completed with four participants: AWR-01, AWR-02,
 * TRN-01, TRN-02 and TRN-03 per year, quarter and region and in each breakdown; read-your-writes
 * with minPosition; regional officers see their region only; bad input is refused.
 */
jest.setTimeout(180_000);

const INDICATORS = `query($year: Int!, $quarter: Int, $region: String, $min: String) {
  indicators(year: $year, quarter: $quarter, region: $region, minPosition: $min) { code unit value facts national stock name { fr ar en } baseline target } }`;
const ONE = `query($code: String!, $year: Int!, $quarter: Int, $region: String, $by: String!) {
  indicator(code: $code, year: $year, quarter: $quarter, region: $region) { code value breakdown(by: $by) { key value } } }`;

const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { position campaign { id } } }`;
const PLAN = `mutation($id: ID!) { planCampaign(id: $id) { position campaign { id } } }`;
const LAUNCH = `mutation($id: ID!) { launchCampaign(id: $id) { position campaign { id status } } }`;
const SCHEDULE_ACTIVITY = `mutation($id: ID!, $input: ScheduleActivityInput!) { scheduleActivity(campaignId: $id, input: $input) { position campaign { activities { id kind } } } }`;
const HELD = `mutation($id: ID!, $a: ID!, $input: ActivityOutcomeInput!) { recordActivityHeld(campaignId: $id, activityId: $a, input: $input) { position campaign { id } } }`;

const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id } } }`;
const ENROL = `mutation($id: ID!, $input: ParticipantInput!) { enrolParticipant(sessionId: $id, input: $input) { trainingSession { participants { id fullName } } } }`;
const START = `mutation($id: ID!) { startTrainingSession(id: $id) { trainingSession { id } } }`;
const ATTEND = `mutation($id: ID!, $day: Date!, $present: [ID!]!) { recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present) { trainingSession { id } } }`;
const ASSESS = `mutation($id: ID!, $p: ID!, $phase: AssessmentPhase!, $score: Int!) { recordAssessment(sessionId: $id, participantId: $p, phase: $phase, score: $score) { trainingSession { id } } }`;
const COMPLETE = `mutation($id: ID!) { completeTrainingSession(id: $id) { position trainingSession { id certificates { participantId } } } }`;

const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { id } } }`;
const DRAFT_AGREEMENT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { agreement { id } } }`;
const NEGOTIATE = `mutation($id: ID!) { startNegotiation(id: $id) { agreement { id } } }`;
const SIGN = `mutation($id: ID!, $on: Date!) { signAgreement(id: $id, signedOn: $on) { agreement { id } } }`;
const ACTIVATE = `mutation($id: ID!) { activateAgreement(id: $id) { agreement { id status } } }`;

const OPEN_DOSSIER = `mutation($input: OpenDossierInput!) { openDossier(input: $input) { dossier { id } } }`;
const ISSUE = `mutation($id: ID!, $input: IssueRecommendationInput!) { issueRecommendation(dossierId: $id, input: $input) { dossier { recommendations { id } } } }`;
const CHANGE = `mutation($id: ID!, $r: ID!, $s: String!, $e: String!, $d: Date) {
  changeRecommendationStatus(dossierId: $id, recommendationId: $r, status: $s, evidence: $e, evidenceDate: $d) { dossier { id } } }`;

const DRAFT_BUDGET = `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { budget { id } } }`;
const APPROVE_BUDGET = `mutation($id: ID!) { approveBudget(id: $id) { budget { id status } } }`;
const REQUEST = `mutation($input: RequestCommitmentInput!) { requestCommitment(input: $input) { commitment { id status } } }`;
const APPROVE_COMMITMENT = `mutation($id: ID!) { approveCommitment(id: $id) { commitment { id status } } }`;
const EXPENSE = `mutation($id: ID!, $input: ExpenseInput!) { recordExpense(commitmentId: $id, input: $input) { position commitment { id } } }`;

const mad = (amount: string) => ({ amount, currency: 'MAD' });
const now = new Date();
const thisYear = now.getUTCFullYear();
const thisQuarter = Math.floor(now.getUTCMonth() / 3) + 1;

type Indicator = {
  code: string;
  unit: string;
  value: number;
  facts: number;
  national: boolean;
  stock: boolean;
  name: { fr: string; ar: string; en: string };
};

describe('indicators at the gateway, from the contexts’ events', () => {
  let stack: PlatformStack;
  const tokens = {} as Record<DevUser, string>;
  let lastPosition: string;

  const ok = async (user: DevUser, query: string, variables: Record<string, unknown>) => {
    const r = await stack.gql(tokens[user], query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const indicators = async (vars: Record<string, unknown>, user: DevUser = 'me-officer') =>
    Object.fromEntries(
      ((await ok(user, INDICATORS, { year: 2026, min: lastPosition, ...vars })).indicators as Indicator[]).map((i) => [i.code, i]),
    );
  const breakdown = async (code: string, by: string, vars: Record<string, unknown> = {}) =>
    Object.fromEntries(
      ((await ok('me-officer', ONE, { code, year: 2026, by, ...vars })).indicator.breakdown as { key: string; value: number }[]).map(
        (s) => [s.key, s.value],
      ),
    );

  beforeAll(async () => {
    stack = await startPlatformStack(['campaigns', 'training', 'partnerships', 'advocacy', 'finance'], 15880);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));

    // ---- awareness: one campaign, activities in MA-03 (Q1) and MA-06 (Q2, one not held)
    const { id } = (
      await ok('campaign-manager', CREATE_CAMPAIGN, {
        input: {
          title: { fr: 'Campagne indicateurs' },
          themes: ['CRC'],
          audiences: ['YOUTH'],
          channels: ['RADIO'],
          regions: ['MA-03', 'MA-06'],
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          targetReach: 1000,
        },
      })
    ).createCampaign.campaign;
    await ok('campaign-manager', PLAN, { id });
    await ok('campaign-manager', LAUNCH, { id });
    const schedule = (input: Record<string, unknown>) => ok('campaign-manager', SCHEDULE_ACTIVITY, { id, input });
    await schedule({ kind: 'WORKSHOP', date: '2026-02-10', region: 'MA-03', venue: 'Fès' });
    await schedule({ kind: 'CARAVAN', date: '2026-05-20', region: 'MA-06', venue: 'Casablanca' });
    const activities = (await schedule({ kind: 'WORKSHOP', date: '2026-06-01', region: 'MA-06', venue: 'Settat' })).scheduleActivity
      .campaign.activities as { id: string }[];
    await ok('campaign-manager', HELD, {
      id,
      a: activities[0].id,
      input: {
        participants: { female: 12, male: 8, undisclosed: 1, withDisability: 2, byAgeGroup: [{ ageGroup: 'AGE_18_24', count: 21 }] },
      },
    });
    await ok('campaign-manager', HELD, {
      id,
      a: activities[1].id,
      input: { participants: { female: 30, male: 20, undisclosed: 0, withDisability: 5 }, mediaReach: 5000 },
    });

    // ---- training: a two-day session in MA-03 ending in Q4, four people
    const module = (
      await ok('training-coordinator', CREATE_MODULE, {
        input: { title: { fr: 'Module indicateurs' }, professions: ['JUDICIARY'], instruments: ['ICCPR'], hours: 12 },
      })
    ).createTrainingModule.trainingModule;
    await ok('training-coordinator', PUBLISH_MODULE, { id: module.id });
    const session = (
      await ok('training-coordinator', SCHEDULE, {
        input: {
          moduleId: module.id,
          trainers: ['Formatrice'],
          region: 'MA-03',
          venue: 'Fès',
          startDate: '2026-09-30',
          endDate: '2026-10-01',
          capacity: 10,
          passMark: 60,
        },
      })
    ).scheduleTrainingSession.trainingSession.id as string;
    const person = (name: string, sex: string, profession: string, region: string) => ({
      fullName: `${name} Indicateurs-Test`,
      institution: 'Tribunal',
      sex,
      ageGroup: 'AGE_25_34',
      profession,
      region,
    });
    for (const p of [
      person('Amal', 'F', 'JUDICIARY', 'MA-03'),
      person('Badr', 'M', 'JUDICIARY', 'MA-03'),
      person('Chama', 'F', 'HEALTH_PROFESSIONAL', 'MA-06'),
      person('Driss', 'M', 'HEALTH_PROFESSIONAL', 'MA-03'),
    ])
      await ok('training-coordinator', ENROL, { id: session, input: p });
    const list = (
      await ok('training-coordinator', `query($id: ID!) { trainingSession(id: $id) { participants { id fullName } } }`, { id: session })
    ).trainingSession.participants as { id: string; fullName: string }[];
    const pid = (name: string) => list.find((p) => p.fullName.startsWith(name))!.id;
    await ok('training-coordinator', START, { id: session });
    await ok('training-coordinator', ATTEND, { id: session, day: '2026-09-30', present: [pid('Amal'), pid('Badr'), pid('Chama')] });
    await ok('training-coordinator', ATTEND, { id: session, day: '2026-10-01', present: [pid('Amal'), pid('Chama')] });
    const assess = (name: string, phase: string, score: number) =>
      ok('training-coordinator', ASSESS, { id: session, p: pid(name), phase, score });
    await assess('Amal', 'PRE', 40);
    await assess('Amal', 'POST', 70);
    await assess('Badr', 'PRE', 50);
    await assess('Badr', 'POST', 60);
    await assess('Chama', 'POST', 90);
    const completed = (await ok('training-coordinator', COMPLETE, { id: session })).completeTrainingSession;
    // Amal and Chama: every day present and passed; Badr: one day of two (below 80 %).
    expect((completed.trainingSession.certificates as { participantId: string }[]).map((c) => c.participantId).sort()).toEqual(
      [pid('Amal'), pid('Chama')].sort(),
    );

    // ---- partnerships: an NGO's agreement, signed in Q1 2026, active from today
    const partner = (
      await ok('partnership-officer', REGISTER, { input: { name: { fr: 'Association Indicateurs' }, type: 'NGO', country: 'MA' } })
    ).registerPartner.partner.id as string;
    const agreement = (
      await ok('partnership-officer', DRAFT_AGREEMENT, {
        input: {
          partnerId: partner,
          title: { fr: 'Convention indicateurs' },
          scope: { fr: 'Formation' },
          startDate: '2026-01-01',
          endDate: '2030-12-31',
          commitmentsOurs: ['Former'],
          commitmentsTheirs: ['Financer'],
          contributions: [
            { direction: 'FROM_PARTNER', kind: 'FINANCIAL', money: mad('50000000') },
            { direction: 'FROM_PARTNER', kind: 'IN_KIND', description: 'Salles', estimatedValue: mad('30000000') },
          ],
        },
      })
    ).draftAgreement.agreement.id as string;
    await ok('partnership-officer', NEGOTIATE, { id: agreement });
    await ok('partnership-officer', SIGN, { id: agreement, on: '2026-03-10' });
    await ok('partnership-officer', ACTIVATE, { id: agreement });

    // ---- advocacy: three recommendations of 2026, one adopted, one rejected, one pending
    const dossier = (
      await ok('advocacy-officer', OPEN_DOSSIER, {
        input: { topic: { fr: 'Dossier indicateurs' }, target: 'PARLIAMENT', instruments: ['ICCPR'], themes: ['justice'] },
      })
    ).openDossier.dossier.id as string;
    const issue = async (addressee: string, issuedOn: string) =>
      (
        (
          await ok('advocacy-officer', ISSUE, {
            id: dossier,
            input: { text: { fr: `Recommandation ${issuedOn}` }, addressee, source: 'MEMORANDUM', issuedOn },
          })
        ).issueRecommendation.dossier.recommendations as { id: string }[]
      ).at(-1)!.id;
    const r1 = await issue('Ministère de la Justice', '2026-02-01');
    const r2 = await issue('Ministère de la Justice', '2026-05-01');
    await issue('Parlement', '2026-05-02');
    await ok('advocacy-officer', CHANGE, { id: dossier, r: r1, s: 'ADOPTED', e: 'BO 7300', d: '2026-06-01' });
    await ok('advocacy-officer', CHANGE, { id: dossier, r: r2, s: 'REJECTED', e: 'Réponse 88', d: '2026-06-01' });

    // ---- finance: the 2026 budget; 30,000.00 MAD spent on the session's commitment; one commitment pending
    await ok('finance-officer', DRAFT_BUDGET, {
      input: {
        fiscalYear: 2026,
        lines: [
          { programmeArea: 'AWARENESS', allocated: mad('100000000') },
          { programmeArea: 'TRAINING', allocated: mad('200000000') },
        ],
      },
    });
    await ok('director', APPROVE_BUDGET, { id: 'budget-2026' });
    const request = (line: string, amount: string, sourceType: string, sourceId: string) =>
      ok('finance-officer', REQUEST, {
        input: { budgetLineId: line, amount: mad(amount), purpose: { fr: 'Indicateurs' }, sourceType, sourceId, regions: ['MA-03'] },
      });
    const training = (await request('budget-2026.line-2', '4000000', 'TRAINING_SESSION', session)).requestCommitment.commitment
      .id as string;
    await ok('finance-officer', APPROVE_COMMITMENT, { id: training });
    await request('budget-2026.line-1', '1000000', 'CAMPAIGN', id);
    const spent = await ok('finance-officer', EXPENSE, {
      id: training,
      input: { amount: mad('3000000'), supplier: 'Hôtel Fès', invoiceRef: 'F-2026-001', date: '2026-10-01' },
    });
    lastPosition = spent.recordExpense.position as string;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('gives each indicator of the year as worked out by hand, read after the last write', async () => {
    const all = await indicators({});
    expect(Object.fromEntries(Object.values(all).map((i) => [i.code, [i.value, i.facts]]))).toEqual({
      'AWR-01': [71, 2], // 21 + 50; the third activity was not held; media reach is not people reached
      'AWR-02': [2, 2],
      'TRN-01': [3, 2], // Amal, Badr (MA-03), Chama (MA-06); Driss never came; two facts: the session per region
      'TRN-02': [20, 1], // (70 - 40 + 60 - 50) / 2; Chama has no pre-test
      'TRN-03': [66.67, 2], // 2 certified of 3 trained
      'PRT-01': thisYear === 2026 ? [1, 1] : [0, 0], // activated today, active until 2030
      'PRT-02': [80_000_000, 1], // 500,000.00 + 300,000.00 MAD in kind, signed in 2026
      'ADV-01': [3, 3],
      'ADV-02': [50, 2], // adopted 1 of 2 decided (the third is pending)
      'FIN-01': [1, 2], // 30,000.00 spent of 3,000,000.00 allocated (two lines)
      'FIN-02': [1, 1], // the campaign's commitment, still REQUESTED
      'X-01': [1_000_000, 1], // 30,000.00 MAD spent on the session over 3 people trained: 10,000.00 MAD each
      'X-02': [0, 0], // nothing spent on the campaign
    });
    expect(all['AWR-01']).toMatchObject({ unit: 'PEOPLE', baseline: null, target: null, national: false, stock: false });
    expect(all['FIN-01']).toMatchObject({ unit: 'PERCENT', national: true, stock: true });
    expect(all['TRN-01'].name.ar).toBe('الأشخاص المكوَّنون');
  });

  it('gives the national indicators per quarter, whatever region is asked, and their breakdowns', async () => {
    const q1 = await indicators({ quarter: 1 });
    const q2 = await indicators({ quarter: 2 });
    const q4 = await indicators({ quarter: 4 });
    expect([q1['ADV-01'].value, q2['ADV-01'].value, q4['ADV-01'].value]).toEqual([1, 2, 0]);
    expect([q1['ADV-02'].value, q2['ADV-02'].value]).toEqual([100, 0]);
    expect([q1['PRT-02'].value, q4['PRT-02'].value]).toEqual([80_000_000, 0]);
    expect([q1['FIN-01'].value, q4['FIN-01'].value]).toEqual([0, 1]);
    expect([q1['X-01'].value, q4['X-01'].value]).toEqual([0, 1_000_000]);
    if (thisYear === 2026) expect((await indicators({ quarter: thisQuarter }))['PRT-01'].value).toBe(1);
    const ma06 = await indicators({ region: 'MA-06' });
    expect([ma06['ADV-01'].value, ma06['FIN-01'].value, ma06['PRT-02'].value]).toEqual([3, 1, 80_000_000]);
    expect(await breakdown('PRT-02', 'kind')).toEqual({ FINANCIAL: 50_000_000, IN_KIND: 30_000_000 });
    expect(await breakdown('PRT-02', 'partnerType')).toEqual({ NGO: 80_000_000 });
    expect(await breakdown('ADV-01', 'addressee')).toEqual({ 'Ministère de la Justice': 2, Parlement: 1 });
    expect(await breakdown('ADV-02', 'addressee')).toEqual({ 'Ministère de la Justice': 50 });
    expect(await breakdown('FIN-01', 'programmeArea')).toEqual({ AWARENESS: 0, TRAINING: 1.5 });
    expect(await breakdown('FIN-02', 'sourceType')).toEqual({ CAMPAIGN: 1 });
    if (thisYear === 2026) expect(await breakdown('PRT-01', 'partnerType')).toEqual({ NGO: 1 });
  });

  it('gives them per quarter and per region', async () => {
    const q1 = await indicators({ quarter: 1 });
    const q2 = await indicators({ quarter: 2 });
    const q4 = await indicators({ quarter: 4 });
    expect([q1['AWR-01'].value, q2['AWR-01'].value, q4['AWR-01'].value]).toEqual([21, 50, 0]);
    expect([q1['TRN-01'].value, q4['TRN-01'].value]).toEqual([0, 3]);
    const ma03 = await indicators({ region: 'MA-03' });
    const ma06 = await indicators({ region: 'MA-06' });
    expect([ma03['AWR-01'].value, ma06['AWR-01'].value]).toEqual([21, 50]);
    expect([ma03['TRN-01'].value, ma06['TRN-01'].value]).toEqual([2, 1]);
    expect([ma03['TRN-03'].value, ma06['TRN-03'].value]).toEqual([50, 100]);
    expect([ma03['TRN-02'].value, ma06['TRN-02'].value]).toEqual([20, 0]);
    expect((await indicators({ year: 2025 }))['AWR-01'].value).toBe(0);
  });

  it('breaks each down by what it supports', async () => {
    expect(await breakdown('AWR-01', 'sex')).toEqual({ F: 42, M: 28, UNDISCLOSED: 1 });
    expect(await breakdown('AWR-01', 'disability')).toEqual({ WITH_DISABILITY: 7, OTHER: 64 });
    expect(await breakdown('AWR-01', 'ageGroup')).toEqual({ AGE_18_24: 21 });
    expect(await breakdown('AWR-01', 'region')).toEqual({ 'MA-03': 21, 'MA-06': 50 });
    expect(await breakdown('AWR-01', 'quarter')).toEqual({ Q1: 21, Q2: 50 });
    expect(await breakdown('AWR-02', 'kind')).toEqual({ WORKSHOP: 1, CARAVAN: 1 });
    expect(await breakdown('TRN-01', 'sex')).toEqual({ F: 2, M: 1 });
    expect(await breakdown('TRN-01', 'profession')).toEqual({ JUDICIARY: 2, HEALTH_PROFESSIONAL: 1 });
    expect(await breakdown('TRN-01', 'region')).toEqual({ 'MA-03': 2, 'MA-06': 1 });
    expect(await breakdown('TRN-03', 'sex')).toEqual({ F: 100, M: 0 });
    expect(await breakdown('TRN-03', 'profession')).toEqual({ JUDICIARY: 50, HEALTH_PROFESSIONAL: 100 });
    expect(await breakdown('TRN-02', 'sex')).toEqual({ F: 30, M: 10 });
    expect(await breakdown('AWR-01', 'sex', { region: 'MA-06' })).toEqual({ F: 30, M: 20, UNDISCLOSED: 0 });
    // Every other breakdown the catalogue offers, worked out by hand.
    expect(await breakdown('AWR-02', 'region')).toEqual({ 'MA-03': 1, 'MA-06': 1 });
    expect(await breakdown('AWR-02', 'quarter')).toEqual({ Q1: 1, Q2: 1 });
    expect(await breakdown('TRN-01', 'ageGroup')).toEqual({ AGE_25_34: 3 });
    expect(await breakdown('TRN-01', 'quarter')).toEqual({ Q4: 3 });
    expect(await breakdown('TRN-02', 'region')).toEqual({ 'MA-03': 20 });
    expect(await breakdown('TRN-02', 'quarter')).toEqual({ Q4: 20 });
    expect(await breakdown('TRN-02', 'ageGroup')).toEqual({ AGE_25_34: 20 });
    expect(await breakdown('TRN-02', 'profession')).toEqual({ JUDICIARY: 20 });
    expect(await breakdown('TRN-03', 'region')).toEqual({ 'MA-03': 50, 'MA-06': 100 });
    expect(await breakdown('TRN-03', 'quarter')).toEqual({ Q4: 66.67 });
    expect(await breakdown('TRN-03', 'ageGroup')).toEqual({ AGE_25_34: 66.67 });
    expect(await breakdown('PRT-02', 'quarter')).toEqual({ Q1: 80_000_000 });
    expect(await breakdown('ADV-01', 'quarter')).toEqual({ Q1: 1, Q2: 2 });
    expect(await breakdown('ADV-01', 'source')).toEqual({ MEMORANDUM: 3 });
    expect(await breakdown('ADV-02', 'quarter')).toEqual({ Q1: 100, Q2: 0 });
    expect(await breakdown('ADV-02', 'source')).toEqual({ MEMORANDUM: 50 });
  });

  it('reads its own writes: each held activity is in the next read with its position', async () => {
    const { id } = (
      await ok('campaign-manager', CREATE_CAMPAIGN, {
        input: {
          title: { fr: 'Campagne 2027' },
          themes: ['CRC'],
          audiences: ['YOUTH'],
          channels: ['RADIO'],
          regions: ['MA-01'],
          startDate: '2027-01-01',
          endDate: '2027-12-31',
          targetReach: 10,
        },
      })
    ).createCampaign.campaign;
    await ok('campaign-manager', PLAN, { id });
    await ok('campaign-manager', LAUNCH, { id });
    for (let i = 1; i <= 6; i++) {
      const a = (
        await ok('campaign-manager', SCHEDULE_ACTIVITY, {
          id,
          input: { kind: 'WORKSHOP', date: '2027-03-01', region: 'MA-01', venue: 'Tanger' },
        })
      ).scheduleActivity.campaign.activities as { id: string }[];
      const held = await ok('campaign-manager', HELD, {
        id,
        a: a[a.length - 1].id,
        input: { participants: { female: 1, male: 1, undisclosed: 0, withDisability: 0 } },
      });
      const read = await indicators({ year: 2027, min: held.recordActivityHeld.position });
      expect([i, read['AWR-02'].value, read['AWR-01'].value]).toEqual([i, i, 2 * i]);
    }
  });

  it('drills down to what each figure counts, a page at a time', async () => {
    const DRILL = `query($code: String!, $first: Int, $after: String) { indicator(code: $code, year: 2026) { value
      drillDown(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { ref context streamId position year quarter region value denominator } } } } }`;
    const page = async (code: string, first?: number, after?: string) => (await ok('viewer', DRILL, { code, first, after })).indicator;
    const first = await page('AWR-01', 1);
    expect(first.drillDown.totalCount).toBe(2);
    expect(first.drillDown.pageInfo.hasNextPage).toBe(true);
    const second = await page('AWR-01', 1, first.drillDown.pageInfo.endCursor);
    expect(second.drillDown.pageInfo.hasNextPage).toBe(false);
    const nodes = [...first.drillDown.edges, ...second.drillDown.edges].map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes.map((n) => [n.context, n.region, n.quarter, n.value]).sort()).toEqual([
      ['campaigns', 'MA-03', 1, 21],
      ['campaigns', 'MA-06', 2, 50],
    ]);
    expect(nodes.reduce((n, x) => n + (x.value as number), 0)).toBe(first.value);
    expect(String(nodes[0].ref)).toMatch(/^campaign-.+\/.+/);
    const trn3 = (await page('TRN-03')).drillDown.edges.map((e: { node: Record<string, unknown> }) => [
      e.node.region,
      e.node.value,
      e.node.denominator,
    ]);
    expect(trn3.sort()).toEqual([
      ['MA-03', 1, 2],
      ['MA-06', 1, 1],
    ]);
    const x1 = (await page('X-01')).drillDown.edges.map((e: { node: Record<string, unknown> }) => [e.node.context, e.node.value]);
    expect(x1).toEqual([['finance', 3_000_000]]);
    const bad = await stack.gql(tokens.viewer, DRILL, { code: 'AWR-01', first: 0 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('places every indicator in the results framework: objectives, expected results', async () => {
    const FRAMEWORK = `query { resultsFramework(year: 2026) { id name { fr } results { id name { fr } indicators { code value } } } }`;
    const framework = (await ok('viewer', FRAMEWORK, {})).resultsFramework as {
      id: string;
      results: { id: string; indicators: { code: string; value: number }[] }[];
    }[];
    expect(framework.map((o) => [o.id, o.results.map((r) => [r.id, r.indicators.map((i) => i.code)])])).toEqual([
      [
        'OBJ-1',
        [
          ['R-1.1', ['AWR-01', 'AWR-02', 'X-02']],
          ['R-1.2', ['TRN-01', 'TRN-02', 'TRN-03', 'X-01']],
        ],
      ],
      [
        'OBJ-2',
        [
          ['R-2.1', ['PRT-01', 'PRT-02']],
          ['R-2.2', ['ADV-01', 'ADV-02']],
        ],
      ],
      ['OBJ-3', [['R-3.1', ['FIN-01', 'FIN-02']]]],
    ]);
    expect(framework[0].results[0].indicators[0].value).toBe(71);
  });

  it('shows a regional officer their region only', async () => {
    const own = await indicators({}, 'regional-officer-ma06');
    expect([own['AWR-01'].value, own['TRN-01'].value]).toEqual([50, 1]);
    const other = await stack.gql(tokens['regional-officer-ma06'], INDICATORS, { year: 2026, region: 'MA-03' });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await indicators({}, 'viewer'))['AWR-01'].value).toBe(71);
  });

  describe('targets', () => {
    const SET = `mutation($code: String!, $year: Int!, $target: Float!, $baseline: Float, $reason: String) {
      setIndicatorTarget(code: $code, year: $year, target: $target, baseline: $baseline, reason: $reason) { code value baseline target achievement light } }`;
    const LIGHTS = `query($year: Int!, $quarter: Int) { indicators(year: $year, quarter: $quarter) { code value baseline target achievement light } }`;
    const lights = async (vars: Record<string, unknown>) =>
      Object.fromEntries(((await ok('viewer', LIGHTS, vars)).indicators as { code: string }[]).map(({ code, ...rest }) => [code, rest]));

    it('is set by the M&E officer or the director, with a reason, and gives achievement and a light', async () => {
      const set = (await ok('me-officer', SET, { code: 'AWR-01', year: 2026, target: 171, baseline: 21, reason: 'Plan d’action 2026' }))
        .setIndicatorTarget;
      // (71 - 21) / (171 - 21)
      expect(set).toEqual({ code: 'AWR-01', value: 71, baseline: 21, target: 171, achievement: 0.3333, light: 'OFF_TRACK' });
      await ok('director', SET, { code: 'TRN-03', year: 2026, target: 70, baseline: 50, reason: 'Objectif du programme' });
      await ok('director', SET, { code: 'AWR-02', year: 2026, target: 2, baseline: 0 });
      const all = await lights({ year: 2026 });
      expect(all['TRN-03']).toEqual({ value: 66.67, baseline: 50, target: 70, achievement: 0.8335, light: 'AT_RISK' });
      expect(all['AWR-02']).toEqual({ value: 2, baseline: 0, target: 2, achievement: 1, light: 'ON_TRACK' });
      expect(all['TRN-01']).toEqual({ value: 3, baseline: null, target: null, achievement: null, light: 'NO_TARGET' });
      // A yearly target, shown beside a quarter's figure.
      expect((await lights({ year: 2026, quarter: 1 }))['AWR-01']).toMatchObject({
        value: 21,
        target: 171,
        achievement: 0,
        light: 'OFF_TRACK',
      });
      // Set again without a baseline: the baseline is kept.
      expect((await ok('director', SET, { code: 'AWR-01', year: 2026, target: 81 })).setIndicatorTarget).toMatchObject({
        baseline: 21,
        target: 81,
        achievement: 0.8333,
        light: 'AT_RISK',
      });
      expect((await lights({ year: 2027 }))['AWR-01']).toMatchObject({ target: null, light: 'NO_TARGET' });
    });

    it('shows who set each target and why in the audit trail', async () => {
      const TRAIL = `query { auditTrail(filter: { context: "gateway", eventType: "IndicatorTargetSet" }) { edges { node { streamId actorUsername data } } } }`;
      const entries = await eventually('the target settings in the trail', async () => {
        const edges = (
          (await ok('auditor', TRAIL, {})).auditTrail.edges as { node: { streamId: string; actorUsername: string; data: string } }[]
        ).map((e) => e.node);
        return edges.length >= 4 ? edges : undefined;
      });
      const first = entries.find((e) => e.streamId === 'indicator-AWR-01-2026')!;
      expect(first.actorUsername).toBe('me-officer');
      expect(JSON.parse(first.data)).toEqual({ code: 'AWR-01', year: 2026, target: 171, baseline: 21, reason: 'Plan d’action 2026' });
    });

    it.each(DEV_USERS.filter((u) => u !== 'director' && u !== 'me-officer').map((u) => [u]))(
      'refuses %s and changes nothing',
      async (user) => {
        const before = (await lights({ year: 2026 }))['TRN-02'];
        const r = await stack.gql(tokens[user], SET, { code: 'TRN-02', year: 2026, target: 99, baseline: 1 });
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect((await lights({ year: 2026 }))['TRN-02']).toEqual(before);
      },
    );

    it('refuses bad input and changes nothing', async () => {
      const refused = async (vars: Record<string, unknown>) =>
        (await stack.gql(tokens.director, SET, { code: 'TRN-02', year: 2026, target: 30, ...vars })).errors?.[0]?.extensions;
      expect(await refused({ code: 'NOPE-9' })).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refused({ target: -5 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'target' });
      expect(await refused({ baseline: 30 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'target' });
      expect(await refused({ baseline: -1 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'baseline' });
      expect(await refused({ year: 1999 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
      expect(await refused({ reason: 'x'.repeat(501) })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect((await lights({ year: 2026 }))['TRN-02']).toMatchObject({ target: null, light: 'NO_TARGET' });
    });
  });

  it('gives the same facts when every message is delivered again, and when rebuilt from the topics', async () => {
    // Every event of the five topics, read again from the beginning by a group of the test's own.
    const bus = new KafkaJsBus({ brokers: [...testInfra.kafkaBrokers], clientId: `rebuild-${stack.iso.tag}` });
    const contexts = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance'];
    const byContext = new Map<string, StoredEvent[]>(contexts.map((c) => [c, []]));
    const topics = new Map(contexts.map((c) => [eventsTopic(c, stack.iso.topicPrefix), c]));
    const total = (await Promise.all([...topics.keys()].map((t) => bus.topicOffsets(t)))).flat().reduce((n, p) => n + Number(p.high), 0);
    let seen = 0;
    const reader = bus.subscriber({ groupId: `${stack.iso.topicPrefix}test-rebuild`, topics: [...topics.keys()], fromBeginning: true });
    await reader.run(async (batch) => {
      for (const m of batch.messages) {
        const parsed = parseMessage(m);
        if (parsed.ok) byContext.get(topics.get(batch.topic)!)!.push(parsed.event);
        seen++;
      }
    });
    await eventually('every message read again', () => seen >= total, { timeoutMs: 30_000 });
    await reader.stop();
    await bus.close();
    expect(seen).toBeGreaterThan(50);

    const gatewayDb = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_gateway` }).asPromise();
    const rebuildDb = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_rebuild` }).asPromise();
    try {
      const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : 1);
      // Facts and the cells figures are read from (a cell's revision counts rewrites, which may differ).
      const facts = async (store: ReportingStore) => ({
        facts: (await store.facts.find({}).toArray()).sort(byId),
        cells: (await store.cells.find({}, { projection: { rev: 0 } }).toArray()).sort(byId),
      });
      const live = new ReportingStore(gatewayDb.db!);
      const before = await facts(live);
      const figures = await indicators({});
      expect(before.facts.length).toBeGreaterThan(15);
      expect(before.cells.length).toBeGreaterThan(10);
      // Redelivery of every message, in other batches: nothing changes.
      for (const [context, events] of byContext)
        for (let i = 0; i < events.length; i += 7) await live.apply(context, events.slice(i, i + 7));
      expect(await facts(live)).toEqual(before);
      expect(await indicators({})).toEqual(figures);
      // A rebuild into a fresh database: the same facts and cells.
      const rebuilt = new ReportingStore(rebuildDb.db!);
      for (const [context, events] of byContext) await rebuilt.apply(context, events);
      expect(await facts(rebuilt)).toEqual(before);
    } finally {
      await rebuildDb.dropDatabase().catch(() => undefined);
      await rebuildDb.close();
      await gatewayDb.close();
    }
  });

  describe('synthesis reports', () => {
    const REPORT = `query($year: Int!, $format: ReportFormat!, $language: String) {
      synthesisReport(year: $year, format: $format, language: $language) { filename mimeType url expiresAt } }`;
    const report = async (format: string, language: string, user: DevUser = 'me-officer') =>
      (await ok(user, REPORT, { year: 2026, format, language })).synthesisReport as {
        filename: string;
        mimeType: string;
        url: string;
        expiresAt: string;
      };

    it('gives the CSV: UTF-8 with a BOM, stable columns, the figures, names in the language', async () => {
      const file = await report('CSV', 'ar');
      expect(file.filename).toBe('hrp-synthesis-2026-national-ar.csv');
      const res = await fetch(file.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv<Record<string, string>>(bytes.toString('utf8'), { bom: true, columns: true });
      expect(Object.keys(rows[0])).toEqual([
        'year',
        'region',
        'code',
        'name',
        'unit',
        'breakdown',
        'key',
        'value',
        'baseline',
        'target',
        'achievement',
        'light',
      ]);
      const awr = rows.find((r) => r.code === 'AWR-01' && r.breakdown === '')!;
      expect(awr).toMatchObject({ year: '2026', region: 'NATIONAL', name: 'الأشخاص الذين شملتهم أنشطة التوعية', value: '71' });
      expect(rows.find((r) => r.code === 'AWR-01' && r.breakdown === 'sex' && r.key === 'F')!.value).toBe('42');
      expect(rows.find((r) => r.code === 'PRT-02' && r.breakdown === '')).toMatchObject({ unit: 'MONEY_MINOR_UNITS', value: '80000000' });
      expect(new Set(rows.filter((r) => r.breakdown === '').map((r) => r.code)).size).toBe(13);
    });

    it('gives the XLSX: numbers as numbers, money in MAD, Tifinagh names, Arabic sheets right to left', async () => {
      const read = async (language: string) => {
        const file = await report('XLSX', language, 'auditor');
        const res = await fetch(file.url);
        expect(res.status).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
        return wb;
      };
      const zgh = await read('zgh');
      const table = zgh.getWorksheet('indicators')!;
      const rows = new Map<string, ExcelJS.Row>();
      table.eachRow((row, n) => {
        if (n > 1) rows.set(row.getCell(1).text, row);
      });
      expect(rows.size).toBe(13);
      expect(rows.get('AWR-01')!.getCell(2).value).toBe('ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ');
      expect(rows.get('AWR-01')!.getCell(6).value).toBe(71);
      expect(rows.get('PRT-02')!.getCell(6).value).toBe(800_000); // MAD: 80,000,000 minor units
      expect(rows.get('TRN-03')!.getCell(6).value).toBe(66.67);
      expect(table.views[0]?.rightToLeft ?? false).toBe(false);
      const trained = zgh.getWorksheet('trained')!;
      // A profession in words (Tamazight has none yet for these: the French word), then its code.
      expect(trained.getRow(2).values).toEqual([undefined, 'Professionnels de santé', 1, 0, 'HEALTH_PROFESSIONAL']);
      expect(trained.getRow(3).values).toEqual([undefined, 'Magistrats', 1, 1, 'JUDICIARY']);
      const sexes = new Map<string, unknown>();
      zgh.getWorksheet('breakdowns')!.eachRow((row) => {
        if (row.getCell(1).text === 'AWR-01' && row.getCell(6).text === 'sex') sexes.set(row.getCell(4).text, row.getCell(5).value);
      });
      expect(sexes.get('ⵜⵉⵎⵖⴰⵔⵉⵏ')).toBe(42); // women reached, in Tifinagh
      const ar = await read('ar');
      expect(ar.getWorksheet('indicators')!.views[0]?.rightToLeft).toBe(true);
      expect(ar.getWorksheet('indicators')!.getRow(1).getCell(2).value).toBe('المؤشر');
      expect(ar.getWorksheet('budget-execution')!.getRow(1).getCell(1).value).toBe('المجال');
    });

    it('gives the PDF in Arabic: the figures, the Arabic words in their order, right to left', async () => {
      const file = await report('PDF', 'ar');
      expect(file).toMatchObject({ filename: 'hrp-synthesis-2026-national-ar.pdf', mimeType: 'application/pdf' });
      const res = await fetch(file.url);
      expect(res.status).toBe(200);
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = (await textOf(pdf)).normalize('NFKC').replace(/\t/g, ' ');
      // Cover, table, charts, then a page per context (campaigns, training, partnerships, advocacy, finance, costs).
      expect(text).toContain('-- 1 of 9 --');
      // The indicator table row of AWR-01, in reading order: its code, its name, its value, its target, achievement.
      // (Its first word holds a lam-alef, the one ligature Arabic requires: a reader may swap that pair.)
      expect(text).toMatch(/AWR-01 \S+ الذين شملتهم أنشطة التوعية 71 81 /);
      // Words without one read back letter for letter, in their order.
      expect(text).toContain('FIN-01 نسبة تنفيذ الميزانية 1');
      expect(text).toContain('الرمز المؤشر القيمة الهدف');
      expect(text).toContain('التركيبي');
      // Breakdowns in words: women reached, a quarter.
      expect(text).toContain('نساء: 42');
      // Figures as Morocco writes them in Arabic: 800.000,00 MAD, 66,67 %.
      expect(text).toContain('800.000,00');
      expect(text).toContain('66,67');
      expect(text).toContain('2026');
    });

    it('gives the PDF in Tamazight, in Tifinagh, with the figures', async () => {
      const file = await report('PDF', 'zgh', 'director');
      const text = (await textOf(Buffer.from(await (await fetch(file.url)).arrayBuffer()))).replace(/\t/g, ' ');
      expect(text).toContain('ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ'); // AWR-01's name
      expect(text).toContain('ⴰⴼⵔⴷⵉⵙ ⵏ ⵓⵙⵙⵎⵔⵙ ⵏ ⵜⵙⵏⴰⴼⵓⵜ'); // FIN-01's
      expect(text).toContain('800 000,00');
      expect(text).toContain('66,67');
    });

    it('serves a link only as signed, and not once expired', async () => {
      const file = await report('CSV', 'fr');
      const url = new URL(file.url);
      const id = url.pathname.split('/').pop()!;
      const tampered = new URL(url);
      tampered.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 60));
      expect((await fetch(tampered)).status).toBe(403);
      const expired = new URL(url);
      const past = Math.floor(Date.now() / 1000) - 5;
      expired.searchParams.set('exp', String(past));
      expired.searchParams.set('sig', createHmac('sha256', 'hrp-report-links-dev-secret').update(`${id}|${past}`).digest('base64url'));
      expect((await fetch(expired)).status).toBe(410);
      expect((await fetch(`${url.origin}/reports/${id}`)).status).toBe(403);
      expect(Date.parse(file.expiresAt) - Date.now()).toBeGreaterThan(500_000);
    });

    it('is for the director, the M&E officer and the auditor; bad input is refused', async () => {
      for (const user of DEV_USERS) {
        const r = await stack.gql(tokens[user], REPORT, { year: 2026, format: 'CSV', language: 'fr' });
        if (['director', 'me-officer', 'auditor'].includes(user)) expect([user, r.errors]).toEqual([user, undefined]);
        else expect([user, r.errors?.[0]?.extensions?.code]).toEqual([user, 'FORBIDDEN']);
      }
      const bad = async (vars: Record<string, unknown>) =>
        (await stack.gql(tokens.director, REPORT, { year: 2026, format: 'CSV', ...vars })).errors?.[0]?.extensions;
      expect(await bad({ language: 'de' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
      expect(await bad({ year: 1900 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
    });
  });

  it('refuses bad input and a missing token', async () => {
    const bad = async (q: string, vars: Record<string, unknown>) => (await stack.gql(tokens.viewer, q, vars)).errors?.[0]?.extensions;
    expect(await bad(INDICATORS, { year: 1900 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
    expect(await bad(INDICATORS, { year: 2026, quarter: 5 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quarter' });
    expect(await bad(INDICATORS, { year: 2026, region: 'MA-13' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'region' });
    expect(await bad(INDICATORS, { year: 2026, min: 'x' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'minPosition' });
    expect(await bad(ONE, { code: 'AWR-01', year: 2026, by: 'profession' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'by' });
    expect((await stack.gql(tokens.viewer, ONE, { code: 'NOPE-1', year: 2026, by: 'region' })).data?.indicator).toBeNull();
    expect((await stack.gql(undefined, INDICATORS, { year: 2026 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
