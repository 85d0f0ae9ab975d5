import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { deadLetterTopic, eventsTopic, KafkaJsBus, MongoProjection } from '@hrp/messaging';
import { devToken, startPlatformStack, testInfra, type PlatformStack } from '@hrp/testing';
import { SESSION_VIEW, sessionViewHandlers } from '../src/session/projections/session-view.projection';

const NAME = 'Zineb Quessar-Taoufiki';
const TRACES = ['Zineb', 'Quessar', 'Taoufiki', 'QUESSAR', 'quessar'];
const PARTICIPANT = 'id personId fullName status postScore attendanceRate';
const SESSION = `id version status enrolledCount waitingCount enrolledBreakdown { total bySex { key count } byProfession { key count } }
  participants { ${PARTICIPANT} } certificates { code participantId }`;
const CREATE_MODULE = `mutation($input: CreateTrainingModuleInput!) { createTrainingModule(input: $input) { trainingModule { id } } }`;
const PUBLISH_MODULE = `mutation($id: ID!) { publishTrainingModule(id: $id) { trainingModule { id } } }`;
const SCHEDULE = `mutation($input: ScheduleTrainingSessionInput!) { scheduleTrainingSession(input: $input) { trainingSession { id } } }`;
const ENROL = `mutation($id: ID!, $input: ParticipantInput!) { enrolParticipant(sessionId: $id, input: $input) { position trainingSession { ${SESSION} } } }`;
const START = `mutation($id: ID!) { startTrainingSession(id: $id) { trainingSession { id } } }`;
const ATTEND = `mutation($id: ID!, $day: Date!, $present: [ID!]!) { recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present) { trainingSession { id } } }`;
const ASSESS = `mutation($id: ID!, $p: ID!, $score: Int!) { recordAssessment(sessionId: $id, participantId: $p, phase: POST, score: $score) { trainingSession { id } } }`;
const COMPLETE = `mutation($id: ID!) { completeTrainingSession(id: $id) { position trainingSession { ${SESSION} } } }`;
const SESSION_Q = `query($id: ID!, $min: String) { trainingSession(id: $id, minPosition: $min) { ${SESSION} } }`;
const ERASE = `mutation($p: ID!) { erasePerson(personId: $p) { personId erased } }`;
const VERIFY = `query($code: String!) { verifyCertificate(code: $code) { code participantName } }`;

