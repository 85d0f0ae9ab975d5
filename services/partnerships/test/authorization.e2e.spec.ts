import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { DEV_USERS, devToken, eventually, startPlatformStack, testInfra, type DevUser, type PlatformStack } from '@hrp/testing';

/*
 * Who may change partnerships and who reads partners' contacts (partner.policy.ts,
 * agreement.policy.ts, the resolver), through the gateway with the real tokens of every dev user;
 * then bad input, stale versions and the erasure of a contact. A refusal writes nothing: the
 * streams it aims at keep their version, the store holds no more events, and no person or name
 * reservation is left behind.
 */

const MANAGERS = ['partnership-officer', 'director'] as const satisfies readonly DevUser[];
const ERASERS = ['director', 'admin'] as const satisfies readonly DevUser[];

const PARTNER = 'id version status name { fr } type country';
const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { ${PARTNER} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePartnerInput!, $v: Int) { updatePartner(id: $id, input: $input, expectedVersion: $v) { partner { ${PARTNER} } } }`;
const ADD_CONTACT = `mutation($id: ID!, $c: ContactInput!) { addPartnerContact(partnerId: $id, contact: $c) { partner { id version } position } }`;
const REMOVE_CONTACT = `mutation($id: ID!, $c: ID!) { removePartnerContact(partnerId: $id, contactId: $c) { partner { id version } } }`;
const ERASE_CONTACT = `mutation($id: ID!, $c: ID!) { erasePartnerContact(partnerId: $id, contactId: $c) { partnerId contactId personId erased position } }`;
const DEACTIVATE = `mutation($id: ID!, $v: Int) { deactivatePartner(id: $id, reason: "fin", expectedVersion: $v) { partner { id version status } } }`;
const REACTIVATE = `mutation($id: ID!) { reactivatePartner(id: $id) { partner { id status } } }`;
const DRAFT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { agreement { id version status } } }`;
const NEGOTIATE = `mutation($id: ID!, $v: Int) { startNegotiation(id: $id, expectedVersion: $v) { agreement { id version status } } }`;
const SIGN = `mutation($id: ID!, $on: Date!) { signAgreement(id: $id, signedOn: $on) { agreement { id status } } }`;
const ACTIVATE = `mutation($id: ID!) { activateAgreement(id: $id) { agreement { id status } } }`;
const RENEW = `mutation($id: ID!, $end: Date!) { renewAgreement(id: $id, newEndDate: $end) { agreement { id status endDate } } }`;
const TERMINATE = `mutation($id: ID!) { terminateAgreement(id: $id, reason: "fin") { agreement { id status } } }`;
const CANCEL = `mutation($id: ID!) { cancelAgreement(id: $id, reason: "abandon") { agreement { id status } } }`;
const CONTACTS = `query($id: ID!, $at: String) { partner(id: $id, minPosition: $at) { id contacts { contactId personId fullName role } } }`;
const READS = `query($id: ID!, $a: ID!) { partner(id: $id) { id name { fr } agreements { id } } agreement(id: $a) { id status partner { id } }
  partners(first: 5) { totalCount } agreementsExpiringWithin(days: 60) { id } contributionsMobilised(year: 2026) { year } }`;

const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

interface Call {
  query: string;
  variables: Record<string, unknown>;
  /** The streams a refusal must leave alone; the first is the one an allowed call writes to, unless `written` says otherwise. */
  streams: string[];
  written?: (data: Record<string, any>) => string;
}

