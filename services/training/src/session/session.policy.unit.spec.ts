import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { TrainingPrincipal } from '../module/module.policy';
import type { RecordFundingDecision, UserTrainingSessionCommand } from './session.decider';
import { trainingSessionDecider } from './session.decider';
import type { TrainingSessionEvent, TrainingSessionState } from './session.events';
import { authorize } from './session.policy';

// ---------- fixtures ----------

const SESSION_ID = 'session-1';
const metadata: CommandMetadata = {
  now: '2025-04-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};

/** The 12 development users of the Keycloak realm; `regional-officer` has MA-01, `regional-officer-ma06` MA-06. */
const USERS: Record<string, TrainingPrincipal> = DEV_PRINCIPALS;

const on = { sessionId: SESSION_ID };
const COMMANDS: Record<UserTrainingSessionCommand['type'], UserTrainingSessionCommand> = {
  ScheduleTrainingSession: {
    type: 'ScheduleTrainingSession',
    data: {
      ...on,
      moduleId: 'module-1',
      module: { status: 'PUBLISHED', title: { fr: 'Module' } },
      trainers: ['T'],
      region: 'MA-01',
      venue: 'Tanger',
      startDate: '2025-05-12',
      endDate: '2025-05-12',
      capacity: 10,
      passMark: 50,
      knownPartners: [],
    },
    metadata,
  },
  EnrolParticipant: {
    type: 'EnrolParticipant',
    data: {
      ...on,
      participantId: 'p-1',
      personId: 'person-1',
      pii: { keyId: 'k-1', ciphertext: 'x' },
      sex: 'F',
      ageGroup: 'AGE_35_59',
      profession: 'TEACHER',
      region: 'MA-01',
    },
    metadata,
  },
  WithdrawParticipant: { type: 'WithdrawParticipant', data: { ...on, participantId: 'p-1' }, metadata },
  StartTrainingSession: { type: 'StartTrainingSession', data: on, metadata },
  RecordAttendance: { type: 'RecordAttendance', data: { ...on, day: '2025-05-12', presentParticipantIds: ['p-1'] }, metadata },
  RecordAssessment: { type: 'RecordAssessment', data: { ...on, participantId: 'p-1', phase: 'PRE', score: 50 }, metadata },
  CompleteTrainingSession: { type: 'CompleteTrainingSession', data: on, metadata },
  RevokeCertificate: { type: 'RevokeCertificate', data: { ...on, code: 'cert-12345678', reason: 'Fraude' }, metadata },
  CancelTrainingSession: { type: 'CancelTrainingSession', data: { ...on, reason: 'Report' }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as UserTrainingSessionCommand['type'][];

const sessionIn = (region: string): TrainingSessionState =>
  [
    {
      type: 'TrainingSessionScheduled',
      data: {
        ...on,
        moduleId: 'module-1',
        moduleTitle: { fr: 'Module' },
        trainers: ['T'],
        region,
        venue: 'Venue',
        startDate: '2025-05-12',
        endDate: '2025-05-12',
        capacity: 10,
        passMark: 50,
        partnerIds: [],
      },
    } as TrainingSessionEvent,
  ].reduce(trainingSessionDecider.evolve, trainingSessionDecider.initialState());

/**
 * Who may do what (Y) on a session in MA-01 (scheduling one in MA-01), one column per command in
 * the order of COMMANDS: Schedule Enrol Withdraw Start Attendance Assessment Complete Revoke Cancel.
 */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '---------',
  director: 'YYYYYYYYY',
  'campaign-manager': '---------',
  'training-coordinator': 'YYYYYYY-Y',
  'partnership-officer': '---------',
  'advocacy-officer': '---------',
  'finance-officer': '---------',
  'me-officer': '---------',
  'regional-officer': 'YYYYYYY-Y',
  'regional-officer-ma06': '---------',
  auditor: '---------',
  viewer: '---------',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

describe('Training session policy', () => {
  describe('for every development user and every user command, on a session in MA-01', () => {
    it('has a row for every development user and a column for every user command', () => {
      expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(DEV_PRINCIPALS).sort());
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as UserTrainingSessionCommand['type']], sessionIn('MA-01'));
      expect(decision.ok).toBe(allowed);
    });
  });

  describe('for a regional officer', () => {
    const ma06 = USERS['regional-officer-ma06'];
    const regional = COMMAND_NAMES.filter((c) => c !== 'RevokeCertificate' && c !== 'ScheduleTrainingSession');

    it.each(regional)('allows %s on a session of its region only', (command) => {
      expect(authorize(ma06, COMMANDS[command], sessionIn('MA-06')).ok).toBe(true);
      expect(authorize(ma06, COMMANDS[command], sessionIn('MA-01'))).toEqual({ ok: false, reason: expect.stringMatching(/MA-06.*MA-01/) });
      expect(authorize(ma06, COMMANDS[command], sessionIn('NATIONAL')).ok).toBe(false);
    });

    it('schedules only in its region', () => {
      const schedule = COMMANDS.ScheduleTrainingSession as Extract<UserTrainingSessionCommand, { type: 'ScheduleTrainingSession' }>;
      expect(authorize(ma06, { ...schedule, data: { ...schedule.data, region: 'MA-06' } }).ok).toBe(true);
      expect(authorize(ma06, schedule).ok).toBe(false);
    });

    it('lets a command on a session that does not exist through, so that the decider answers NOT_FOUND', () => {
      expect(authorize(ma06, COMMANDS.StartTrainingSession, trainingSessionDecider.initialState()).ok).toBe(true);
      expect(authorize(ma06, COMMANDS.StartTrainingSession).ok).toBe(true);
    });

    it('may not revoke a certificate, even in its region', () => {
      expect(authorize(ma06, COMMANDS.RevokeCertificate, sessionIn('MA-06')).ok).toBe(false);
    });

    it('may do nothing without a region attribute', () => {
      for (const command of Object.values(COMMANDS))
        expect(authorize({ roles: ['regional-officer'] }, command, sessionIn('MA-01')).ok).toBe(false);
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['viewer', 'training-coordinator'] }, COMMANDS.CompleteTrainingSession, sessionIn('MA-12')).ok).toBe(true);
      expect(authorize({ roles: ['training-coordinator', 'director'] }, COMMANDS.RevokeCertificate, sessionIn('MA-12')).ok).toBe(true);
    });

    it('refuses a user without any role', () => {
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command, sessionIn('MA-01')).ok).toBe(false);
    });
  });

  describe('for the system command', () => {
    const fromFinance: RecordFundingDecision = {
      type: 'RecordFundingDecision',
      data: {
        ...on,
        decision: 'APPROVED',
        commitmentId: 'commitment-1',
        amount: { amount: '1', currency: 'MAD' },
        decidedAt: '2025-04-03T10:00:00.000Z',
      },
      metadata,
    };

    it.each(Object.keys(USERS))('refuses it to %s: only the finance-events consumer runs it, without the policy', (user) => {
      expect(authorize(USERS[user], fromFinance as unknown as UserTrainingSessionCommand, sessionIn('MA-01'))).toEqual({
        ok: false,
        reason: expect.stringMatching(/system command/),
      });
    });
  });
});
