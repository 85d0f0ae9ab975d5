import type { StoredEvent } from '@hrp/contracts';
import { evolveReport, factsOf, type ReportState } from './facts';

let position = 0;
const ev = (streamId: string, type: string, data: Record<string, unknown>): StoredEvent => ({
  streamId,
  streamVersion: 0,
  position: ++position,
  type,
  schemaVersion: 1,
  data,
  metadata: { eventId: `e${position}`, time: '2026-05-01T10:00:00Z', actor: { subject: 's', username: 'u' }, correlationId: 'c' },
});
const fold = (events: StoredEvent[]) => events.reduce<ReportState | null>((s, e) => evolveReport(s, e), null);
const counted = (
  female: number,
  male: number,
  undisclosed: number,
  withDisability: number,
  byAgeGroup?: { ageGroup: string; count: number }[],
) => ({
  female,
  male,
  undisclosed,
  withDisability,
  ...(byAgeGroup ? { byAgeGroup } : {}),
});

describe('reporting facts: campaigns', () => {
  const c = 'campaign-1';
  const events = [
    ev(c, 'CampaignCreated', { campaignId: c }),
    ev(c, 'ActivityScheduled', { campaignId: c, activityId: 'a1', kind: 'WORKSHOP', date: '2026-02-10', region: 'MA-03' }),
    ev(c, 'ActivityScheduled', { campaignId: c, activityId: 'a2', kind: 'CARAVAN', date: '2026-05-20', region: 'MA-06' }),
    ev(c, 'ActivityScheduled', { campaignId: c, activityId: 'a3', kind: 'WORKSHOP', date: '2026-06-01', region: 'MA-06' }),
    ev(c, 'ActivityHeld', { campaignId: c, activityId: 'a1', participants: counted(12, 8, 1, 2, [{ ageGroup: 'AGE_18_24', count: 21 }]) }),
    ev(c, 'ActivityHeld', { campaignId: c, activityId: 'a2', participants: counted(30, 20, 0, 5), mediaReach: 5000 }),
  ];

  it('counts the people of each held activity (not media reach) in its region and quarter, disaggregated', () => {
    const facts = factsOf(fold(events), 'campaigns', 99);
    const awr1 = facts.filter((f) => f.code === 'AWR-01');
    expect(awr1.map((f) => [f._id, f.k, f.quarter, f.region, f.n])).toEqual([
      ['campaign-1|AWR-01|a1', 'AWR-01|2026', 1, 'MA-03', 21],
      ['campaign-1|AWR-01|a2', 'AWR-01|2026', 2, 'MA-06', 50],
    ]);
    expect(awr1[0].by.sex).toEqual({ F: { n: 12, d: 0 }, M: { n: 8, d: 0 }, UNDISCLOSED: { n: 1, d: 0 } });
    expect(awr1[0].by.disability).toEqual({ WITH_DISABILITY: { n: 2, d: 0 }, OTHER: { n: 19, d: 0 } });
    expect(awr1[0].by.ageGroup).toEqual({ AGE_18_24: { n: 21, d: 0 } });
    expect(awr1[1].by.quarter).toEqual({ Q2: { n: 50, d: 0 } });
  });

  it('counts each held activity once, by kind; a scheduled one counts nothing', () => {
    const awr2 = factsOf(fold(events), 'campaigns', 99).filter((f) => f.code === 'AWR-02');
    expect(awr2.map((f) => [f.region, f.n, Object.keys(f.by.kind)])).toEqual([
      ['MA-03', 1, ['WORKSHOP']],
      ['MA-06', 1, ['CARAVAN']],
    ]);
  });
});