/** Every message value of a topic, from its start, as text. */
async function topicText(topic: string): Promise<string> {
  const kafka = new Kafka({ brokers: [...testInfra.kafkaBrokers], clientId: 'erasure-scan', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
  await admin.disconnect();
  const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  const values: string[] = [];
  if (remaining.size === 0) return '';
  const consumer = kafka.consumer({ groupId: `erasure-scan-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        values.push(`${message.key?.toString() ?? ''} ${message.value?.toString() ?? ''}`);
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return values.join('\n');
}

describe('Erasure of a participant (law 09-08, crypto-shredding)', () => {
  let stack: PlatformStack;
  let coordinator: string;
  let director: string;
  let db: mongoose.Connection;

  beforeAll(async () => {
    stack = await startPlatformStack(['training'], 15260);
    [coordinator, director] = await Promise.all(['training-coordinator', 'director'].map((u) => devToken(u as never)));
    db = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_training` }).asPromise();
  }, 120000);
  afterAll(async () => {
    await db?.close();
    await stack?.stop();
  });

  /** Every document of every collection of training's database, as text. */
  async function storeText(): Promise<string> {
    const out: string[] = [];
    for (const c of await db.db!.listCollections().toArray()) out.push(JSON.stringify(await db.db!.collection(c.name).find({}).toArray()));
    return out.join('\n');
  }

  it('leaves no readable name in the store, the topics, the read models or the logs; counts, certificates and rebuilds still hold', async () => {
    const gql = async (token: string | undefined, q: string, v: Record<string, unknown>) => {
      const r = await stack.gql(token, q, v);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const moduleId = (
      await gql(coordinator, CREATE_MODULE, {
        input: { title: { fr: 'Prévention de la torture' }, professions: ['LAW_ENFORCEMENT'], instruments: ['CAT'], hours: 6 },
      })
    ).createTrainingModule.trainingModule.id;
    await gql(coordinator, PUBLISH_MODULE, { id: moduleId });
    const id = (
      await gql(coordinator, SCHEDULE, {
        input: {
          moduleId,
          trainers: ['Formateur B'],
          region: 'MA-05',
          venue: 'Salle Ibn Khaldoun',
          startDate: '2026-05-04',
          endDate: '2026-05-04',
          capacity: 5,
          passMark: 50,
        },
      })
    ).scheduleTrainingSession.trainingSession.id as string;
    const enrol = (fullName: string, sex: string) =>
      gql(coordinator, ENROL, {
        id,
        input: {
          fullName,
          institution: 'Commissariat central',
          sex,
          ageGroup: 'AGE_35_59',
          profession: 'LAW_ENFORCEMENT',
          region: 'MA-05',
        },
      });
    await enrol('Karim Alaoui', 'M');
    await enrol(NAME, 'F');
    const enrolled = (await enrol('Salma Idrissi', 'F')).enrolParticipant.trainingSession;
    const zineb = enrolled.participants.find((p: { fullName: string }) => p.fullName === NAME);
    expect(zineb).toBeDefined();
    const ids = enrolled.participants.map((p: { id: string }) => p.id);
    await gql(coordinator, START, { id });
    await gql(coordinator, ATTEND, { id, day: '2026-05-04', present: ids });
    for (const p of ids) await gql(coordinator, ASSESS, { id, p, score: 80 });
    const completed = (await gql(coordinator, COMPLETE, { id })).completeTrainingSession;
    const before = (await gql(coordinator, SESSION_Q, { id, min: completed.position })).trainingSession;
    const code = (before.certificates as { code: string; participantId: string }[]).find((c) => c.participantId === zineb.id)!.code;
    expect((await gql(undefined, VERIFY, { code })).verifyCertificate.participantName).toBe(NAME);

    // The scans can see what is there: the venue is in the store and on the topic in clear, the
    // person's id too; the name never was (only its encryption under the person's key).
    const topics = [eventsTopic('training', stack.iso.topicPrefix), deadLetterTopic(stack.iso.topicPrefix)];
    expect(await storeText()).toContain('Salle Ibn Khaldoun');
    expect(await storeText()).toContain(zineb.personId);
    expect(await topicText(topics[0])).toContain('Salle Ibn Khaldoun');

    // erasure, by the director
    expect((await gql(director, ERASE, { p: zineb.personId })).erasePerson).toEqual({ personId: zineb.personId, erased: true });

    // nothing readable remains: the API shows [erased], verification shows no name
    const after = (await gql(coordinator, SESSION_Q, { id })).trainingSession;
    expect(after.participants.find((p: { id: string }) => p.id === zineb.id)).toMatchObject({
      fullName: '[erased]',
      postScore: 80,
      attendanceRate: 1,
    });
    expect(after.participants.filter((p: { fullName: string }) => p.fullName !== '[erased]')).toHaveLength(2);
    expect((await gql(undefined, VERIFY, { code })).verifyCertificate).toEqual({ code, participantName: null });
    // counts and disaggregated figures are unchanged; so are the certificates
    expect(after.enrolledCount).toBe(before.enrolledCount);
    expect(after.enrolledBreakdown).toEqual(before.enrolledBreakdown);
    expect(after.certificates).toEqual(before.certificates);

    // the store (events, snapshots, read models, keys), the topics and the logs
    const store = await storeText();
    const kafka = (await Promise.all(topics.map(topicText))).join('\n');
    const logs = stack.services.training.output() + stack.gateway.output();
    for (const trace of TRACES) {
      expect(store).not.toContain(trace);
      expect(kafka).not.toContain(trace);
      expect(logs).not.toContain(trace);
    }
    // the erasure is on record, without the name
    const erasures = await db.db!.collection('pd_people_erasures').find({}).toArray();
    expect(erasures.map((e) => e._id)).toEqual([zineb.personId]);

    // a rebuild from the topic equals the live view, document for document
    const bus = new KafkaJsBus({ brokers: [...testInfra.kafkaBrokers], clientId: `erasure-rebuild-${stack.iso.tag}` });
    const view = new MongoProjection({ name: SESSION_VIEW, db: db.db!, handlers: sessionViewHandlers });
    const rebuilt = await view.rebuild({ bus, topics: [topics[0]], dlqTopic: topics[1], groupPrefix: stack.iso.topicPrefix });
    const docs = async (generation: number) =>
      await db.db!.collection(`${SESSION_VIEW}__v${generation}`).find({}).sort({ _id: 1 }).toArray();
    expect(await docs(rebuilt.generation)).toEqual(await docs(rebuilt.previous));
    await bus.close();
    const again = (await gql(coordinator, SESSION_Q, { id })).trainingSession;
    expect(again).toEqual(after);
  });
});
