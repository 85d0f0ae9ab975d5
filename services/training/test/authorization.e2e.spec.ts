import { DEV_USERS, devToken, eventually, graphql, startPlatformStack, type DevUser, type PlatformStack } from '@hrp/testing';
import {
  ASSESS,
  ATTEND,
  CANCEL,
  COMPLETE,
  CREATE_MODULE,
  DAY,
  ENROL,
  ERASE,
  MODULE,
  PARTICIPANT_NAMES,
  PUBLISH_MODULE,
  RETIRE_MODULE,
  REVOKE,
  SCHEDULE,
  SESSION,
  SESSION_COUNTS_Q,
  START,
  VERIFY,
  WAITING_NAMES,
  WITHDRAW,
  fixtures,
  moduleInput,
  personInput,
  sessionInput,
  storeCounter,
  streamVersion,
} from './harness';

/*
 * Who may change training and who reads participants' names (module.policy.ts, session.policy.ts,
 * the resolver's participant readers), through the gateway with the real tokens of every dev user.
 * Sessions are in MA-06 and without cost. A refusal is FORBIDDEN and writes nothing: the streams
 * it aims at keep their version and the store holds no more events than before.
 */

const MANAGERS = ['training-coordinator', 'director'] as const satisfies readonly DevUser[];
/** The session commands: the managers anywhere, the regional officer of the session's region (MA-06). */
const SESSION_WRITERS = [...MANAGERS, 'regional-officer-ma06'] as const satisfies readonly DevUser[];
const DIRECTOR = ['director'] as const satisfies readonly DevUser[];
const ERASERS = ['director', 'admin'] as const satisfies readonly DevUser[];

interface Call {
  query: string;
  variables: Record<string, unknown>;
  /** The streams a refusal must leave alone; the first is the one an allowed call writes to, unless `written` says otherwise. */
  streams: string[];
  /** The stream an allowed call writes to, from its answer (when its id is drawn by the service). */
  written?: (data: Record<string, any>) => string;
  /** What else an allowed call must have done, and a refused one must not have. */
  check?: (allowed: boolean, data: Record<string, any> | null | undefined) => Promise<void>;
}

interface MutationCase {
  name: string;
  allowed: readonly DevUser[];
  prepare(): Promise<Call>;
}

