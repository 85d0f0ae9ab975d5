import { devToken, startPlatformStack, type PlatformStack } from '@hrp/testing';
import { ENROL, SESSION, WITHDRAW, fixtures, personInput, streamVersion } from './harness';

/*
 * Enrolments race on one session's stream (session.decider.ts `enrol`, the handler's
 * expected-version append): however many arrive at once, the seats go to exactly `capacity` of
 * them, the others wait in the order their enrolments were stored, nobody is there twice, and
 * withdrawals promote the first waiting people.
 */

interface Participant {
  id: string;
  personId: string;
  fullName: string;
  status: string;
}
interface Session {
  version: number;
  capacity: number;
  enrolledCount: number;
  waitingCount: number;
  participants: Participant[];
  waitingList: Participant[];
}
interface Payload {
  position: string;
  trainingSession: { version: number; enrolledCount: number; waitingCount: number };
}

describe('Training enrolments under concurrency, through the gateway', () => {
  let stack: PlatformStack;
  let coordinator: string;
  let f: ReturnType<typeof fixtures>;
  let moduleId: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['training'], 15240);
    coordinator = await devToken('training-coordinator');
    f = fixtures(stack, () => coordinator);
    moduleId = await f.publishedModule();
  }, 120000);
  afterAll(() => stack?.stop());

  const read = async (id: string, min: string) => (await f.ok(SESSION, { id, min })).trainingSession as Session;
  const names = (list: Participant[]) => list.map((p) => p.fullName);
  /** The payload written last (highest version): reading at its position sees every write before it. */
  const last = (payloads: Payload[]) => payloads.reduce((a, b) => (b.trainingSession.version > a.trainingSession.version ? b : a));

  describe('when 20 distinct people enrol at once in a session of 10 seats', () => {
    let id: string;
    let scheduledVersion: number;
    /** The people in the order their enrolments were stored (by the version each one's payload reports). */
    let inOrder: string[];
    let session: Session;

    beforeAll(async () => {
      const s = await f.scheduled(moduleId, { capacity: 10 });
      id = s.id;
      scheduledVersion = s.version;
      const people = Array.from({ length: 20 }, () => personInput());
      const answers = await Promise.all(people.map((input) => stack.gql(coordinator, ENROL, { id, input })));
      for (const r of answers) expect(r.errors).toBeUndefined();
      const payloads = answers.map((r) => r.data!.enrolParticipant as Payload);
      const byVersion = new Map(payloads.map((p, i) => [p.trainingSession.version, people[i].fullName]));
      expect([...byVersion.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => scheduledVersion + 1 + i));
      inOrder = [...byVersion.entries()].sort(([a], [b]) => a - b).map(([, name]) => name);
      // no answer ever showed more than the capacity seated
      for (const p of payloads) expect(p.trainingSession.enrolledCount).toBeLessThanOrEqual(10);
      session = await read(id, last(payloads).position);
    });

    it('stores all 20 enrolments, one after the other', async () => {
      expect(session.version).toBe(scheduledVersion + 20);
      expect(await streamVersion(stack, id)).toBe(scheduledVersion + 20);
      const types = (await stack.readStream('training', id)).map((e) => e.type);
      expect(types.filter((t) => t === 'ParticipantEnrolled')).toHaveLength(20);
    });

    it('seats exactly 10, the first 10 stored', () => {
      expect(session).toMatchObject({ capacity: 10, enrolledCount: 10, waitingCount: 10 });
      expect(session.participants).toHaveLength(10);
      expect(session.participants.every((p) => p.status === 'ENROLLED')).toBe(true);
      expect(names(session.participants).sort()).toEqual(inOrder.slice(0, 10).sort());
    });

    it('puts the other 10 on the waiting list, in the order they were stored', () => {
      expect(session.waitingList.every((p) => p.status === 'WAITING')).toBe(true);
      expect(names(session.waitingList)).toEqual(inOrder.slice(10));
    });

    it('holds nobody twice', () => {
      const all = [...session.participants, ...session.waitingList];
      expect(new Set(all.map((p) => p.personId)).size).toBe(20);
      expect(new Set(all.map((p) => p.id)).size).toBe(20);
      expect(new Set(names(all)).size).toBe(20);
    });

    describe('and then 3 enrolled people withdraw at once', () => {
      let leaving: Participant[];
      let after: Session;

      beforeAll(async () => {
        leaving = [session.participants[0], session.participants[4], session.participants[9]];
        const answers = await Promise.all(leaving.map((p) => stack.gql(coordinator, WITHDRAW, { id, p: p.id })));
        for (const r of answers) expect(r.errors).toBeUndefined();
        after = await read(id, last(answers.map((r) => r.data!.withdrawParticipant as Payload)).position);
      });

      it('promotes the first 3 waiting, in order, and keeps 10 seated', () => {
        expect(after).toMatchObject({ enrolledCount: 10, waitingCount: 7 });
        const seated = names(after.participants);
        expect(seated).toHaveLength(10);
        for (const promoted of inOrder.slice(10, 13)) expect(seated).toContain(promoted);
        for (const gone of names(leaving)) expect(seated).not.toContain(gone);
        expect(names(after.waitingList)).toEqual(inOrder.slice(13));
      });

      it('stores one withdrawal and one promotion per leaver', async () => {
        const types = (await stack.readStream('training', id)).map((e) => e.type);
        expect(types.filter((t) => t === 'ParticipantWithdrawn')).toHaveLength(3);
        expect(types.filter((t) => t === 'ParticipantPromoted')).toHaveLength(3);
        expect(after.version).toBe(scheduledVersion + 20 + 6);
      });
    });
  });

  describe('when the same person enrols twice at once', () => {
    it('enrols them once and refuses the other as training.enrol.duplicate', async () => {
      const s = await f.scheduled(moduleId, { capacity: 10 });
      const person = personInput();
      const answers = await Promise.all([0, 1].map(() => stack.gql(coordinator, ENROL, { id: s.id, input: person })));

      const succeeded = answers.filter((r) => r.errors === undefined);
      const refused = answers.filter((r) => r.errors !== undefined);
      expect(succeeded).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'training.enrol.duplicate' });

      const payload = succeeded[0].data!.enrolParticipant as Payload;
      expect(payload.trainingSession).toMatchObject({ version: s.version + 1, enrolledCount: 1, waitingCount: 0 });
      expect(await streamVersion(stack, s.id)).toBe(s.version + 1);
      const session = await read(s.id, payload.position);
      expect(names(session.participants)).toEqual([person.fullName]);
      expect(session.waitingList).toEqual([]);
    });
  });
});