describe('Partnerships authorization, bad input, stale versions and erasure, through the gateway with real tokens', () => {
  let stack: PlatformStack;
  let conn: mongoose.Connection;
  const tokens = {} as Record<DevUser, string>;

  beforeAll(async () => {
    stack = await startPlatformStack(['partnerships'], 15330);
    await Promise.all(DEV_USERS.map(async (u) => (tokens[u] = await devToken(u))));
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_partnerships` }).asPromise();
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  const events = async () =>
    (
      await conn
        .db!.collection('es_commits')
        .find({}, { projection: { events: 1 } })
        .toArray()
    ).reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
  const people = () => conn.db!.collection('pd_people').countDocuments();
  const names = () => conn.db!.collection('partner_names').countDocuments();
  const version = async (streamId: string) => (await stack.readStream('partnerships', streamId)).at(-1)?.streamVersion ?? 0;

  const ok = async (
    query: string,
    variables: Record<string, unknown>,
    user: DevUser = 'partnership-officer',
  ): Promise<Record<string, any>> => {
    const r = await stack.gql(tokens[user], query, variables);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const uniqueName = (label: string) => ({ fr: `${label} ${randomUUID().slice(0, 8)}` });
  const partnerInput = (over: Record<string, unknown> = {}) => ({
    name: uniqueName('Partenaire'),
    type: 'NGO',
    country: 'MA',
    contacts: [{ fullName: `Contact ${randomUUID().slice(0, 6)}`, email: 'c@example.ma', role: 'Présidente' }],
    ...over,
  });
  const partner = async () => (await ok(REGISTER, { input: partnerInput() })).registerPartner.partner.id as string;
  const inactivePartner = async () => {
    const id = await partner();
    await ok(DEACTIVATE, { id });
    return id;
  };
  const contactOf = async (id: string) => (await ok(CONTACTS, { id })).partner.contacts[0] as { contactId: string; personId: string };
  const agreementInput = (partnerId: string, over: Record<string, unknown> = {}) => ({
    partnerId,
    title: { fr: 'Convention de sensibilisation' },
    scope: { fr: 'Écoles' },
    startDate: day(0),
    endDate: day(100),
    commitmentsOurs: ['Former'],
    commitmentsTheirs: ['Accueillir'],
    ...over,
  });
  const drafted = async () => (await ok(DRAFT, { input: agreementInput(await partner()) })).draftAgreement.agreement.id as string;
  const negotiating = async () => {
    const id = await drafted();
    await ok(NEGOTIATE, { id });
    return id;
  };
  const signed = async () => {
    const id = await negotiating();
    await ok(SIGN, { id, on: day(0) });
    return id;
  };
  const active = async () => {
    const id = await signed();
    await ok(ACTIVATE, { id });
    return id;
  };

  // ---------------------------------------------------------------- mutations

  const MUTATIONS: { name: string; allowed: readonly DevUser[]; prepare(): Promise<Call> }[] = [
    {
      name: 'registerPartner',
      allowed: MANAGERS,
      prepare: async () => ({
        query: REGISTER,
        variables: { input: partnerInput() },
        streams: [],
        written: (d) => d.registerPartner.partner.id as string,
      }),
    },
    {
      name: 'updatePartner',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await partner();
        return { query: UPDATE, variables: { id, input: { name: uniqueName('Renommé'), country: 'TN' } }, streams: [id] };
      },
    },
    {
      name: 'addPartnerContact',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await partner();
        return { query: ADD_CONTACT, variables: { id, c: { fullName: `Nouvelle ${randomUUID().slice(0, 6)}` } }, streams: [id] };
      },
    },
    {
      name: 'removePartnerContact',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await partner();
        return { query: REMOVE_CONTACT, variables: { id, c: (await contactOf(id)).contactId }, streams: [id] };
      },
    },
    {
      name: 'erasePartnerContact',
      allowed: ERASERS,
      prepare: async () => {
        const id = await partner();
        return { query: ERASE_CONTACT, variables: { id, c: (await contactOf(id)).contactId }, streams: [id] };
      },
    },
    {
      name: 'deactivatePartner',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await partner();
        return { query: DEACTIVATE, variables: { id }, streams: [id] };
      },
    },
    {
      name: 'reactivatePartner',
      allowed: MANAGERS,
      prepare: async () => {
        const id = await inactivePartner();
        return { query: REACTIVATE, variables: { id }, streams: [id] };
      },
    },
    {
      name: 'draftAgreement',
      allowed: MANAGERS,
      prepare: async () => {
        const p = await partner();
        return {
          query: DRAFT,
          variables: { input: agreementInput(p) },
          streams: [p],
          written: (d) => d.draftAgreement.agreement.id as string,
        };
      },
    },
    ...(
      [
        ['startNegotiation', NEGOTIATE, drafted, {}],
        ['signAgreement', SIGN, negotiating, { on: day(0) }],
        ['activateAgreement', ACTIVATE, signed, {}],
        ['renewAgreement', RENEW, active, { end: day(200) }],
        ['terminateAgreement', TERMINATE, active, {}],
        ['cancelAgreement', CANCEL, negotiating, {}],
      ] as const
    ).map(([name, query, fixture, extra]) => ({
      name,
      allowed: MANAGERS,
      prepare: async () => {
        const id = await fixture();
        return { query, variables: { id, ...extra }, streams: [id] };
      },
    })),
  ];

  describe.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    it.each(DEV_USERS.map((u) => [u, m.allowed.includes(u) ? 'allowed' : 'FORBIDDEN'] as const))('as %s: %s', async (user, expected) => {
      const call = await m.prepare();
      const versions = await Promise.all(call.streams.map(version));
      const [before, peopleBefore, namesBefore] = [await events(), await people(), await names()];
      const r = await stack.gql(tokens[user], call.query, call.variables);
      if (expected === 'allowed') {
        expect(r.errors).toBeUndefined();
        if (call.written) expect(await version(call.written(r.data!))).toBeGreaterThan(0);
        else expect(await version(call.streams[0])).toBeGreaterThan(versions[0]);
        expect(await events()).toBeGreaterThan(before);
      } else {
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(r.data ?? null).toBeNull();
        expect(await Promise.all(call.streams.map(version))).toEqual(versions);
        expect(await events()).toBe(before);
        expect(await people()).toBe(peopleBefore);
        expect(await names()).toBe(namesBefore);
      }
    });
  });

  // ---------------------------------------------------------------- reads

  describe('reads', () => {
    let partnerId: string;
    let agreementId: string;
    beforeAll(async () => {
      agreementId = await active();
      partnerId = (await ok(`query($id: ID!) { agreement(id: $id) { partner { id } } }`, { id: agreementId })).agreement.partner.id;
      // Reads below are of the read model: wait until it has the activation.
      await eventually(
        'the agreement ACTIVE in its read model',
        async () => (await ok(`query($id: ID!) { agreement(id: $id) { status } }`, { id: agreementId })).agreement.status === 'ACTIVE',
      );
    });

    it.each(DEV_USERS.map((u) => [u, MANAGERS.includes(u as never) ? 'the contacts' : 'no contacts'] as const))(
      'as %s: reads partners, agreements, follow-up and contributions, and %s',
      async (user, reads) => {
        const r = await stack.gql(tokens[user], READS, { id: partnerId, a: agreementId });
        expect(r.errors).toBeUndefined();
        expect(r.data!.agreement).toMatchObject({ id: agreementId, status: 'ACTIVE', partner: { id: partnerId } });
        const contacts = await stack.gql(tokens[user], CONTACTS, { id: partnerId });
        if (reads === 'the contacts') expect(contacts.data!.partner.contacts).toHaveLength(1);
        else expect(contacts.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      },
    );

    it('refuses every read and write without a token as UNAUTHENTICATED', async () => {
      const before = await events();
      for (const [q, v] of [
        [READS, { id: partnerId, a: agreementId }],
        [REGISTER, { input: partnerInput() }],
        [DEACTIVATE, { id: partnerId }],
      ] as const) {
        const r = await stack.gql(undefined, q, v);
        expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(await events()).toBe(before);
    });
  });

  // ---------------------------------------------------------------- bad input, rules, stale versions

  describe('bad input, broken rules and stale versions change nothing', () => {
    async function refused(query: string, variables: Record<string, unknown>, expected: Record<string, unknown>, streams: string[] = []) {
      const versions = await Promise.all(streams.map(version));
      const [before, peopleBefore, namesBefore] = [await events(), await people(), await names()];
      const r = await stack.gql(tokens['partnership-officer'], query, variables);
      expect(r.errors?.[0]?.extensions).toMatchObject(expected);
      expect(await Promise.all(streams.map(version))).toEqual(versions);
      expect(await events()).toBe(before);
      expect(await people()).toBe(peopleBefore);
      expect(await names()).toBe(namesBefore);
    }

    it.each([
      ['an unknown country', { country: 'XX' }, 'country'],
      ['a blank French name', { name: { fr: '   ' } }, 'name.fr'],
      ['a blank contact name', { contacts: [{ fullName: '  ' }] }, 'input.contacts'],
    ])('refuses to register a partner with %s as BAD_USER_INPUT', async (_name, over, field) => {
      await refused(REGISTER, { input: partnerInput(over) }, { code: 'BAD_USER_INPUT', field });
    });

    it('refuses an unknown partner type before the service (the enum)', async () => {
      const r = await stack.gql(tokens['partnership-officer'], REGISTER, { input: partnerInput({ type: 'CLUB' }) });
      expect(r.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    });

    it('refuses a second active partner of the same name and country (partnerships.partner.name-taken), also by renaming', async () => {
      const name = uniqueName('Observatoire');
      const first = (await ok(REGISTER, { input: partnerInput({ name }) })).registerPartner.partner.id as string;
      await refused(
        REGISTER,
        { input: partnerInput({ name: { fr: name.fr.toUpperCase() }, contacts: [] }) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.partner.name-taken' },
      );
      const other = await partner();
      await refused(UPDATE, { id: other, input: { name } }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.partner.name-taken' }, [
        other,
      ]);
      // Renamed, the first frees its old name.
      await ok(UPDATE, { id: first, input: { name: uniqueName('Observatoire renommé') } });
      expect((await ok(UPDATE, { id: other, input: { name } })).updatePartner.partner.name).toEqual(name);
    });

    it('refuses an agreement whose period ends before it starts, or with an inactive partner', async () => {
      const p = await partner();
      await refused(DRAFT, { input: agreementInput(p, { endDate: day(-1) }) }, { code: 'BAD_USER_INPUT' }, [p]);
      const gone = await inactivePartner();
      await refused(
        DRAFT,
        { input: agreementInput(gone) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.agreement.requires-active-partner' },
        [gone],
      );
      await refused(
        DRAFT,
        { input: agreementInput(`partner-${randomUUID()}`) },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.agreement.requires-active-partner' },
      );
    });

    it('refuses the lifecycle out of order with its rule id', async () => {
      const d = await drafted();
      await refused(SIGN, { id: d, on: day(0) }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.sign.requires-negotiation' }, [d]);
      await refused(TERMINATE, { id: d }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.terminate.requires-signed' }, [d]);
      const n = await negotiating();
      await refused(SIGN, { id: n, on: day(1) }, { code: 'BAD_USER_INPUT', field: 'signedOn' }, [n]);
      const a = await active();
      await refused(RENEW, { id: a, end: day(50) }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.renew.must-extend' }, [a]);
      await refused(CANCEL, { id: a }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.cancel.requires-unsigned' }, [a]);
      await ok(TERMINATE, { id: a });
      await refused(RENEW, { id: a, end: day(300) }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.agreement.closed' }, [a]);
    });

    it('refuses stale and invalid expected versions as CONFLICT / BAD_USER_INPUT', async () => {
      const p = await partner();
      await ok(UPDATE, { id: p, input: { type: 'MEDIA' }, v: 1 });
      await refused(DEACTIVATE, { id: p, v: 1 }, { code: 'CONFLICT' }, [p]);
      await refused(DEACTIVATE, { id: p, v: -1 }, { code: 'BAD_USER_INPUT', field: 'expectedVersion' }, [p]);
      expect((await ok(DEACTIVATE, { id: p, v: 2 })).deactivatePartner.partner).toMatchObject({ status: 'INACTIVE', version: 3 });
      const d = await drafted();
      await refused(NEGOTIATE, { id: d, v: 7 }, { code: 'CONFLICT' }, [d]);
      expect((await ok(NEGOTIATE, { id: d, v: 1 })).startNegotiation.agreement).toMatchObject({ status: 'UNDER_NEGOTIATION', version: 2 });
    });

    it('answers NOT_FOUND for a command on a partner or agreement that does not exist', async () => {
      await refused(DEACTIVATE, { id: `partner-${randomUUID()}` }, { code: 'NOT_FOUND' });
      await refused(NEGOTIATE, { id: `agreement-${randomUUID()}` }, { code: 'NOT_FOUND' });
    });
  });

  // ---------------------------------------------------------------- erasure

  it('erases a contact for good: removed from the partner, its key destroyed, its name no longer readable anywhere', async () => {
    const id = await partner();
    const added = await ok(ADD_CONTACT, { id, c: { fullName: 'Samira Erasable-Test', phone: '+212600000000', role: 'Trésorière' } });
    // Read our own write: without minPosition the read model may not have the contact yet.
    const contacts = (await ok(CONTACTS, { id, at: added.addPartnerContact.position })).partner.contacts as {
      contactId: string;
      personId: string;
      fullName: string;
    }[];
    const samira = contacts.find((c) => c.fullName === 'Samira Erasable-Test')!;
    const r = await ok(ERASE_CONTACT, { id, c: samira.contactId }, 'director');
    expect(r.erasePartnerContact).toMatchObject({ partnerId: id, contactId: samira.contactId, personId: samira.personId, erased: true });
    const after = (await ok(CONTACTS, { id, at: r.erasePartnerContact.position })).partner.contacts as { contactId: string }[];
    expect(after.map((c) => c.contactId)).not.toContain(samira.contactId);
    expect(await conn.db!.collection('pd_people').countDocuments({ _id: samira.personId as never })).toBe(0);
    expect(await conn.db!.collection('pd_people_erasures').countDocuments({ _id: samira.personId as never })).toBe(1);
    // The event log keeps only ciphertext: the name is in no event, and no key opens it now.
    const raw = JSON.stringify(await conn.db!.collection('es_commits').find({ streamId: id }).toArray());
    expect(raw).not.toContain('Samira');
    // Erasing again: nothing left to erase.
    expect((await ok(ERASE_CONTACT, { id, c: samira.contactId }, 'admin')).erasePartnerContact.erased).toBe(false);
    const unknown = await stack.gql(tokens.director, ERASE_CONTACT, { id, c: 'contact-nope' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