describe('reporting facts: training sessions', () => {
  const s = 'session-1';
  const enrol = (id: string, sex: string, profession: string, region: string, status = 'ENROLLED') =>
    ev(s, 'ParticipantEnrolled', { sessionId: s, participantId: id, sex, ageGroup: 'AGE_25_34', profession, region, status });
  const base = [
    ev(s, 'TrainingSessionScheduled', { sessionId: s, region: 'MA-03', startDate: '2026-09-28', endDate: '2026-10-02' }),
    enrol('p1', 'F', 'LAWYER', 'MA-03'),
    enrol('p2', 'M', 'JUDGE', 'MA-03'),
    enrol('p3', 'F', 'LAWYER', 'MA-06'),
    enrol('p4', 'F', 'TEACHER', 'MA-03'), // withdrawn
    enrol('p5', 'M', 'TEACHER', 'MA-03', 'WAITING'), // never promoted
    enrol('p6', 'M', 'JUDGE', 'MA-03'), // never present
    ev(s, 'ParticipantWithdrawn', { sessionId: s, participantId: 'p4' }),
    ev(s, 'TrainingSessionStarted', { sessionId: s }),
    ev(s, 'AttendanceRecorded', { sessionId: s, day: '2026-09-28', presentParticipantIds: ['p1', 'p2'] }),
    ev(s, 'AttendanceRecorded', { sessionId: s, day: '2026-09-29', presentParticipantIds: ['p1', 'p3'] }),
    ev(s, 'AssessmentRecorded', { sessionId: s, participantId: 'p1', phase: 'PRE', score: 40 }),
    ev(s, 'AssessmentRecorded', { sessionId: s, participantId: 'p1', phase: 'POST', score: 70 }),
    ev(s, 'AssessmentRecorded', { sessionId: s, participantId: 'p2', phase: 'PRE', score: 50 }),
    ev(s, 'AssessmentRecorded', { sessionId: s, participantId: 'p2', phase: 'POST', score: 60 }),
    ev(s, 'AssessmentRecorded', { sessionId: s, participantId: 'p3', phase: 'POST', score: 90 }), // no PRE: no gain
  ];

  it('counts nothing before the session is completed', () => {
    expect(factsOf(fold(base), 'training', 1)).toEqual([]);
  });

  it('counts the enrolled participants present at least one day, per their region, with gains and certificates', () => {
    const done = [
      ...base,
      ev(s, 'TrainingSessionCompleted', { sessionId: s }),
      ev(s, 'CertificateIssued', { sessionId: s, participantId: 'p1' }),
      ev(s, 'CertificateIssued', { sessionId: s, participantId: 'p2' }),
      ev(s, 'CertificateIssued', { sessionId: s, participantId: 'p3' }),
      ev(s, 'CertificateRevoked', { sessionId: s, participantId: 'p2' }),
    ];
    const facts = factsOf(fold(done), 'training', 1);
    const of = (code: string, region: string) => facts.find((f) => f.code === code && f.region === region);
    expect(facts.map((f) => f._id)).toEqual([
      'session-1|TRN-01|MA-03',
      'session-1|TRN-02|MA-03',
      'session-1|TRN-03|MA-03',
      'session-1|TRN-01|MA-06',
      'session-1|TRN-03|MA-06',
    ]);
    expect(of('TRN-01', 'MA-03')).toMatchObject({ k: 'TRN-01|2026', quarter: 4, n: 2 });
    expect(of('TRN-01', 'MA-03')!.by.sex).toEqual({ F: { n: 1, d: 0 }, M: { n: 1, d: 0 } });
    expect(of('TRN-01', 'MA-03')!.by.profession).toEqual({ LAWYER: { n: 1, d: 0 }, JUDGE: { n: 1, d: 0 } });
    expect(of('TRN-02', 'MA-03')).toMatchObject({ n: 40, d: 2 }); // (70 - 40) + (60 - 50), two people
    expect(of('TRN-03', 'MA-03')).toMatchObject({ n: 1, d: 2 }); // p2's certificate revoked
    expect(of('TRN-03', 'MA-06')).toMatchObject({ n: 1, d: 1 });
    expect(of('TRN-01', 'MA-06')!.by.region).toEqual({ 'MA-06': { n: 1, d: 0 } });
  });

  it('ignores events of streams it does not follow and events before their stream began', () => {
    expect(evolveReport(null, ev('partner-1', 'ContactAdded', {}))).toBeNull();
    expect(evolveReport(null, ev(s, 'ParticipantEnrolled', { participantId: 'x' }))).toBeNull();
  });
});