describe('Training authorization, through the gateway with real tokens', () => {
  let stack: PlatformStack;
  let store: Awaited<ReturnType<typeof storeCounter>>;
  let f: ReturnType<typeof fixtures>;
  /** A published module every session fixture is scheduled from. */
  let moduleId: string;
  const tokens = {} as Record<DevUser, string>;

  beforeAll(async () => {
    stack = await startPlatformStack(['training'], 15220);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    store = await storeCounter(stack);
    f = fixtures(stack, () => tokens['training-coordinator']);
    moduleId = await f.publishedModule();
  }, 120000);
  afterAll(async () => {
    await store?.close();
    await stack?.stop();
  });

  // ---------------------------------------------------------------- mutations

  /** Each case brings fresh fixtures (made by the training coordinator) to the state the mutation needs. */
  const MUTATIONS: MutationCase[] = [
    {
      name: 'createTrainingModule',
      allowed: MANAGERS,
      prepare: async () => ({
        query: CREATE_MODULE,
        variables: { input: moduleInput() },
        streams: [],
        written: (data) => data.createTrainingModule.trainingModule.id as string,
      }),
    },
    {
      name: 'publishTrainingModule',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await f.draftModule();
        return { query: PUBLISH_MODULE, variables: { id }, streams: [id] };
      },
    },
    {
      name: 'retireTrainingModule',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await f.publishedModule();
        return { query: RETIRE_MODULE, variables: { id }, streams: [id] };
      },
    },
    {
      name: 'scheduleTrainingSession (MA-06)',
      allowed: SESSION_WRITERS,
      prepare: async () => ({
        query: SCHEDULE,
        variables: { input: sessionInput(moduleId) },
        streams: [moduleId],
        written: (data) => data.scheduleTrainingSession.trainingSession.id as string,
      }),
    },
    {
      name: 'enrolParticipant',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.scheduled(moduleId);
        return { query: ENROL, variables: { id: s.id, input: personInput() }, streams: [s.id] };
      },
    },
    {
      name: 'withdrawParticipant',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.withParticipant(moduleId);
        return { query: WITHDRAW, variables: { id: s.id, p: s.participant.id }, streams: [s.id] };
      },
    },
    {
      name: 'startTrainingSession',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.withParticipant(moduleId);
        return { query: START, variables: { id: s.id }, streams: [s.id] };
      },
    },
    {
      name: 'recordAttendance',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.inProgress(moduleId);
        return { query: ATTEND, variables: { id: s.id, day: DAY, present: [s.participant.id] }, streams: [s.id] };
      },
    },
    {
      name: 'recordAssessment',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.inProgress(moduleId);
        return { query: ASSESS, variables: { id: s.id, p: s.participant.id, phase: 'POST', score: 75 }, streams: [s.id] };
      },
    },
    {
      name: 'completeTrainingSession',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.inProgress(moduleId);
        return { query: COMPLETE, variables: { id: s.id }, streams: [s.id] };
      },
    },
    {
      name: 'cancelTrainingSession',
      allowed: SESSION_WRITERS,
      prepare: async () => {
        const s = await f.withParticipant(moduleId);
        return { query: CANCEL, variables: { id: s.id, reason: 'Salle indisponible' }, streams: [s.id] };
      },
    },
    {
      name: 'revokeCertificate',
      allowed: DIRECTOR,
      prepare: async () => {
        const s = await f.completed(moduleId);
        return {
          query: REVOKE,
          variables: { id: s.id, code: s.code, reason: 'Fraude à l’évaluation' },
          streams: [s.id],
          check: async (allowed) => {
            // (with a token: anonymous verification is rate-limited per address, and this runs for every user)
            const verify = () => stack.gql<{ verifyCertificate: { revokedAt: string | null } }>(tokens.viewer, VERIFY, { code: s.code });
            // the verification reads the session's view, which follows the store
            if (allowed)
              await eventually(
                'the revocation shows in the verification',
                async () => (await verify()).data?.verifyCertificate?.revokedAt != null,
              );
            const verified = await verify();
            expect(verified.errors).toBeUndefined();
            expect(verified.data!.verifyCertificate.revokedAt === null).toBe(!allowed);
          },
        };
      },
    },
    {
      name: 'erasePerson',
      allowed: ERASERS,
      prepare: async () => {
        const s = await f.withParticipant(moduleId);
        return {
          query: ERASE,
          variables: { p: s.participant.personId },
          streams: [s.id],
          check: async (allowed, data) => {
            // erasure destroys a key, not an event: the session keeps its version either way
            expect(await streamVersion(stack, s.id)).toBe(s.version);
            if (allowed) expect(data!.erasePerson).toEqual({ personId: s.participant.personId, erased: true });
            const read = await f.ok(SESSION, { id: s.id, min: s.position });
            expect(read.trainingSession.participants).toEqual([
              { ...s.participant, fullName: allowed ? '[erased]' : s.participant.fullName, status: 'ENROLLED' },
            ]);
          },
        };
      },
    },
  ];

  describe.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    it.each(DEV_USERS.map((u) => [u, m.allowed.includes(u) ? 'allowed' : 'FORBIDDEN'] as const))('as %s: %s', async (user, expected) => {
      const call = await m.prepare();
      const versions = await Promise.all(call.streams.map((s) => streamVersion(stack, s)));
      const events = await store.events();

      const r = await stack.gql(tokens[user], call.query, call.variables);

      if (expected === 'allowed') {
        expect(r.errors?.[0]?.extensions?.code).not.toBe('FORBIDDEN');
        expect(r.errors).toBeUndefined();
        if (call.written) expect(await streamVersion(stack, call.written(r.data!))).toBeGreaterThan(0);
        else if (m.name !== 'erasePerson') expect(await streamVersion(stack, call.streams[0])).toBeGreaterThan(versions[0]);
        if (m.name !== 'erasePerson') expect(await store.events()).toBeGreaterThan(events);
      } else {
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(r.data ?? null).toBeNull();
        expect(await Promise.all(call.streams.map((s) => streamVersion(stack, s)))).toEqual(versions);
        expect(await store.events()).toBe(events);
      }
      await call.check?.(expected === 'allowed', r.data);
    });
  });

  it('refuses the officer of MA-01 a session it schedules in MA-06, and allows it one in MA-01', async () => {
    const events = await store.events();
    const refused = await stack.gql(tokens['regional-officer'], SCHEDULE, { input: sessionInput(moduleId, { region: 'MA-06' }) });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await store.events()).toBe(events);
    const own = await stack.gql(tokens['regional-officer'], SCHEDULE, { input: sessionInput(moduleId, { region: 'MA-01' }) });
    expect(own.errors).toBeUndefined();
    expect(own.data!.scheduleTrainingSession.trainingSession).toMatchObject({ region: 'MA-01', status: 'SCHEDULED' });
  });

  // ---------------------------------------------------------------- participant lists

  describe('reading a session of MA-06', () => {
    const READERS = [...MANAGERS, 'regional-officer-ma06'] as readonly DevUser[];
    let id: string;
    let min: string;
    const names: string[] = [];

    beforeAll(async () => {
      const s = await f.scheduled(moduleId, { capacity: 2 });
      id = s.id;
      for (let i = 0; i < 3; i++) {
        const e = await f.enrolled(id);
        names.push(e.participant.fullName);
        min = e.position;
      }
    });

    it.each(DEV_USERS.map((u) => [u, READERS.includes(u) ? 'the names' : 'the counts only'] as const))(
      'as %s: reads %s',
      async (user, reads) => {
        const counts = await stack.gql(tokens[user], SESSION_COUNTS_Q, { id, min });
        expect(counts.errors).toBeUndefined();
        expect(counts.data!.trainingSession).toMatchObject({ id, enrolledCount: 2, waitingCount: 1, enrolledBreakdown: { total: 2 } });

        const participants = await stack.gql(tokens[user], PARTICIPANT_NAMES, { id, min });
        const waiting = await stack.gql(tokens[user], WAITING_NAMES, { id, min });
        if (reads === 'the names') {
          expect(participants.errors).toBeUndefined();
          expect(participants.data!.trainingSession.participants).toEqual(names.slice(0, 2).map((fullName) => ({ fullName })));
          expect(waiting.errors).toBeUndefined();
          expect(waiting.data!.trainingSession.waitingList).toEqual([{ fullName: names[2] }]);
        } else {
          for (const r of [participants, waiting]) {
            expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
            expect(JSON.stringify(r)).not.toContain(names[0].split(' ')[0]);
          }
        }
      },
    );
  });

  // ---------------------------------------------------------------- without a token

  describe('without a token', () => {
    let session: { id: string; position: string; participant: { id: string; personId: string } };
    beforeAll(async () => {
      session = await f.withParticipant(moduleId);
    });

    const ANONYMOUS: [string, string, () => Record<string, unknown>][] = [
      ['createTrainingModule', CREATE_MODULE, () => ({ input: moduleInput() })],
      ['publishTrainingModule', PUBLISH_MODULE, () => ({ id: moduleId })],
      ['retireTrainingModule', RETIRE_MODULE, () => ({ id: moduleId })],
      ['scheduleTrainingSession', SCHEDULE, () => ({ input: sessionInput(moduleId) })],
      ['enrolParticipant', ENROL, () => ({ id: session.id, input: personInput() })],
      ['withdrawParticipant', WITHDRAW, () => ({ id: session.id, p: session.participant.id })],
      ['startTrainingSession', START, () => ({ id: session.id })],
      ['recordAttendance', ATTEND, () => ({ id: session.id, day: DAY, present: [session.participant.id] })],
      ['recordAssessment', ASSESS, () => ({ id: session.id, p: session.participant.id, phase: 'PRE', score: 50 })],
      ['completeTrainingSession', COMPLETE, () => ({ id: session.id })],
      ['cancelTrainingSession', CANCEL, () => ({ id: session.id, reason: 'Anonyme' })],
      ['revokeCertificate', REVOKE, () => ({ id: session.id, code: 'AAAAAA-AAAAAA-AAAAAA-AAAAAA', reason: 'Anonyme' })],
      ['erasePerson', ERASE, () => ({ p: session.participant.personId })],
      ['trainingSession', SESSION_COUNTS_Q, () => ({ id: session.id })],
      ['trainingModule', MODULE, () => ({ id: moduleId })],
    ];

    it.each(ANONYMOUS)('refuses %s as UNAUTHENTICATED, and writes nothing', async (_name, query, variables) => {
      const events = await store.events();
      const r = await stack.gql(undefined, query, variables());
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(r.data ?? null).toBeNull();
      expect(await store.events()).toBe(events);
    });

    it('still lets anyone verify a certificate', async () => {
      const r = await graphql(`${stack.gateway.url}/graphql`, VERIFY, { code: 'ZZZZZZ-ZZZZZZ-ZZZZZZ-ZZZZZZ' });
      expect(r.errors).toBeUndefined();
      expect(r.data!.verifyCertificate).toBeNull();
    });

    it('leaves the person readable', async () => {
      const read = await f.ok(SESSION, { id: session.id, min: session.position });
      expect(read.trainingSession.participants).toHaveLength(1);
      expect(read.trainingSession.participants[0].fullName).not.toBe('[erased]');
    });
  });

  // ---------------------------------------------------------------- bad input and stale versions

  describe('bad input and stale versions change nothing', () => {
    const coordinator = (query: string, variables: Record<string, unknown>) => stack.gql(tokens['training-coordinator'], query, variables);

    /** Runs `call` and expects its error, with every stream of `streams` and the store's event count unchanged. */
    async function refused(
      call: () => Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>,
      expected: Record<string, unknown>,
      streams: string[],
    ) {
      const versions = await Promise.all(streams.map((s) => streamVersion(stack, s)));
      const events = await store.events();
      const r = await call();
      expect(r.errors?.[0]?.extensions).toMatchObject(expected);
      expect(await Promise.all(streams.map((s) => streamVersion(stack, s)))).toEqual(versions);
      expect(await store.events()).toBe(events);
    }

    it.each([
      ['an unknown region', { region: 'MA-99' }],
      ['endDate before startDate', { startDate: '2026-05-10', endDate: '2026-05-09' }],
      ['capacity 0', { capacity: 0 }],
      ['no trainer', { trainers: [] }],
      ['a pass mark of 101', { passMark: 101 }],
    ])('refuses to schedule with %s as BAD_USER_INPUT', async (_name, over) => {
      await refused(() => coordinator(SCHEDULE, { input: sessionInput(moduleId, over) }), { code: 'BAD_USER_INPUT' }, [moduleId]);
    });

    it('refuses to schedule from a DRAFT module (training.schedule.requires-published-module)', async () => {
      const draft = await f.draftModule();
      await refused(
        () => coordinator(SCHEDULE, { input: sessionInput(draft) }),
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'training.schedule.requires-published-module' },
        [draft],
      );
    });

    it('refuses to enrol with a blank fullName as BAD_USER_INPUT', async () => {
      const s = await f.scheduled(moduleId);
      const people = await store.people();
      await refused(() => coordinator(ENROL, { id: s.id, input: personInput({ fullName: '   ' }) }), { code: 'BAD_USER_INPUT' }, [s.id]);
      expect(await store.people()).toBe(people);
    });

    it('refuses a score of 101 as BAD_USER_INPUT', async () => {
      const s = await f.inProgress(moduleId);
      await refused(() => coordinator(ASSESS, { id: s.id, p: s.participant.id, phase: 'POST', score: 101 }), { code: 'BAD_USER_INPUT' }, [
        s.id,
      ]);
    });

    it('refuses attendance on a day outside the session (training.attendance.day-outside-session)', async () => {
      const s = await f.inProgress(moduleId);
      await refused(
        () => coordinator(ATTEND, { id: s.id, day: '2026-05-05', present: [s.participant.id] }),
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'training.attendance.day-outside-session' },
        [s.id],
      );
    });

    it('refuses publishTrainingModule and retireTrainingModule with a stale expectedVersion as CONFLICT', async () => {
      // two clients saw the draft (version 1); the first publishes, the second's publish is stale
      const id = await f.draftModule();
      const seen = await streamVersion(stack, id);
      expect(seen).toBe(1);
      await f.ok(PUBLISH_MODULE, { id, v: seen });
      await refused(() => coordinator(PUBLISH_MODULE, { id, v: seen }), { code: 'CONFLICT' }, [id]);
      // and its retirement, decided on the draft it saw, too
      await refused(() => coordinator(RETIRE_MODULE, { id, v: seen }), { code: 'CONFLICT' }, [id]);
      expect((await f.ok(MODULE, { id })).trainingModule).toMatchObject({ status: 'PUBLISHED', version: seen + 1 });
    });

    it('refuses enrolParticipant with a stale expectedVersion as CONFLICT', async () => {
      const s = await f.withParticipant(moduleId);
      await refused(() => coordinator(ENROL, { id: s.id, input: personInput(), v: s.version - 1 }), { code: 'CONFLICT' }, [s.id]);
    });

    it('refuses startTrainingSession with a stale expectedVersion as CONFLICT', async () => {
      const s = await f.withParticipant(moduleId);
      await refused(() => coordinator(START, { id: s.id, v: s.version - 1 }), { code: 'CONFLICT' }, [s.id]);
      const read = await f.ok(SESSION, { id: s.id, min: s.position });
      expect(read.trainingSession).toMatchObject({ status: 'SCHEDULED', version: s.version });
    });
  });
});
