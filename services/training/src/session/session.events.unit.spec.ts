import type { TrainingSession, TrainingSessionEvent, TrainingSessionState } from './session.events';
import {
  attendanceRate,
  daysPresent,
  enrolledBreakdown,
  enrolledParticipants,
  evolve,
  initialState,
  participantCounts,
  qualifies,
  sessionDays,
  waitingList,
} from './session.events';

// ---------- fixtures ----------

const on = { sessionId: 'session-1' };
const scheduled = (startDate: string, endDate: string, capacity = 3): TrainingSessionEvent => ({
  type: 'TrainingSessionScheduled',
  data: {
    ...on,
    moduleId: 'module-1',
    moduleTitle: { fr: 'Module' },
    trainers: ['T'],
    region: 'MA-06',
    venue: 'Casablanca',
    startDate,
    endDate,
    capacity,
    passMark: 60,
    partnerIds: [],
  },
});
const enrolled = (
  n: number,
  status: 'ENROLLED' | 'WAITING',
  who: Pick<Extract<TrainingSessionEvent, { type: 'ParticipantEnrolled' }>['data'], 'sex' | 'ageGroup' | 'profession' | 'region'>,
): TrainingSessionEvent => ({
  type: 'ParticipantEnrolled',
  data: { ...on, participantId: `p-${n}`, personId: `person-${n}`, pii: { keyId: `k-${n}`, ciphertext: 'x' }, status, ...who },
});
const present = (day: string, ...ns: number[]): TrainingSessionEvent => ({
  type: 'AttendanceRecorded',
  data: { ...on, day, presentParticipantIds: ns.map((n) => `p-${n}`) },
});
const post = (n: number, score: number): TrainingSessionEvent => ({
  type: 'AssessmentRecorded',
  data: { ...on, participantId: `p-${n}`, phase: 'POST', score },
});

const fold = (events: TrainingSessionEvent[]): TrainingSessionState => events.reduce(evolve, initialState());
const session = (events: TrainingSessionEvent[]) => fold(events) as TrainingSession;

const judgeF = { sex: 'F', ageGroup: 'AGE_25_34', profession: 'JUDICIARY', region: 'MA-06' } as const;
const teacherM = { sex: 'M', ageGroup: 'AGE_18_24', profession: 'TEACHER', region: 'MA-01' } as const;
const lawyerU = { sex: 'UNDISCLOSED', ageGroup: 'AGE_60_PLUS', profession: 'LAWYER', region: 'MA-06' } as const;

describe('Training session read helpers', () => {
  describe('the session’s days', () => {
    it('are every date from start to end, both included, across a month end and a leap day', () => {
      expect(sessionDays({ startDate: '2024-02-27', endDate: '2024-03-02' })).toEqual([
        '2024-02-27',
        '2024-02-28',
        '2024-02-29',
        '2024-03-01',
        '2024-03-02',
      ]);
      expect(sessionDays({ startDate: '2025-05-12', endDate: '2025-05-12' })).toEqual(['2025-05-12']);
    });
  });

  describe('counts', () => {
    const s = session([
      scheduled('2025-05-12', '2025-05-16', 2),
      enrolled(1, 'ENROLLED', judgeF),
      enrolled(2, 'ENROLLED', teacherM),
      enrolled(3, 'WAITING', lawyerU),
      enrolled(4, 'WAITING', judgeF),
      { type: 'ParticipantWithdrawn', data: { ...on, participantId: 'p-1' } },
      { type: 'ParticipantPromoted', data: { ...on, participantId: 'p-3' } },
    ]);

    it('count the enrolled, the waiting and those who left', () => {
      expect(participantCounts(s)).toEqual({ enrolled: 2, waiting: 1, withdrawn: 1 });
      expect(participantCounts(initialState())).toEqual({ enrolled: 0, waiting: 0, withdrawn: 0 });
    });

    it('list the enrolled in enrolment order and the waiting list first to be promoted first', () => {
      expect(enrolledParticipants(s).map((p) => p.id)).toEqual(['p-2', 'p-3']);
      expect(waitingList(s).map((p) => p.id)).toEqual(['p-4']);
    });

    it('disaggregate the enrolled by sex, age group, profession and region, without any name', () => {
      const breakdown = enrolledBreakdown(s);
      expect(breakdown).toEqual({
        total: 2,
        bySex: { F: 0, M: 1, UNDISCLOSED: 1 },
        byAgeGroup: { UNDER_18: 0, AGE_18_24: 1, AGE_25_34: 0, AGE_35_59: 0, AGE_60_PLUS: 1 },
        byProfession: {
          CIVIL_SERVANT: 0,
          TEACHER: 1,
          HEALTH_PROFESSIONAL: 0,
          CIVIL_SOCIETY: 0,
          LAW_ENFORCEMENT: 0,
          JUDICIARY: 0,
          JOURNALIST: 0,
          LAWYER: 1,
          SOCIAL_WORKER: 0,
          OTHER: 0,
        },
        byRegion: { 'MA-01': 1, 'MA-06': 1 },
      });
      expect(enrolledBreakdown(initialState()).total).toBe(0);
    });
  });

  describe('attendance and qualification', () => {
    // 5 days; p-1 present 4 (80%), p-2 present 3 (60%), p-3 all 5; a day outside the session is ignored.
    const s = session([
      scheduled('2025-05-12', '2025-05-16'),
      enrolled(1, 'ENROLLED', judgeF),
      enrolled(2, 'ENROLLED', teacherM),
      enrolled(3, 'ENROLLED', lawyerU),
      { type: 'TrainingSessionStarted', data: on },
      present('2025-05-12', 1, 2, 3),
      present('2025-05-13', 1, 2, 3),
      present('2025-05-14', 1, 2, 3),
      present('2025-05-15', 1, 3),
      present('2025-05-16', 3),
      present('2025-05-16', 3), // recorded again: replaces, counts once
      post(1, 60),
      post(2, 100),
      post(3, 59),
    ]);

    it('rates attendance as days present over the session’s days', () => {
      expect(daysPresent(s, 'p-1')).toBe(4);
      expect(attendanceRate(s, 'p-1')).toBe(0.8);
      expect(attendanceRate(s, 'p-2')).toBe(0.6);
      expect(attendanceRate(s, 'p-3')).toBe(1);
      expect(attendanceRate(s, 'p-9')).toBe(0);
    });

    it('qualifies at exactly 80% and the pass mark; not below either', () => {
      expect(qualifies(s, 'p-1')).toBe(true); // 80%, score = pass mark
      expect(qualifies(s, 'p-2')).toBe(false); // 60%, full marks
      expect(qualifies(s, 'p-3')).toBe(false); // 100%, pass mark − 1
      expect(qualifies(s, 'p-9')).toBe(false);
    });

    it('does not qualify a participant who withdrew', () => {
      const left = evolve(s, { type: 'ParticipantWithdrawn', data: { ...on, participantId: 'p-1' } }) as TrainingSession;
      expect(qualifies(left, 'p-1')).toBe(false);
    });
  });
});
