import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError, isDomainError } from '@hrp/domain-kit';
import type {
  EnrolParticipant,
  RecordFundingDecision,
  ScheduleTrainingSession,
  TrainingSessionCommand,
  UserTrainingSessionCommand,
} from './session.decider';
import { SessionRules, trainingSessionDecider } from './session.decider';
import type {
  AssessmentPhase,
  FundingApproved,
  FundingRejected,
  FundingRequested,
  FundingWithdrawn,
  ParticipantEnrolled,
  TrainingSessionEvent,
  TrainingSessionScheduled,
} from './session.events';

// ---------- fixtures ----------

const SESSION_ID = 'session-8f2c4d6e-1a3b-4c5d-9e7f-0a1b2c3d4e5f';
const MODULE_ID = 'module-5c1e9a20';
const TITLE = { fr: 'Droits de l’enfant et justice juvénile', ar: 'حقوق الطفل وعدالة الأحداث' };
const LINE = 'budget-2025.line-2';
const REQUEST_ID = `${SESSION_ID}.funding-request`;
const COMMITMENT_ID = 'commitment-2025-7a';
const COST = { amount: '1200000', currency: 'MAD' }; // 12,000.00 MAD
const NOW = '2025-04-01T09:00:00.000Z';
const DECIDED_AT = '2025-04-03T10:00:00.000Z';
/** Five days: 2025-05-12 … 2025-05-16. */
const DAYS = ['2025-05-12', '2025-05-13', '2025-05-14', '2025-05-15', '2025-05-16'];
const CODES = ['cert-A1b2C3d4E5', 'cert-F6g7H8i9J0', 'cert-K1l2M3n4O5', 'cert-P6q7R8s9T0', 'cert-U1v2W3x4Y5', 'cert-Z6a7B8c9D0'];

const meta = (ids?: readonly string[]): CommandMetadata => ({
  now: NOW,
  actor: { subject: 'kc-training-coordinator', username: 'training-coordinator' },
  correlationId: 'corr-1',
  ...(ids !== undefined ? { ids } : {}),
});

const spec = DeciderSpecification.for(trainingSessionDecider);

const pid = (n: number) => `participant-${n}`;
const on = { sessionId: SESSION_ID };

// commands

const schedule = (data: Partial<ScheduleTrainingSession['data']> = {}): ScheduleTrainingSession => ({
  type: 'ScheduleTrainingSession',
  data: {
    sessionId: SESSION_ID,
    moduleId: MODULE_ID,
    module: { status: 'PUBLISHED', title: TITLE },
    trainers: ['Pr. Amina Alaoui'],
    region: 'MA-06',
    venue: 'Commission régionale, Casablanca',
    startDate: DAYS[0],
    endDate: DAYS[4],
    capacity: 10,
    passMark: 60,
    knownPartners: [],
    ...data,
  },
  metadata: meta(),
});
const enrol = (n: number, data: Partial<EnrolParticipant['data']> = {}): EnrolParticipant => ({
  type: 'EnrolParticipant',
  data: {
    ...on,
    participantId: pid(n),
    personId: `person-${n}`,
    pii: { keyId: `key-${n}`, ciphertext: `v1.aGVsbG8tJHtufQ==.${n}` },
    sex: n % 2 === 0 ? 'M' : 'F',
    ageGroup: 'AGE_25_34',
    profession: 'JUDICIARY',
    region: 'MA-06',
    ...data,
  },
  metadata: meta(),
});
const withdraw = (n: number, reason?: string | null): TrainingSessionCommand => ({
  type: 'WithdrawParticipant',
  data: { ...on, participantId: pid(n), ...(reason !== undefined ? { reason } : {}) },
  metadata: meta(),
});
const start = (): TrainingSessionCommand => ({ type: 'StartTrainingSession', data: on, metadata: meta() });
const attend = (day: string, present: readonly number[]): TrainingSessionCommand => ({
  type: 'RecordAttendance',
  data: { ...on, day, presentParticipantIds: present.map(pid) },
  metadata: meta(),
});
const assess = (n: number, phase: AssessmentPhase, score: number): TrainingSessionCommand => ({
  type: 'RecordAssessment',
  data: { ...on, participantId: pid(n), phase, score },
  metadata: meta(),
});
const complete = (codes: readonly string[] = CODES): TrainingSessionCommand => ({
  type: 'CompleteTrainingSession',
  data: on,
  metadata: meta(codes),
});
const revoke = (code: string, reason = 'Fraude à l’évaluation'): TrainingSessionCommand => ({
  type: 'RevokeCertificate',
  data: { ...on, code, reason },
  metadata: meta(),
});
const cancel = (reason = 'Formateur indisponible'): TrainingSessionCommand => ({
  type: 'CancelTrainingSession',
  data: { ...on, reason },
  metadata: meta(),
});
const decision = (data: Partial<{ requestId: string }> & { reject?: string } = {}): RecordFundingDecision => {
  const common = { ...on, commitmentId: COMMITMENT_ID, requestId: data.requestId ?? REQUEST_ID, amount: COST, decidedAt: DECIDED_AT };
  return {
    type: 'RecordFundingDecision',
    data: data.reject === undefined ? { ...common, decision: 'APPROVED' } : { ...common, decision: 'REJECTED', reason: data.reject },
    metadata: meta(),
  };
};
const approve = (requestId?: string) => decision(requestId !== undefined ? { requestId } : {});
const reject = (reason = 'Ligne épuisée') => decision({ reject: reason });

