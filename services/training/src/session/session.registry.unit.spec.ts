import { join } from 'node:path';
import {
  EventSchemaViolationError,
  FUNDING_EVENTS,
  fingerprintSchema,
  fundingRequestedSchemaV1,
  fundingRequestedSchemaV2,
  fundingWithdrawnSchemaV1,
} from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import { moduleEventDefinitions } from '../module/module.registry';
import type { TrainingSessionCommand } from './session.decider';
import { trainingSessionDecider } from './session.decider';
import type { TrainingSessionEvent, TrainingSessionState } from './session.events';
import { SESSION_EVENT_TYPES } from './session.events';
import { sessionEventDefinitions, sessionEventRegistry } from './session.registry';

const SNAPSHOT_FILE = join(__dirname, 'session.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/training/src/session/session.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const ID = 'session-6d2b';
const on = { sessionId: ID };
const meta = (ids?: string[]): CommandMetadata => ({
  now: '2025-04-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'training-coordinator' },
  correlationId: 'c-1',
  ...(ids ? { ids } : {}),
});

/** Runs the commands in order, returning every event written. */
function run(commands: TrainingSessionCommand[]): TrainingSessionEvent[] {
  let state: TrainingSessionState = trainingSessionDecider.initialState();
  const written: TrainingSessionEvent[] = [];
  for (const command of commands) {
    const events = trainingSessionDecider.decide(command, state);
    state = events.reduce(trainingSessionDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const scheduleFull: TrainingSessionCommand = {
  type: 'ScheduleTrainingSession',
  data: {
    ...on,
    moduleId: 'module-3e8a',
    module: {
      status: 'PUBLISHED',
      title: { fr: 'Prévention de la torture', ar: 'الوقاية من التعذيب', en: 'Torture prevention', zgh: 'ⴰⵙⴳⴷⴻⵍ' },
    },
    trainers: ['Dr. Salma Idrissi', 'Me Youssef Amrani'],
    region: 'MA-06',
    venue: 'Commission régionale des droits de l’Homme, Casablanca',
    startDate: '2025-05-12',
    endDate: '2025-05-14',
    capacity: 2,
    passMark: 70,
    partnerIds: ['partner-ohchr'],
    knownPartners: [{ id: 'partner-ohchr', status: 'ACTIVE' }],
    budgetLineId: 'budget-2025.line-2',
    estimatedCost: { amount: 4_500_000n, currency: 'MAD' },
  },
  metadata: meta(),
};
const enrol = (n: number): TrainingSessionCommand => ({
  type: 'EnrolParticipant',
  data: {
    ...on,
    participantId: `participant-${n}`,
    personId: `person-7f3a-${n}`,
    pii: { keyId: `person-key-${n}`, ciphertext: 'djEuQUVTLUdDTS5pdi5jaXBoZXJ0ZXh0LnRhZw==' },
    sex: 'F',
    ageGroup: 'AGE_35_59',
    profession: 'LAW_ENFORCEMENT',
    region: 'MA-06',
  },
  metadata: meta(),
});
const decision = (kind: 'APPROVED' | 'REJECTED'): TrainingSessionCommand => {
  const common = {
    ...on,
    commitmentId: 'commitment-2025-1',
    requestId: `${ID}.funding-request`,
    amount: { amount: '4500000', currency: 'MAD' },
    decidedAt: '2025-04-02T10:00:00Z',
  };
  return {
    type: 'RecordFundingDecision',
    data: kind === 'APPROVED' ? { ...common, decision: 'APPROVED' } : { ...common, decision: 'REJECTED', reason: 'Ligne épuisée' },
    metadata: meta(),
  };
};
const days = ['2025-05-12', '2025-05-13', '2025-05-14'];

const wholeLife = (): TrainingSessionEvent[] => [
  ...run([
    scheduleFull,
    decision('APPROVED'),
    enrol(1),
    enrol(2),
    enrol(3),
    { type: 'WithdrawParticipant', data: { ...on, participantId: 'participant-1', reason: 'Mutation' }, metadata: meta() },
    { type: 'RecordAssessment', data: { ...on, participantId: 'participant-2', phase: 'PRE', score: 40 }, metadata: meta() },
    { type: 'StartTrainingSession', data: on, metadata: meta() },
    ...days.map((day): TrainingSessionCommand => ({
      type: 'RecordAttendance',
      data: { ...on, day, presentParticipantIds: ['participant-2', 'participant-3'] },
      metadata: meta(),
    })),
    { type: 'RecordAssessment', data: { ...on, participantId: 'participant-2', phase: 'POST', score: 85 }, metadata: meta() },
    { type: 'RecordAssessment', data: { ...on, participantId: 'participant-3', phase: 'POST', score: 70 }, metadata: meta() },
    { type: 'CompleteTrainingSession', data: on, metadata: meta(['Xk3v9QbT2mW8rLp4', 'Hq7nZ2cV5yD1sFa6']) },
    { type: 'RevokeCertificate', data: { ...on, code: 'Hq7nZ2cV5yD1sFa6', reason: 'Identité usurpée' }, metadata: meta() },
  ]),
  ...run([scheduleFull, { type: 'CancelTrainingSession', data: { ...on, reason: 'Report' }, metadata: meta() }]),
  ...run([scheduleFull, decision('REJECTED')]),
];

describe('Training session event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, at schema version 1 but the shared FundingRequested (v2), in the training context', () => {
      expect(sessionEventRegistry.context).toBe('training');
      expect(sessionEventRegistry.types()).toEqual([...SESSION_EVENT_TYPES]);
      expect(sessionEventDefinitions.map((d) => d.type)).toEqual([...SESSION_EVENT_TYPES]);
      for (const type of SESSION_EVENT_TYPES) {
        expect({ type, version: sessionEventRegistry.currentVersion(type) }).toEqual({
          type,
          version: type === 'FundingRequested' ? FUNDING_EVENTS.FundingRequested.schemaVersion : 1,
        });
      }
    });

    it('use the shared integration schemas for FundingRequested (every version) and FundingWithdrawn, so finance reads them as written', () => {
      expect(fingerprintSchema(sessionEventRegistry.schema('FundingRequested'))).toBe(fingerprintSchema(fundingRequestedSchemaV2));
      expect(fingerprintSchema(sessionEventRegistry.schema('FundingRequested', 1))).toBe(fingerprintSchema(fundingRequestedSchemaV1));
      expect(fingerprintSchema(sessionEventRegistry.schema('FundingWithdrawn'))).toBe(fingerprintSchema(fundingWithdrawnSchemaV1));
    });

    it('share no type name with the module’s, so that the wiring combines both in one registry', () => {
      const moduleTypes = new Set(moduleEventDefinitions.map((d) => d.type));
      expect(sessionEventDefinitions.filter((d) => moduleTypes.has(d.type))).toEqual([]);
    });
  });

  describe('when a whole session life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(SESSION_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: sessionEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('a participant’s enrolment', () => {
    const enrolled = wholeLife().find((e) => e.type === 'ParticipantEnrolled');

    it('has no field for a name or an institution: those travel only encrypted, in pii', () => {
      const properties = Object.keys(sessionEventRegistry.schema('ParticipantEnrolled').properties ?? {});
      expect(properties.sort()).toEqual(
        ['ageGroup', 'participantId', 'personId', 'pii', 'profession', 'region', 'sessionId', 'sex', 'status'].sort(),
      );
      expect(Object.keys(sessionEventRegistry.schema('ParticipantEnrolled').properties?.pii.properties ?? {}).sort()).toEqual([
        'ciphertext',
        'keyId',
      ]);
    });

    it('refuses a plain name beside the pii, or inside it', () => {
      expect(sessionEventRegistry.issues('ParticipantEnrolled', { ...enrolled?.data, fullName: 'Fatima Zahra El Amrani' })).toEqual([
        expect.stringContaining('$.fullName: not allowed'),
      ]);
      const pii = { keyId: 'k', ciphertext: 'c', name: 'Fatima Zahra El Amrani', institution: 'Tribunal de première instance' };
      expect(sessionEventRegistry.issues('ParticipantEnrolled', { ...enrolled?.data, pii })).toHaveLength(2);
    });

    it('bounds the two strings of the pii', () => {
      expect(
        sessionEventRegistry.issues('ParticipantEnrolled', { ...enrolled?.data, pii: { keyId: '', ciphertext: 'c'.repeat(4097) } }),
      ).toHaveLength(2);
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses it with every problem listed', () => {
      const error = (() => {
        try {
          sessionEventRegistry.validate('AssessmentRecorded', { ...on, participantId: 'p-1', phase: 'MID', score: 101 });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventSchemaViolationError);
      expect((error as EventSchemaViolationError).issues).toEqual([expect.stringContaining('$.phase'), expect.stringContaining('$.score')]);
    });

    it('refuses a certificate code that is not URL-safe', () => {
      const issued = { ...on, participantId: 'p-1', code: 'a b/c?d=e', issuedAt: '2025-05-14T17:00:00.000Z' };
      expect(sessionEventRegistry.issues('CertificateIssued', issued)).toEqual([expect.stringContaining('$.code')]);
    });

    it('refuses a session id that is not a session stream id', () => {
      expect(sessionEventRegistry.issues('TrainingSessionStarted', { sessionId: 'campaign-1' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [sessionEventRegistry], UPDATE);
    });
  });
});
