import mongoose from 'mongoose';
import { testInfra, type PlatformStack } from '@hrp/testing';

/** GraphQL documents and fixtures of the training e2e tests (authorization, rules, concurrency). */

export const PARTICIPANT_FIELDS = 'id personId fullName status';
export const MODULE_FIELDS = 'id version status';
export const SESSION_FIELDS = `id version status region capacity enrolledCount waitingCount
  participants { ${PARTICIPANT_FIELDS} } waitingList { ${PARTICIPANT_FIELDS} } certificates { code participantId revokedAt }`;
/** What every reader of a session sees (no participant names). */
export const SESSION_COUNTS = 'id version status region enrolledCount waitingCount';

export const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { position trainingModule { ${MODULE_FIELDS} } } }`;
export const PUBLISH_MODULE = `mutation($id: ID!, $v: Int) { publishTrainingModule(id: $id, expectedVersion: $v) { position trainingModule { ${MODULE_FIELDS} } } }`;
export const RETIRE_MODULE = `mutation($id: ID!, $v: Int) { retireTrainingModule(id: $id, expectedVersion: $v) { position trainingModule { ${MODULE_FIELDS} } } }`;
export const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { position trainingSession { ${SESSION_COUNTS} } } }`;
/** Payloads of session mutations carry the counts only, so that every allowed caller may read them. */
export const ENROL = `mutation($id: ID!, $input: ParticipantInput!, $v: Int) { enrolParticipant(sessionId: $id, input: $input, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const WITHDRAW = `mutation($id: ID!, $p: ID!, $v: Int) { withdrawParticipant(sessionId: $id, participantId: $p, reason: "Empêchement", expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const START = `mutation($id: ID!, $v: Int) { startTrainingSession(id: $id, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const ATTEND = `mutation($id: ID!, $day: Date!, $present: [ID!]!, $v: Int) { recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const ASSESS = `mutation($id: ID!, $p: ID!, $phase: AssessmentPhase!, $score: Int!, $v: Int) { recordAssessment(sessionId: $id, participantId: $p, phase: $phase, score: $score, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const COMPLETE = `mutation($id: ID!, $v: Int) { completeTrainingSession(id: $id, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const CANCEL = `mutation($id: ID!, $reason: String!, $v: Int) { cancelTrainingSession(id: $id, reason: $reason, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const REVOKE = `mutation($id: ID!, $code: String!, $reason: String!, $v: Int) { revokeCertificate(sessionId: $id, code: $code, reason: $reason, expectedVersion: $v) { position trainingSession { ${SESSION_COUNTS} } } }`;
export const ERASE = `mutation($p: ID!) { erasePerson(personId: $p) { personId erased } }`;

export const SESSION = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { ${SESSION_FIELDS} } }`;
export const SESSION_COUNTS_Q = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { ${SESSION_COUNTS} enrolledBreakdown { total } } }`;
export const PARTICIPANT_NAMES = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { participants { fullName } } }`;
export const WAITING_NAMES = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { waitingList { fullName } } }`;
export const MODULE = `query($id: ID!) { trainingModule(id: $id) { ${MODULE_FIELDS} } }`;
export const VERIFY = `query($code: String!) { verifyCertificate(code: $code) { code revokedAt } }`;

/** A session of one day (attendance on that day is 100%). */
export const DAY = '2026-05-04';

export function moduleInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { fr: 'Droits de l’enfant et protection', ar: 'حقوق الطفل والحماية' },
    professions: ['SOCIAL_WORKER', 'TEACHER'],
    instruments: ['CRC'],
    hours: 6,
    ...over,
  };
}

/** A session without cost (no funding needed) in MA-06; override what a test is about. */
export function sessionInput(moduleId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    moduleId,
    trainers: ['Formateur B'],
    region: 'MA-06',
    venue: 'Casablanca',
    startDate: DAY,
    endDate: DAY,
    capacity: 10,
    passMark: 60,
    ...over,
  };
}

let people = 0;
/** A person no other test uses (a person is recognised by name and institution). */
export function personInput(over: Record<string, unknown> = {}): Record<string, unknown> & { fullName: string } {
  const n = ++people;
  return {
    fullName: `Personne${n} Alaoui-${Math.random().toString(36).slice(2, 8)}`,
    institution: 'Délégation régionale de l’éducation',
    sex: n % 2 ? 'F' : 'M',
    ageGroup: 'AGE_35_59',
    profession: 'TEACHER',
    region: 'MA-06',
    ...over,
  };
}

/** The version of a training stream (0 when it has no event), straight from the store. */
export async function streamVersion(stack: PlatformStack, streamId: string): Promise<number> {
  return (await stack.readStream('training', streamId)).at(-1)?.streamVersion ?? 0;
}

/** Counts the events training stored (all streams) and the people it keeps keys for. `close` in afterAll. */
export async function storeCounter(stack: PlatformStack) {
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_training` }).asPromise();
  const commits = conn.db!.collection('es_commits');
  return {
    async events(): Promise<number> {
      const all = await commits.find({}, { projection: { events: 1 } }).toArray();
      return all.reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
    },
    people: () => conn.db!.collection('pd_people').countDocuments(),
    close: () => conn.close(),
  };
}