// events

const scheduled = (data: Partial<TrainingSessionScheduled['data']> = {}): TrainingSessionScheduled => ({
  type: 'TrainingSessionScheduled',
  data: {
    sessionId: SESSION_ID,
    moduleId: MODULE_ID,
    moduleTitle: TITLE,
    trainers: ['Pr. Amina Alaoui'],
    region: 'MA-06',
    venue: 'Commission régionale, Casablanca',
    startDate: DAYS[0],
    endDate: DAYS[4],
    capacity: 10,
    passMark: 60,
    partnerIds: [],
    ...data,
  },
});
const scheduledWithCost = (data: Partial<TrainingSessionScheduled['data']> = {}) =>
  scheduled({ budgetLineId: LINE, estimatedCost: COST, ...data });
const fundingRequested = (regions: readonly string[] = ['MA-06']): FundingRequested => ({
  type: 'FundingRequested',
  data: {
    requestId: REQUEST_ID,
    sourceType: 'TRAINING_SESSION',
    sourceId: SESSION_ID,
    budgetLineId: LINE,
    amount: COST,
    purpose: TITLE,
    requestedAt: NOW,
    regions,
  },
});
const fundingApproved: FundingApproved = {
  type: 'FundingApproved',
  data: { ...on, commitmentId: COMMITMENT_ID, requestId: REQUEST_ID, amount: COST, decidedAt: DECIDED_AT },
};
const fundingRejected: FundingRejected = {
  type: 'FundingRejected',
  data: { ...on, commitmentId: COMMITMENT_ID, requestId: REQUEST_ID, amount: COST, reason: 'Ligne épuisée', decidedAt: DECIDED_AT },
};
const fundingWithdrawn = (reason = 'Formateur indisponible'): FundingWithdrawn => ({
  type: 'FundingWithdrawn',
  data: { requestId: REQUEST_ID, sourceType: 'TRAINING_SESSION', sourceId: SESSION_ID, budgetLineId: LINE, reason, withdrawnAt: NOW },
});
const enrolled = (
  n: number,
  status: 'ENROLLED' | 'WAITING' = 'ENROLLED',
  data: Partial<ParticipantEnrolled['data']> = {},
): ParticipantEnrolled => ({
  type: 'ParticipantEnrolled',
  data: {
    ...on,
    participantId: pid(n),
    personId: `person-${n}`,
    pii: { keyId: `key-${n}`, ciphertext: `v1.aGVsbG8tJHtufQ==.${n}` },
    sex: n % 2 === 0 ? 'M' : 'F',
    ageGroup: 'AGE_25_34',
    profession: 'JUDICIARY',
    region: 'MA-06',
    status,
    ...data,
  },
});
const withdrawn = (n: number, reason?: string): TrainingSessionEvent => ({
  type: 'ParticipantWithdrawn',
  data: { ...on, participantId: pid(n), ...(reason !== undefined ? { reason } : {}) },
});
const promoted = (n: number): TrainingSessionEvent => ({ type: 'ParticipantPromoted', data: { ...on, participantId: pid(n) } });
const started: TrainingSessionEvent = { type: 'TrainingSessionStarted', data: on };
const attended = (day: string, present: readonly number[]): TrainingSessionEvent => ({
  type: 'AttendanceRecorded',
  data: { ...on, day, presentParticipantIds: present.map(pid) },
});
const assessed = (n: number, phase: AssessmentPhase, score: number): TrainingSessionEvent => ({
  type: 'AssessmentRecorded',
  data: { ...on, participantId: pid(n), phase, score },
});
const completed: TrainingSessionEvent = { type: 'TrainingSessionCompleted', data: on };
const issued = (n: number, code: string): TrainingSessionEvent => ({
  type: 'CertificateIssued',
  data: { ...on, participantId: pid(n), code, issuedAt: NOW },
});
const revoked = (n: number, code: string, reason = 'Fraude à l’évaluation'): TrainingSessionEvent => ({
  type: 'CertificateRevoked',
  data: { ...on, participantId: pid(n), code, reason, revokedAt: NOW },
});
const cancelled = (reason = 'Formateur indisponible'): TrainingSessionEvent => ({
  type: 'TrainingSessionCancelled',
  data: { ...on, reason },
});

// histories

