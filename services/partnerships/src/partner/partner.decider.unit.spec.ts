import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { PartnerCommand, RegisterPartner } from './partner.decider';
import { PartnerRules, partnerDecider } from './partner.decider';
import type { Contact, PartnerEvent, PartnerRegistered } from './partner.events';
import { heldNameKey, partnerNameKey } from './partner.events';

// ---------- fixtures ----------

const PARTNER_ID = 'partner-3f1a9c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const NAME = { fr: 'Association Adala pour le droit à un procès équitable', ar: 'جمعية عدالة' };
const meta = (): CommandMetadata => ({
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-partnership-officer', username: 'partnership-officer' },
  correlationId: 'corr-1',
});
const spec = DeciderSpecification.for(partnerDecider);
const on = { partnerId: PARTNER_ID };
const contact = (n: number, role?: string): Contact => ({
  contactId: `contact-${n}`,
  pii: { keyId: `key-${n}`, ciphertext: `v1.c2VjcmV0.${n}` },
  ...(role !== undefined ? { role } : {}),
});

const register = (data: Partial<RegisterPartner['data']> = {}): RegisterPartner => ({
  type: 'RegisterPartner',
  data: { ...on, name: NAME, type: 'NGO', country: 'MA', contacts: [contact(1, 'Présidente')], ...data },
  metadata: meta(),
});
const update = (data: Record<string, unknown>): PartnerCommand => ({ type: 'UpdatePartner', data: { ...on, ...data }, metadata: meta() });
const addContact = (n: number, role?: string | null): PartnerCommand => ({
  type: 'AddContact',
  data: { ...on, ...contact(n), ...(role !== undefined ? { role } : {}) },
  metadata: meta(),
});
const removeContact = (n: number): PartnerCommand => ({
  type: 'RemoveContact',
  data: { ...on, contactId: `contact-${n}` },
  metadata: meta(),
});
const deactivate = (reason?: string | null): PartnerCommand => ({
  type: 'DeactivatePartner',
  data: { ...on, ...(reason !== undefined ? { reason } : {}) },
  metadata: meta(),
});
const reactivate = (): PartnerCommand => ({ type: 'ReactivatePartner', data: on, metadata: meta() });

const registered = (data: Partial<PartnerRegistered['data']> = {}): PartnerRegistered => ({
  type: 'PartnerRegistered',
  data: { ...on, name: NAME, type: 'NGO', country: 'MA', contacts: [contact(1, 'Présidente')], ...data },
});
const deactivated: PartnerEvent = { type: 'PartnerDeactivated', data: { ...on, reason: 'Dissoute' } };
const contactRemoved = (n: number): PartnerEvent => ({ type: 'ContactRemoved', data: { ...on, contactId: `contact-${n}` } });

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