describe('reporting facts: national indicators', () => {
  it('counts an agreement active in each year and quarter from activation to its end, and its partners’ contributions at signature', () => {
    const a = 'agreement-1';
    const facts = factsOf(
      fold([
        ev(a, 'AgreementDrafted', {
          partnerId: 'partner-1',
          period: { start: '2026-01-01', end: '2027-03-31' },
          contributions: [
            { direction: 'FROM_PARTNER', kind: 'FINANCIAL', money: { amount: '500', currency: 'MAD' } },
            { direction: 'FROM_PARTNER', kind: 'IN_KIND', estimatedValue: { amount: '300', currency: 'MAD' } },
            { direction: 'FROM_PARTNER', kind: 'FINANCIAL', money: { amount: '999', currency: 'EUR' } },
            { direction: 'FROM_US', kind: 'FINANCIAL', money: { amount: '700', currency: 'MAD' } },
          ],
        }),
        ev(a, 'AgreementSigned', { signedOn: '2026-02-10' }),
        ev(a, 'AgreementActivated', { activatedOn: '2026-03-01' }),
        ev(a, 'AgreementRenewed', { newEnd: '2027-12-31' }),
        ev(a, 'AgreementTerminated', { reason: 'fin' }),
      ]),
      'partnerships',
      1,
    );
    const prt1 = facts.filter((f) => f.code === 'PRT-01').map((f) => `${f.year}/Q${f.quarter}`);
    // Terminated on the event's day (2026-05-01 here): active from activation to then.
    expect(prt1).toEqual(['2026/Q0', '2026/Q1', '2026/Q2']);
    const prt2 = facts.find((f) => f.code === 'PRT-02')!;
    expect(prt2).toMatchObject({ k: 'PRT-02|2026', quarter: 1, n: 800, region: 'NATIONAL' });
    expect(prt2.by.kind).toEqual({ FINANCIAL: { n: 500, d: 0 }, IN_KIND: { n: 300, d: 0 } });
    expect(prt2.by.partner).toEqual({ 'partner-1': { n: 800, d: 0 } });
  });

  it('spans the years and quarters of an active agreement', () => {
    const a = 'agreement-2';
    const facts = factsOf(
      fold([
        ev(a, 'AgreementDrafted', { partnerId: 'p', period: { start: '2026-01-01', end: '2027-02-28' }, contributions: [] }),
        ev(a, 'AgreementActivated', { activatedOn: '2026-08-01' }),
      ]),
      'partnerships',
      1,
    );
    expect(facts.map((f) => `${f.year}/Q${f.quarter}`)).toEqual(['2026/Q0', '2026/Q3', '2026/Q4', '2027/Q0', '2027/Q1']);
  });

  it('counts recommendations in the year of issue, and the adopted among the decided', () => {
    const d = 'dossier-1';
    const facts = factsOf(
      fold([
        ev(d, 'DossierOpened', {}),
        ev(d, 'RecommendationIssued', { recommendationId: 'r1', addressee: 'Min. Justice', source: 'MEMORANDUM', issuedOn: '2026-02-01' }),
        ev(d, 'RecommendationIssued', { recommendationId: 'r2', addressee: 'Min. Justice', source: 'MEMORANDUM', issuedOn: '2026-05-01' }),
        ev(d, 'RecommendationIssued', { recommendationId: 'r3', addressee: 'Parlement', source: 'UPR', issuedOn: '2026-05-02' }),
        ev(d, 'RecommendationStatusChanged', { recommendationId: 'r1', to: 'PARTIALLY_ADOPTED' }),
        ev(d, 'RecommendationStatusChanged', { recommendationId: 'r2', to: 'UNDER_CONSIDERATION' }),
        ev(d, 'RecommendationStatusChanged', { recommendationId: 'r3', to: 'REJECTED' }),
      ]),
      'advocacy',
      1,
    );
    expect(facts.filter((f) => f.code === 'ADV-01').map((f) => [f.quarter, f.n])).toEqual([
      [1, 1],
      [2, 1],
      [2, 1],
    ]);
    expect(facts.filter((f) => f.code === 'ADV-02').map((f) => [f.ref, f.n, f.d])).toEqual([
      ['dossier-1/r1', 1, 1],
      ['dossier-1/r3', 0, 1],
    ]);
  });

  it('gives each budget line its execution for the year and per quarter, after reallocations', () => {
    const b = 'budget-2026';
    const facts = factsOf(
      fold([
        ev(b, 'BudgetDrafted', {
          fiscalYear: 2026,
          currency: 'MAD',
          lines: [
            { lineId: 'budget-2026.line-1', programmeArea: 'AWARENESS', allocated: { amount: '1000' } },
            { lineId: 'budget-2026.line-2', programmeArea: 'TRAINING', allocated: { amount: '2000' } },
          ],
        }),
        ev(b, 'FundsReallocated', { fromLineId: 'budget-2026.line-2', toLineId: 'budget-2026.line-1', amount: { amount: '500' } }),
        ev(b, 'FundsSpent', { lineId: 'budget-2026.line-1', expenseId: 'x1', amount: { amount: '300' }, date: '2026-02-01' }),
        ev(b, 'FundsSpent', { lineId: 'budget-2026.line-1', expenseId: 'x2', amount: { amount: '150' }, date: '2026-11-01' }),
        ev(b, 'FundsSpent', { lineId: 'budget-2026.line-1', expenseId: 'x2', amount: { amount: '150' }, date: '2026-11-01' }), // the same expense again
      ]),
      'finance',
      1,
    );
    const line1 = facts.filter((f) => f.ref === 'budget-2026/budget-2026.line-1').map((f) => [f.quarter, f.n, f.d]);
    expect(line1).toEqual([
      [0, 450, 1500],
      [1, 300, 1500],
      [2, 0, 1500],
      [3, 0, 1500],
      [4, 150, 1500],
    ]);
    expect(facts.find((f) => f._id === 'budget-2026|FIN-01|budget-2026.line-2|Y')).toMatchObject({ n: 0, d: 1500 });
  });

  it('counts a commitment awaiting approval, and spending on sessions and campaigns for the costs per person', () => {
    const c = 'commitment-1';
    const requested = [
      ev(c, 'CommitmentRequested', { budgetId: 'budget-2026', sourceType: 'TRAINING_SESSION', requestedAt: '2026-04-02T10:00:00Z' }),
    ];
    expect(factsOf(fold(requested), 'finance', 1).map((f) => [f.code, f.quarter])).toEqual([
      ['FIN-02', 0],
      ['FIN-02', 2],
    ]);
    const spent = factsOf(
      fold([
        ...requested,
        ev(c, 'CommitmentApproved', {}),
        ev(c, 'ExpenseRecorded', { expenseId: 'e1', amount: { amount: '1200' }, date: '2026-07-01' }),
      ]),
      'finance',
      1,
    );
    expect(spent.map((f) => [f.code, f.quarter, f.n])).toEqual([['X-01', 3, 1200]]);
  });
});