const scheduledNoCost = [scheduled()];
const awaitingFunding = [scheduledWithCost(), fundingRequested()];
const funded = [...awaitingFunding, fundingApproved];
const rejected = [...awaitingFunding, fundingRejected];
const withThree = [scheduled(), enrolled(1), enrolled(2), enrolled(3)];
const inProgress = [...withThree, started];
/** Full (capacity 2) with one waiting. */
const fullWithWaiting = [scheduled({ capacity: 2 }), enrolled(1), enrolled(2), enrolled(3, 'WAITING')];

/**
 * Five enrolled, 5 days, pass mark 60, then a sixth who withdrew after attending everything:
 * 1: 5/5 days, POST 60 (= pass mark) -> certificate
 * 2: 4/5 days (exactly 80%), POST 90 -> certificate
 * 3: 3/5 days (60%, below), POST 95 -> none
 * 4: 5/5 days, POST 59 (pass mark − 1) -> none
 * 5: 5/5 days, no POST (PRE only) -> none
 * 6: withdrawn -> none, and no code
 */
const assessedSession = [
  scheduled(),
  ...[1, 2, 3, 4, 5, 6].map((n) => enrolled(n)),
  assessed(5, 'PRE', 40),
  started,
  attended(DAYS[0], [1, 2, 3, 4, 5, 6]),
  attended(DAYS[1], [1, 2, 3, 4, 5, 6]),
  attended(DAYS[2], [1, 2, 3, 4, 5, 6]),
  attended(DAYS[3], [1, 2, 4, 5, 6]),
  attended(DAYS[4], [1, 4, 5, 6]),
  assessed(1, 'POST', 60),
  assessed(2, 'POST', 90),
  assessed(3, 'POST', 95),
  assessed(4, 'POST', 59),
  assessed(6, 'POST', 100),
  withdrawn(6, 'Muté'),
];
const completedSession = [...assessedSession, completed, issued(1, CODES[0]), issued(2, CODES[1])];
const cancelledSession = [...withThree, cancelled()];

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });
/** A plain Error (an adapter bug surfacing as an internal error), not a domain refusal. */
const adapterBug = (e: unknown) => e instanceof Error && !isDomainError(e);

/** Every command a user can send, for the "closed" and "not found" situations. */
const everyUserCommand = (): Array<[UserTrainingSessionCommand['type'], UserTrainingSessionCommand]> => [
  ['ScheduleTrainingSession', schedule()],
  ['EnrolParticipant', enrol(9)],
  ['WithdrawParticipant', withdraw(1) as UserTrainingSessionCommand],
  ['StartTrainingSession', start() as UserTrainingSessionCommand],
  ['RecordAttendance', attend(DAYS[0], [1]) as UserTrainingSessionCommand],
  ['RecordAssessment', assess(1, 'PRE', 50) as UserTrainingSessionCommand],
  ['CompleteTrainingSession', complete() as UserTrainingSessionCommand],
  ['RevokeCertificate', revoke(CODES[0]) as UserTrainingSessionCommand],
  ['CancelTrainingSession', cancel() as UserTrainingSessionCommand],
];

