import type { StoredEvent } from '@hrp/contracts';
import { applyUpdate } from '@hrp/messaging';
import { knownEntitiesView } from './known-entities';

/** The partners a campaign or a session may name (campaigns and training keep this view). */
const knownPartnersHandlers = knownEntitiesView({
  name: 'known_partners',
  from: 'partnerships',
  active: ['PartnerRegistered', 'PartnerReactivated'],
  inactive: ['PartnerDeactivated'],
}).handlers;

// ---------- fixtures ----------

const PARTNER_ID = 'partner-4f1e2d3c-0b9a-4c8d-8e7f-6a5b4c3d2e1f';
// Instants in the past: a handler that read the clock instead of the event would not give them.
const REGISTERED_AT = '2025-03-01T09:00:00.000Z';
const LATER = '2025-05-12T16:45:00.000Z';

/** An event of partnerships' topic, as the consumer hands it over. */
function stored(type: string, data: Record<string, unknown>, at: { version?: number; time?: string; streamId?: string } = {}): StoredEvent {
  const version = at.version ?? 1;
  return {
    streamId: at.streamId ?? PARTNER_ID,
    streamVersion: version,
    position: 900 + version,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      eventId: `event-${version}`,
      time: at.time ?? REGISTERED_AT,
      actor: { subject: 'kc-partnership-officer', username: 'partnership-officer' },
      correlationId: 'corr-1',
    },
  };
}

const registered = stored('PartnerRegistered', {
  partnerId: PARTNER_ID,
  name: { fr: 'UNICEF Maroc' },
  type: 'INTERNATIONAL_ORGANIZATION',
  country: 'MA',
  contacts: [{ contactId: 'contact-1', pii: { keyId: 'key-1', ciphertext: 'b64…' } }],
});

/** Folds events into the document, as the live path and a rebuild do (libs/messaging's applier). */
function project(events: readonly StoredEvent[]): Record<string, unknown> {
  const doc: Record<string, unknown> = { _id: PARTNER_ID };
  for (const e of events) {
    const handler = knownPartnersHandlers[e.type];
    const update = handler?.(e);
    if (update) applyUpdate(doc, update);
  }
  return doc;
}

describe('knownEntitiesView: known_partners, campaigns’ and training’s view of partnerships’ partners', () => {
  it('is fed by the owner context’s topic', () => {
    expect(knownEntitiesView({ name: 'known_partners', from: 'partnerships', active: [], inactive: [] })).toMatchObject({
      name: 'known_partners',
      from: ['partnerships'],
    });
  });

  describe('when a partner is registered', () => {
    it('knows it as ACTIVE, and keeps nothing else of the event (no name, no contact)', () => {
      expect(project([registered])).toEqual({ _id: PARTNER_ID, status: 'ACTIVE', updatedAt: REGISTERED_AT });
    });
  });

  describe('when it is deactivated', () => {
    it('knows it as INACTIVE', () => {
      const deactivated = stored(
        'PartnerDeactivated',
        { partnerId: PARTNER_ID, reason: 'Fin de coopération' },
        { version: 2, time: LATER },
      );
      expect(project([registered, deactivated])).toMatchObject({ status: 'INACTIVE', updatedAt: LATER });
    });
  });

  describe('when it is reactivated', () => {
    it('knows it as ACTIVE again', () => {
      const events = [
        registered,
        stored('PartnerDeactivated', { partnerId: PARTNER_ID }, { version: 2 }),
        stored('PartnerReactivated', { partnerId: PARTNER_ID }, { version: 3, time: LATER }),
      ];
      expect(project(events)).toMatchObject({ status: 'ACTIVE', updatedAt: LATER });
    });
  });

  describe('for the other events of the topic', () => {
    it.each([
      ['PartnerUpdated', { partnerId: PARTNER_ID, name: { fr: 'UNICEF' } }],
      ['ContactAdded', { partnerId: PARTNER_ID, contact: { contactId: 'contact-2', pii: { keyId: 'k', ciphertext: 'c' } } }],
      ['ContactRemoved', { partnerId: PARTNER_ID, contactId: 'contact-1' }],
      ['AgreementDrafted', { agreementId: 'agreement-1', partnerId: PARTNER_ID }],
    ])('writes nothing for %s', (type, data) => {
      const handler = knownPartnersHandlers[type];
      expect(handler?.(stored(type, data, { version: 2 })) ?? null).toBeNull();
    });
  });
});