describe('Partner', () => {
  describe('when the stream is new', () => {
    it('registers an active partner with its encrypted contacts', () => {
      spec.given([]).when(register()).then([registered()]);
    });

    it('registers a partner without contacts, trimming the role and dropping anything but the three contact fields', () => {
      spec.when(register({ contacts: null })).then([registered({ contacts: [] })]);
      const withExtra = { ...contact(2), role: '  Chargé de programme ', fullName: 'Karim Benali' } as never;
      spec.when(register({ contacts: [withExtra] })).then([registered({ contacts: [contact(2, 'Chargé de programme')] })]);
    });

    const invalid: Array<[string, Partial<RegisterPartner['data']>, string]> = [
      ['a partner id without the partner- prefix', { partnerId: '3f1a' }, 'partnerId'],
      ['a blank French name', { name: { fr: '  ' } }, 'name.fr'],
      ['a name longer than 300 characters', { name: { fr: 'x'.repeat(301) } }, 'name.fr'],
      ['an unknown type', { type: 'CHURCH' as never }, 'type'],
      ['an unknown country', { country: 'XX' }, 'country'],
      ['a country in lower case', { country: 'ma' }, 'country'],
      ['a country of three letters', { country: 'MAR' }, 'country'],
      ['a contact without a key id', { contacts: [{ contactId: 'c', pii: { keyId: '', ciphertext: 'x' } }] }, 'contacts.pii.keyId'],
      ['a contact without ciphertext', { contacts: [{ contactId: 'c', pii: { keyId: 'k' } } as never] }, 'contacts.pii.ciphertext'],
      ['a contact without an id', { contacts: [{ contactId: ' ', pii: { keyId: 'k', ciphertext: 'x' } }] }, 'contacts.contactId'],
      ['the same contact twice', { contacts: [contact(1), contact(1)] }, 'contacts'],
      ['more than 50 contacts', { contacts: Array.from({ length: 51 }, (_, i) => contact(i)) }, 'contacts'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(register(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it.each([
      ['UpdatePartner', update({ type: 'MEDIA' })],
      ['AddContact', addContact(2)],
      ['RemoveContact', removeContact(1)],
      ['DeactivatePartner', deactivate()],
      ['ReactivatePartner', reactivate()],
    ])('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('when registered (active)', () => {
    it('refuses a second registration', () => {
      spec.given([registered()]).when(register()).thenThrows(IllegalStateError, ruleOf(PartnerRules.registerAlreadyExists));
    });

    it('writes only the fields that change', () => {
      spec
        .given([registered()])
        .when(update({ name: NAME, type: 'UNIVERSITY', country: 'MA' }))
        .then([{ type: 'PartnerUpdated', data: { ...on, type: 'UNIVERSITY' } }]);
      spec
        .given([registered()])
        .when(update({ name: { fr: 'Adala', en: 'Adala', ar: null }, country: 'FR', type: null }))
        .then([{ type: 'PartnerUpdated', data: { ...on, name: { fr: 'Adala', en: 'Adala' }, country: 'FR' } }]);
    });

    it('ignores an update that changes nothing', () => {
      spec
        .given([registered()])
        .when(update({ name: { ...NAME }, type: 'NGO' }))
        .thenNothingHappened();
      spec.given([registered()]).when(update({})).thenNothingHappened();
    });

    it('refuses an update to an unknown country', () => {
      spec
        .given([registered()])
        .when(update({ country: 'EH' }))
        .thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });

    it('adds a contact, with or without a role', () => {
      spec
        .given([registered()])
        .when(addContact(2, ' Juriste '))
        .then([{ type: 'ContactAdded', data: { ...on, contact: contact(2, 'Juriste') } }]);
      spec
        .given([registered()])
        .when(addContact(2, null))
        .then([{ type: 'ContactAdded', data: { ...on, contact: contact(2) } }]);
    });

    it('treats a reused contact id as an adapter bug', () => {
      spec
        .given([registered()])
        .when(addContact(1))
        .thenThrows(Error, { message: /already used/ });
      spec
        .given([registered(), contactRemoved(1)])
        .when(addContact(1))
        .thenThrows(Error, { message: /already used/ });
    });

    it('removes a contact, ignores removing it again, and refuses an unknown one as NOT_FOUND', () => {
      spec
        .given([registered()])
        .when(removeContact(1))
        .then([contactRemoved(1)]);
      spec
        .given([registered(), contactRemoved(1)])
        .when(removeContact(1))
        .thenNothingHappened();
      spec.given([registered()]).when(removeContact(9)).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('is deactivated, with or without a reason', () => {
      spec.given([registered()]).when(deactivate(' Dissoute ')).then([deactivated]);
      spec
        .given([registered()])
        .when(deactivate(null))
        .then([{ type: 'PartnerDeactivated', data: on }]);
    });

    it('ignores a reactivation', () => {
      spec.given([registered()]).when(reactivate()).thenNothingHappened();
    });
  });

  describe('when inactive', () => {
    it('ignores a second deactivation', () => {
      spec.given([registered(), deactivated]).when(deactivate('Encore')).thenNothingHappened();
    });

    it('is reactivated', () => {
      spec
        .given([registered(), deactivated])
        .when(reactivate())
        .then([{ type: 'PartnerReactivated', data: on }]);
    });

    it('refuses a new contact but still removes one (minimum data)', () => {
      spec
        .given([registered(), deactivated])
        .when(addContact(2))
        .thenThrows(IllegalStateError, ruleOf(PartnerRules.contactRequiresActivePartner));
      spec
        .given([registered(), deactivated])
        .when(removeContact(1))
        .then([contactRemoved(1)]);
    });

    it('is still corrected', () => {
      spec
        .given([registered(), deactivated])
        .when(update({ type: 'MEDIA' }))
        .then([{ type: 'PartnerUpdated', data: { ...on, type: 'MEDIA' } }]);
    });
  });
});

describe('The name key of a partner (uniqueness, reserved by the adapter)', () => {
  it('ignores case, accents, blanks and the kind of apostrophe, and keeps the country apart', () => {
    const key = partnerNameKey({ fr: 'Université Mohammed V' }, 'MA');
    expect(key).toBe('MA:universitemohammedv');
    expect(partnerNameKey({ fr: '  UNIVERSITE  mohammed v ' }, 'MA')).toBe(key);
    expect(partnerNameKey({ fr: 'Universite\u0301 Mohammed V' }, 'MA')).toBe(key);
    expect(partnerNameKey({ fr: 'Université Mohammed V' }, 'FR')).not.toBe(key);
    expect(partnerNameKey({ fr: 'L’Observatoire' }, 'MA')).toBe(partnerNameKey({ fr: "l'observatoire" }, 'MA'));
    expect(partnerNameKey({ fr: 'Université Mohammed VI' }, 'MA')).not.toBe(key);
  });

  it('uses the French name only', () => {
    expect(partnerNameKey({ fr: 'Adala', ar: 'عدالة' } as { fr: string }, 'MA')).toBe('MA:adala');
  });

  it('is held by an active partner only', () => {
    const active = [registered()].reduce(partnerDecider.evolve, partnerDecider.initialState());
    const inactive = partnerDecider.evolve(active, deactivated);
    expect(heldNameKey(active)).toBe(partnerNameKey(NAME, 'MA'));
    expect(heldNameKey(inactive)).toBeUndefined();
    expect(heldNameKey(partnerDecider.initialState())).toBeUndefined();
  });
});