describe('Training session', () => {
  describe('when the stream is new', () => {
    it('schedules a session from a published module, with absent optional fields left out and partners filled in', () => {
      spec.given([]).when(schedule()).then([scheduled()]);
    });

    it('schedules with every field, trimmed, and requests funding for its cost on its line (the shared v2 payload)', () => {
      spec
        .when(
          schedule({
            trainers: [' Pr. Amina Alaoui ', 'Me Karim Bennani'],
            venue: '  Commission régionale, Casablanca ',
            partnerIds: ['partner-unicef'],
            knownPartners: [{ id: 'partner-unicef', status: 'ACTIVE' }],
            budgetLineId: LINE,
            estimatedCost: { amount: 1_200_000n },
          }),
        )
        .then([
          scheduledWithCost({ trainers: ['Pr. Amina Alaoui', 'Me Karim Bennani'], partnerIds: ['partner-unicef'] }),
          fundingRequested(),
        ]);
    });

    it('carries the session’s region in the request, NATIONAL too', () => {
      spec
        .when(schedule({ region: 'NATIONAL', budgetLineId: LINE, estimatedCost: { amount: 1_200_000n, currency: 'MAD' } }))
        .then([scheduledWithCost({ region: 'NATIONAL' }), fundingRequested(['NATIONAL'])]);
    });

    it('treats null optional inputs as absent', () => {
      spec.when(schedule({ partnerIds: null, budgetLineId: null, estimatedCost: null })).then([scheduled()]);
    });

    it('requests nothing for a zero cost, or for a line without a cost', () => {
      spec
        .when(schedule({ budgetLineId: LINE, estimatedCost: { amount: 0n } }))
        .then([scheduled({ budgetLineId: LINE, estimatedCost: { amount: '0', currency: 'MAD' } })]);
      spec.when(schedule({ budgetLineId: LINE })).then([scheduled({ budgetLineId: LINE })]);
    });

    it('accepts the bounds: one day, 60 days, 1 and 500 seats, pass marks 0 and 100, 20 trainers', () => {
      const trainers = Array.from({ length: 20 }, (_, i) => `Formateur ${i + 1}`);
      spec
        .when(schedule({ endDate: DAYS[0], capacity: 1, passMark: 0, trainers }))
        .then([scheduled({ endDate: DAYS[0], capacity: 1, passMark: 0, trainers })]);
      spec
        .when(schedule({ startDate: '2025-01-01', endDate: '2025-03-01', capacity: 500, passMark: 100 }))
        .then([scheduled({ startDate: '2025-01-01', endDate: '2025-03-01', capacity: 500, passMark: 100 })]);
    });

    const invalid: Array<[string, Partial<ScheduleTrainingSession['data']>, string]> = [
      ['a session id without the session- prefix', { sessionId: '8f2c4d6e' }, 'sessionId'],
      ['a module id without the module- prefix', { moduleId: '5c1e9a20' }, 'moduleId'],
      ['no trainer', { trainers: [] }, 'trainers'],
      ['more than 20 trainers', { trainers: Array.from({ length: 21 }, (_, i) => `T${i}`) }, 'trainers'],
      ['a blank trainer', { trainers: ['  '] }, 'trainers'],
      ['a duplicate trainer', { trainers: ['A. Alaoui', ' A. Alaoui'] }, 'trainers'],
      ['an unknown region', { region: 'MA-13' }, 'region'],
      ['a blank venue', { venue: ' ' }, 'venue'],
      ['a start date that does not exist', { startDate: '2025-02-30' }, 'startDate'],
      ['an end date before the start date', { startDate: DAYS[4], endDate: DAYS[0] }, 'endDate'],
      ['61 days', { startDate: '2025-01-01', endDate: '2025-03-02' }, 'endDate'],
      ['no seat', { capacity: 0 }, 'capacity'],
      ['more than 500 seats', { capacity: 501 }, 'capacity'],
      ['a fractional capacity', { capacity: 10.5 }, 'capacity'],
      ['a negative pass mark', { passMark: -1 }, 'passMark'],
      ['a pass mark above 100', { passMark: 101 }, 'passMark'],
      ['a duplicate partner', { partnerIds: ['p-1', 'p-1'] }, 'partnerIds'],
      ['a negative cost', { budgetLineId: LINE, estimatedCost: { amount: -1n } }, 'estimatedCost.amount'],
      ['a lowercase currency', { budgetLineId: LINE, estimatedCost: { amount: 1n, currency: 'mad' } }, 'estimatedCost.currency'],
      ['a cost without a budget line', { estimatedCost: { amount: 1_200_000n } }, 'budgetLineId'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(schedule(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('refuses a module that does not exist as NOT_FOUND', () => {
      spec.when(schedule({ module: null })).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
      spec.when(schedule({ module: { status: 'NOT_CREATED', title: TITLE } })).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it.each(['DRAFT', 'RETIRED'])('refuses a %s module', (status) => {
      spec
        .when(schedule({ module: { status, title: TITLE } }))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.scheduleRequiresPublishedModule));
    });

    describe('naming partners (checked against what the adapter found in known_partners)', () => {
      const UNICEF = 'partner-unicef';
      const OHCHR = 'partner-ohchr';

      it('schedules the session when every named partner is known and active', () => {
        spec
          .given([])
          .when(
            schedule({
              partnerIds: [UNICEF, OHCHR],
              knownPartners: [
                { id: OHCHR, status: 'ACTIVE' },
                { id: UNICEF, status: 'ACTIVE' },
              ],
            }),
          )
          .then([scheduled({ partnerIds: [UNICEF, OHCHR] })]);
      });

      it('refuses a partner id the view does not know, naming it', () => {
        const error = spec
          .given([])
          .when(schedule({ partnerIds: [UNICEF, 'partner-made-up'], knownPartners: [{ id: UNICEF, status: 'ACTIVE' }] }))
          .thenThrows(IllegalStateError, ruleOf(SessionRules.partnerUnknown));
        expect(error.message).toContain('partner-made-up');
        expect(error.message).not.toContain(UNICEF);
      });

      it('refuses a partner id when the adapter found nothing (no lookup is no licence)', () => {
        spec
          .given([])
          .when(schedule({ partnerIds: [UNICEF] }))
          .thenThrows(IllegalStateError, ruleOf(SessionRules.partnerUnknown));
      });

      it('refuses a new reference to an inactive partner', () => {
        const error = spec
          .given([])
          .when(
            schedule({
              partnerIds: [UNICEF, OHCHR],
              knownPartners: [
                { id: UNICEF, status: 'ACTIVE' },
                { id: OHCHR, status: 'INACTIVE' },
              ],
            }),
          )
          .thenThrows(IllegalStateError, ruleOf(SessionRules.partnerInactive));
        expect(error.message).toContain(OHCHR);
      });

      it('reports unknown ids before inactive ones', () => {
        spec
          .given([])
          .when(schedule({ partnerIds: [OHCHR, 'partner-made-up'], knownPartners: [{ id: OHCHR, status: 'INACTIVE' }] }))
          .thenThrows(IllegalStateError, ruleOf(SessionRules.partnerUnknown));
      });

      it('ignores what the adapter found beyond the named ids', () => {
        spec
          .given([])
          .when(schedule({ partnerIds: [], knownPartners: [{ id: OHCHR, status: 'INACTIVE' }] }))
          .then([scheduled()]);
      });

      it('refuses an unpublished module before looking at partners', () => {
        spec
          .given([])
          .when(schedule({ module: { status: 'DRAFT', title: TITLE }, partnerIds: [UNICEF] }))
          .thenThrows(IllegalStateError, ruleOf(SessionRules.scheduleRequiresPublishedModule));
      });
    });

    it.each(everyUserCommand().filter(([name]) => name !== 'ScheduleTrainingSession'))('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('ignores a funding decision (nothing was requested)', () => {
      spec.given([]).when(approve()).thenNothingHappened();
    });
  });

  describe('when scheduled', () => {
    it('refuses a second scheduling', () => {
      spec.given(scheduledNoCost).when(schedule()).thenThrows(IllegalStateError, ruleOf(SessionRules.scheduleAlreadyExists));
    });

    it('refuses to start without an enrolled participant', () => {
      spec.given(scheduledNoCost).when(start()).thenThrows(IllegalStateError, ruleOf(SessionRules.startRequiresParticipants));
      spec
        .given([...scheduledNoCost, enrolled(1), withdrawn(1)])
        .when(start())
        .thenThrows(IllegalStateError, ruleOf(SessionRules.startRequiresParticipants));
    });

    it('starts without funding when it has no cost', () => {
      spec.given(withThree).when(start()).then([started]);
    });

    it('refuses attendance before it starts', () => {
      spec
        .given(withThree)
        .when(attend(DAYS[0], [1]))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.attendanceRequiresInProgress));
    });

    it('records a PRE assessment, and refuses a POST one', () => {
      spec
        .given(withThree)
        .when(assess(1, 'PRE', 35))
        .then([assessed(1, 'PRE', 35)]);
      spec
        .given(withThree)
        .when(assess(1, 'POST', 70))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.assessmentPostRequiresInProgress));
    });

    it('refuses completion', () => {
      spec.given(withThree).when(complete()).thenThrows(IllegalStateError, ruleOf(SessionRules.completeRequiresInProgress));
    });

    it('is cancelled with a reason, trimmed, withdrawing nothing when nothing was requested', () => {
      spec.given(withThree).when(cancel('  Formateur indisponible ')).then([cancelled()]);
    });

    it('refuses cancellation without a reason', () => {
      const error = spec.given(withThree).when(cancel(' ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('has no certificate to revoke', () => {
      spec.given(withThree).when(revoke(CODES[0])).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('ignores a funding decision (nothing was requested)', () => {
      spec.given(withThree).when(approve()).thenNothingHappened();
      spec.given(withThree).when(reject()).thenNothingHappened();
    });
  });

  describe('enrolment', () => {
    it('gives a seat while one is free, with only pseudonymous and encrypted data', () => {
      spec
        .given(scheduledNoCost)
        .when(enrol(1))
        .then([enrolled(1)]);
    });

    it('takes every sex, age group, profession and region of the shared vocabulary', () => {
      spec
        .given(scheduledNoCost)
        .when(enrol(1, { sex: 'UNDISCLOSED', ageGroup: 'AGE_60_PLUS', profession: 'OTHER', region: 'NATIONAL' }))
        .then([enrolled(1, 'ENROLLED', { sex: 'UNDISCLOSED', ageGroup: 'AGE_60_PLUS', profession: 'OTHER', region: 'NATIONAL' })]);
    });

    it('puts 12 enrolments for 10 seats as 10 ENROLLED, then 2 WAITING in order', () => {
      const history: TrainingSessionEvent[] = [...scheduledNoCost];
      for (let n = 1; n <= 12; n += 1) {
        history.push(
          ...spec
            .given(history)
            .when(enrol(n))
            .then([enrolled(n, n <= 10 ? 'ENROLLED' : 'WAITING')]),
        );
      }
    });

    it('refuses the same person already enrolled, or already waiting', () => {
      spec
        .given([...scheduledNoCost, enrolled(1)])
        .when(enrol(2, { personId: 'person-1' }))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.enrolDuplicate));
      spec
        .given(fullWithWaiting)
        .when(enrol(4, { personId: 'person-3' }))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.enrolDuplicate));
    });

    it('takes back a person who withdrew, at the end of the queue', () => {
      spec
        .given([...fullWithWaiting, withdrawn(3)])
        .when(enrol(4, { personId: 'person-3' }))
        .then([enrolled(4, 'WAITING', { personId: 'person-3' })]);
    });

    it('gives a freed seat to a newcomer when nobody waits', () => {
      spec
        .given([scheduled({ capacity: 2 }), enrolled(1), enrolled(2), withdrawn(1)])
        .when(enrol(3))
        .then([enrolled(3)]);
    });

    it('throws a plain error when the adapter reuses a participant id', () => {
      spec
        .given([...scheduledNoCost, enrolled(1)])
        .when(enrol(1, { personId: 'person-99' }))
        .thenThrows(adapterBug);
    });

    const invalid: Array<[string, Partial<EnrolParticipant['data']>, string]> = [
      ['a blank participant id', { participantId: ' ' }, 'participantId'],
      ['a blank person id', { personId: '' }, 'personId'],
      ['no pii', { pii: null as never }, 'pii'],
      ['pii without a key id', { pii: { ciphertext: 'abc' } as never }, 'pii.keyId'],
      ['a blank ciphertext', { pii: { keyId: 'key-1', ciphertext: ' ' } }, 'pii.ciphertext'],
      ['a ciphertext longer than 4096 characters', { pii: { keyId: 'key-1', ciphertext: 'a'.repeat(4097) } }, 'pii.ciphertext'],
      ['an unknown sex', { sex: 'X' as never }, 'sex'],
      ['an age group not spelled as the shared vocabulary', { ageGroup: '18_24' as never }, 'ageGroup'],
      ['an unknown profession', { profession: 'ASTRONAUT' as never }, 'profession'],
      ['an unknown region', { region: 'MA-13' }, 'region'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.given(scheduledNoCost).when(enrol(1, data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('is refused once the session started', () => {
      spec.given(inProgress).when(enrol(4)).thenThrows(IllegalStateError, ruleOf(SessionRules.enrolRequiresScheduled));
    });
  });

  describe('withdrawal', () => {
    const twelve = [...scheduledNoCost, ...Array.from({ length: 12 }, (_, i) => enrolled(i + 1, i < 10 ? 'ENROLLED' : 'WAITING'))];

    it('of an enrolled participant promotes the first waiting one', () => {
      spec
        .given(twelve)
        .when(withdraw(3, ' Mutée '))
        .then([withdrawn(3, 'Mutée'), promoted(11)]);
    });

    it('promotes in order of enrolment, skipping those who left the waiting list', () => {
      spec
        .given([...twelve, withdrawn(11)])
        .when(withdraw(1))
        .then([withdrawn(1), promoted(12)]);
    });

    it('of a waiting participant promotes nobody', () => {
      spec
        .given(twelve)
        .when(withdraw(12))
        .then([withdrawn(12)]);
    });

    it('of an enrolled participant with nobody waiting frees the seat', () => {
      spec
        .given(withThree)
        .when(withdraw(2, null))
        .then([withdrawn(2)]);
    });

    it('also happens during the session, with a promotion', () => {
      spec
        .given([...fullWithWaiting, started])
        .when(withdraw(1))
        .then([withdrawn(1), promoted(3)]);
    });

    it('is a no-op the second time', () => {
      spec
        .given([...withThree, withdrawn(2)])
        .when(withdraw(2))
        .thenNothingHappened();
    });

    it('refuses an unknown participant as NOT_FOUND', () => {
      spec.given(withThree).when(withdraw(9)).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('when its funding is requested', () => {
    it('refuses to start before approval', () => {
      spec
        .given([...awaitingFunding, enrolled(1)])
        .when(start())
        .thenThrows(IllegalStateError, ruleOf(SessionRules.startRequiresFunding));
    });

    it('records finance’s approval', () => {
      spec.given(awaitingFunding).when(approve()).then([fundingApproved]);
    });

    it('records finance’s rejection, with its reason', () => {
      spec.given(awaitingFunding).when(reject()).then([fundingRejected]);
    });

    it('records a decision that names no request (a commitment entered by hand)', () => {
      const { requestId: _requestId, ...data } = approve().data as Extract<RecordFundingDecision['data'], { decision: 'APPROVED' }>;
      const { requestId: _none, ...expected } = fundingApproved.data;
      spec
        .given(awaitingFunding)
        .when({ ...approve(), data })
        .then([{ type: 'FundingApproved', data: expected }]);
    });

    it('ignores a decision on another request', () => {
      spec.given(awaitingFunding).when(approve('session-other.funding-request')).thenNothingHappened();
    });

    it('is cancelled with the request withdrawn', () => {
      spec.given(awaitingFunding).when(cancel()).then([cancelled(), fundingWithdrawn()]);
    });
  });

  describe('when its funding is approved', () => {
    it('starts', () => {
      spec
        .given([...funded, enrolled(1)])
        .when(start())
        .then([started]);
    });

    it('ignores the same decision again, and a late rejection', () => {
      spec.given(funded).when(approve()).thenNothingHappened();
      spec.given(funded).when(reject()).thenNothingHappened();
    });

    it('is cancelled with the request withdrawn, even in progress', () => {
      spec.given(funded).when(cancel()).then([cancelled(), fundingWithdrawn()]);
      spec
        .given([...funded, enrolled(1), started])
        .when(cancel('Crise sanitaire'))
        .then([cancelled('Crise sanitaire'), fundingWithdrawn('Crise sanitaire')]);
    });
  });

  describe('when its funding is rejected', () => {
    it('never starts', () => {
      spec
        .given([...rejected, enrolled(1)])
        .when(start())
        .thenThrows(IllegalStateError, ruleOf(SessionRules.startRequiresFunding));
    });

    it('ignores a late approval', () => {
      spec.given(rejected).when(approve()).thenNothingHappened();
    });

    it('is cancelled without a withdrawal: finance holds nothing', () => {
      spec.given(rejected).when(cancel()).then([cancelled()]);
    });
  });

  describe('when in progress', () => {
    it('refuses a second start', () => {
      spec.given(inProgress).when(start()).thenThrows(IllegalStateError, ruleOf(SessionRules.startRequiresScheduled));
    });

    it('records a day’s attendance, in enrolment order', () => {
      spec
        .given(inProgress)
        .when(attend(DAYS[0], [3, 1]))
        .then([attended(DAYS[0], [1, 3])]);
    });

    it('records a day where nobody came', () => {
      spec
        .given(inProgress)
        .when(attend(DAYS[4], []))
        .then([attended(DAYS[4], [])]);
    });

    it('replaces a day’s record with another list, and ignores the same list again (in any order)', () => {
      const history = [...inProgress, attended(DAYS[1], [1, 3])];
      spec
        .given(history)
        .when(attend(DAYS[1], [1, 2, 3]))
        .then([attended(DAYS[1], [1, 2, 3])]);
      spec
        .given(history)
        .when(attend(DAYS[1], [3, 1]))
        .thenNothingHappened();
    });

    it.each([
      ['before', '2025-05-11'],
      ['after', '2025-05-17'],
    ])('refuses a day %s the session', (_when, day) => {
      spec
        .given(inProgress)
        .when(attend(day, [1]))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.attendanceDayOutsideSession));
    });

    it('refuses attendance of a participant who is waiting or withdrew', () => {
      spec
        .given([...fullWithWaiting, started])
        .when(attend(DAYS[0], [1, 3]))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.attendanceRequiresEnrolled));
      spec
        .given([...inProgress, withdrawn(2)])
        .when(attend(DAYS[0], [2]))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.attendanceRequiresEnrolled));
    });

    it('refuses attendance of an unknown participant as NOT_FOUND', () => {
      spec
        .given(inProgress)
        .when(attend(DAYS[0], [1, 9]))
        .thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it.each<[string, TrainingSessionCommand, string]>([
      ['a day that is not a date', attend('12/05/2025', [1]), 'day'],
      ['a participant listed twice', attend(DAYS[0], [1, 1]), 'presentParticipantIds'],
    ])('refuses %s, naming the field', (_what, command, field) => {
      const error = spec.given(inProgress).when(command).thenThrows(ValidationError);
      expect(error.field).toBe(field);
    });

    it('records PRE and POST assessments', () => {
      spec
        .given(inProgress)
        .when(assess(1, 'PRE', 0))
        .then([assessed(1, 'PRE', 0)]);
      spec
        .given(inProgress)
        .when(assess(1, 'POST', 100))
        .then([assessed(1, 'POST', 100)]);
    });

    it('replaces a score with another, and ignores the same score again', () => {
      const history = [...inProgress, assessed(2, 'POST', 70)];
      spec
        .given(history)
        .when(assess(2, 'POST', 75))
        .then([assessed(2, 'POST', 75)]);
      spec
        .given(history)
        .when(assess(2, 'POST', 70))
        .thenNothingHappened();
      spec
        .given(history)
        .when(assess(2, 'PRE', 70))
        .then([assessed(2, 'PRE', 70)]);
    });

    it('refuses an assessment of a participant who is waiting or withdrew', () => {
      spec
        .given([...fullWithWaiting, started])
        .when(assess(3, 'POST', 80))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.assessmentRequiresEnrolled));
      spec
        .given([...withThree, withdrawn(1)])
        .when(assess(1, 'PRE', 80))
        .thenThrows(IllegalStateError, ruleOf(SessionRules.assessmentRequiresEnrolled));
    });

    it('refuses an assessment of an unknown participant as NOT_FOUND', () => {
      spec
        .given(inProgress)
        .when(assess(9, 'PRE', 50))
        .thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it.each<[string, TrainingSessionCommand, string]>([
      ['a negative score', assess(1, 'PRE', -1), 'score'],
      ['a score above 100', assess(1, 'POST', 101), 'score'],
      ['a fractional score', assess(1, 'POST', 72.5), 'score'],
      ['an unknown phase', assess(1, 'MID' as never, 50), 'phase'],
    ])('refuses %s, naming the field', (_what, command, field) => {
      const error = spec.given(inProgress).when(command).thenThrows(ValidationError);
      expect(error.field).toBe(field);
    });

    it('is completed without certificates when nobody qualifies', () => {
      spec.given(inProgress).when(complete()).then([completed]);
    });
  });

  describe('completion', () => {
    it('issues a certificate to each enrolled participant with 80% of the days and the pass mark, with the i-th code to the i-th enrolled', () => {
      spec
        .given(assessedSession)
        .when(complete())
        .then([completed, issued(1, CODES[0]), issued(2, CODES[1])]);
    });

    it('needs only one code per enrolled participant', () => {
      spec
        .given(assessedSession)
        .when(complete(CODES.slice(0, 5)))
        .then([completed, issued(1, CODES[0]), issued(2, CODES[1])]);
    });

    it('counts a promoted participant at its place of enrolment', () => {
      const history = [
        ...fullWithWaiting,
        withdrawn(1),
        promoted(3),
        started,
        ...DAYS.map((day) => attended(day, [2, 3])),
        assessed(2, 'POST', 61),
        assessed(3, 'POST', 99),
      ];
      spec
        .given(history)
        .when(complete())
        .then([completed, issued(2, CODES[0]), issued(3, CODES[1])]);
    });

    it('takes exactly 80% on longer sessions too (8 of 10 days), and refuses 7 of 10', () => {
      const tenDays = Array.from({ length: 10 }, (_, i) => `2025-06-${String(i + 1).padStart(2, '0')}`);
      const history = [
        scheduled({ startDate: tenDays[0], endDate: tenDays[9] }),
        enrolled(1),
        enrolled(2),
        started,
        ...tenDays.map((day, i) => attended(day, i < 7 ? [1, 2] : i < 8 ? [1] : [])),
        assessed(1, 'POST', 60),
        assessed(2, 'POST', 60),
      ];
      spec
        .given(history)
        .when(complete())
        .then([completed, issued(1, CODES[0])]);
    });

    it('throws a plain error when the adapter passes fewer codes than enrolled participants', () => {
      spec
        .given(assessedSession)
        .when(complete(CODES.slice(0, 4)))
        .thenThrows(adapterBug);
      spec.given(assessedSession).when(complete([])).thenThrows(adapterBug);
    });

    it('throws a plain error on a malformed or repeated code', () => {
      spec
        .given(assessedSession)
        .when(complete(['short', ...CODES.slice(1)]))
        .thenThrows(adapterBug);
      spec
        .given(assessedSession)
        .when(complete([CODES[0], CODES[0], ...CODES.slice(2)]))
        .thenThrows(adapterBug);
    });
  });

  describe('when completed', () => {
    it.each(everyUserCommand().filter(([name]) => name !== 'ScheduleTrainingSession' && name !== 'RevokeCertificate'))(
      'refuses %s: the session is closed',
      (_name, command) => {
        spec.given(completedSession).when(command).thenThrows(IllegalStateError, ruleOf(SessionRules.closed));
      },
    );

    it('revokes a certificate, with a reason', () => {
      spec
        .given(completedSession)
        .when(revoke(CODES[1], ' Fraude à l’évaluation '))
        .then([revoked(2, CODES[1])]);
    });

    it('ignores a second revocation', () => {
      spec
        .given([...completedSession, revoked(2, CODES[1])])
        .when(revoke(CODES[1], 'Encore'))
        .thenNothingHappened();
    });

    it('refuses an unknown code as NOT_FOUND', () => {
      spec.given(completedSession).when(revoke('cert-forged-0000')).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('refuses a revocation without a reason', () => {
      const error = spec.given(completedSession).when(revoke(CODES[0], '  ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('ignores a late funding decision', () => {
      spec
        .given([...funded, ...completedSession.slice(1)])
        .when(approve())
        .thenNothingHappened();
    });
  });

  describe('when cancelled', () => {
    it.each(everyUserCommand().filter(([name]) => name !== 'ScheduleTrainingSession' && name !== 'RevokeCertificate'))(
      'refuses %s: the session is closed',
      (_name, command) => {
        spec.given(cancelledSession).when(command).thenThrows(IllegalStateError, ruleOf(SessionRules.closed));
      },
    );

    it('ignores a late funding decision', () => {
      spec
        .given([...awaitingFunding, cancelled(), fundingWithdrawn()])
        .when(approve())
        .thenNothingHappened();
      spec
        .given([...awaitingFunding, cancelled(), fundingWithdrawn()])
        .when(reject())
        .thenNothingHappened();
    });

    it('has no certificate to revoke', () => {
      spec.given(cancelledSession).when(revoke(CODES[0])).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });
});