export interface SessionRef {
  id: string;
  version: number;
  position: string;
}
export interface ParticipantRef {
  id: string;
  personId: string;
  fullName: string;
}

/** Fixtures built by one writer (the training coordinator): each call makes fresh streams. */
export function fixtures(stack: PlatformStack, token: () => string) {
  const ok = async (query: string, variables: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await stack.gql(token(), query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  const f = {
    ok,
    async draftModule(): Promise<string> {
      return (await ok(CREATE_MODULE, { input: moduleInput() })).createTrainingModule.trainingModule.id as string;
    },
    async publishedModule(): Promise<string> {
      const id = await f.draftModule();
      await ok(PUBLISH_MODULE, { id });
      return id;
    },
    async scheduled(moduleId: string, over: Record<string, unknown> = {}): Promise<SessionRef> {
      const d = (await ok(SCHEDULE, { input: sessionInput(moduleId, over) })).scheduleTrainingSession;
      return { id: d.trainingSession.id, version: d.trainingSession.version, position: d.position };
    },
    async enrolled(sessionId: string, over: Record<string, unknown> = {}): Promise<SessionRef & { participant: ParticipantRef }> {
      const person = personInput(over);
      const d = (await ok(ENROL, { id: sessionId, input: person })).enrolParticipant;
      const s = (await ok(SESSION, { id: sessionId, min: d.position })).trainingSession;
      const all = [...s.participants, ...s.waitingList] as ParticipantRef[];
      const participant = all.find((p) => p.fullName === person.fullName)!;
      return { id: sessionId, version: d.trainingSession.version, position: d.position, participant };
    },
    /** A scheduled session of `moduleId` with one enrolled participant. */
    async withParticipant(moduleId: string, over: Record<string, unknown> = {}) {
      const s = await f.scheduled(moduleId, over);
      return f.enrolled(s.id);
    },
    async inProgress(moduleId: string, over: Record<string, unknown> = {}) {
      const s = await f.withParticipant(moduleId, over);
      const d = (await ok(START, { id: s.id })).startTrainingSession;
      return { ...s, version: d.trainingSession.version as number, position: d.position as string };
    },
    /** A completed session whose one participant holds a certificate. */
    async completed(moduleId: string, over: Record<string, unknown> = {}) {
      const s = await f.inProgress(moduleId, over);
      await ok(ATTEND, { id: s.id, day: DAY, present: [s.participant.id] });
      await ok(ASSESS, { id: s.id, p: s.participant.id, phase: 'POST', score: 80 });
      const d = (await ok(COMPLETE, { id: s.id })).completeTrainingSession;
      const read = (await ok(SESSION, { id: s.id, min: d.position })).trainingSession;
      const code = (read.certificates as { code: string }[])[0]?.code;
      if (!code) throw new Error(`no certificate in ${s.id}`);
      return { ...s, version: read.version as number, code };
    },
  };
  return f;
}
