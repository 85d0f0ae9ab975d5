import { join } from 'node:path';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { PartnerCommand } from './partner.decider';
import { partnerDecider } from './partner.decider';
import type { PartnerEvent, PartnerState } from './partner.events';
import { PARTNER_EVENT_TYPES } from './partner.events';
import { PARTNERSHIPS_CONTEXT, partnerEventDefinitions, partnerEventRegistry } from './partner.registry';

const SNAPSHOT_FILE = join(__dirname, 'partner.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/partnerships/src/partner/partner.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const on = { partnerId: 'partner-5d1c' };
const meta = (): CommandMetadata => ({
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'partnership-officer' },
  correlationId: 'c-1',
});
const pii = (n: number) => ({ keyId: `key-${n}`, ciphertext: `v1.ZW5jcnlwdGVk.${n}` });

function run(commands: Array<Pick<PartnerCommand, 'type' | 'data'>>): PartnerEvent[] {
  let state: PartnerState = partnerDecider.initialState();
  const written: PartnerEvent[] = [];
  for (const command of commands) {
    const events = partnerDecider.decide({ ...command, metadata: meta() } as PartnerCommand, state);
    state = events.reduce(partnerDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const wholeLife = (): PartnerEvent[] =>
  run([
    {
      type: 'RegisterPartner',
      data: {
        ...on,
        name: { fr: 'Université Mohammed V', ar: 'جامعة محمد الخامس', en: 'Mohammed V University', zgh: 'ⵜⴰⵙⴷⴰⵡⵉⵜ' },
        type: 'UNIVERSITY',
        country: 'MA',
        contacts: [{ contactId: 'contact-1', pii: pii(1), role: 'Doyenne' }],
      },
    },
    { type: 'UpdatePartner', data: { ...on, type: 'PUBLIC_INSTITUTION' } },
    { type: 'AddContact', data: { ...on, contactId: 'contact-2', pii: pii(2) } },
    { type: 'RemoveContact', data: { ...on, contactId: 'contact-1' } },
    { type: 'DeactivatePartner', data: { ...on, reason: 'Convention échue' } },
    { type: 'ReactivatePartner', data: on },
  ]);

describe('Partner event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the partnerships context', () => {
      expect(PARTNERSHIPS_CONTEXT).toBe('partnerships');
      expect(partnerEventRegistry.context).toBe('partnerships');
      expect(partnerEventRegistry.types()).toEqual([...PARTNER_EVENT_TYPES]);
      expect(partnerEventDefinitions.map((d) => d.type)).toEqual([...PARTNER_EVENT_TYPES]);
      for (const type of PARTNER_EVENT_TYPES) expect(partnerEventRegistry.currentVersion(type)).toBe(1);
    });
  });

  describe('when a whole partner life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(PARTNER_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: partnerEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('a contact', () => {
    const [registered] = wholeLife();
    const contactOf = (contact: unknown) => ({ ...registered.data, contacts: [contact] });

    it('has no field for a name, an e-mail or a phone: those travel only encrypted, in pii', () => {
      const schema = partnerEventRegistry.schema('ContactAdded').properties?.contact;
      expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(['contactId', 'pii', 'role']);
      expect(Object.keys(schema?.properties?.pii.properties ?? {}).sort()).toEqual(['ciphertext', 'keyId']);
    });

    it('refuses plain personal data beside the pii, or inside it, in every event that carries a contact', () => {
      const plain = { contactId: 'c', pii: pii(1), email: 'k.benali@example.org' };
      expect(partnerEventRegistry.issues('PartnerRegistered', contactOf(plain))).toEqual([expect.stringContaining('email: not allowed')]);
      const inside = { contactId: 'c', pii: { ...pii(1), name: 'Karim Benali', phone: '+212600000000' } };
      expect(partnerEventRegistry.issues('ContactAdded', { ...on, contact: inside })).toHaveLength(2);
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses an unknown country, an unknown type and a partner id that is not a partner stream id', () => {
      const [registered] = wholeLife();
      expect(partnerEventRegistry.issues('PartnerRegistered', { ...registered.data, country: 'EH', type: 'CHURCH' })).toHaveLength(2);
      expect(partnerEventRegistry.issues('PartnerReactivated', { partnerId: 'agreement-1' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [partnerEventRegistry], UPDATE);
    });
  });
});
