import type { StoredEvent } from '@hrp/contracts';
import { listKeys, searchFields } from '@hrp/context-kit';
import type { ProjectionHandler } from '@hrp/messaging';
import type { PartnerEvent } from '../partner.events';

/** Name of the read model (collections `partner_view__v<generation>`). */
export const PARTNER_VIEW = 'partner_view';

/** One document per partner, listed in registration order. Contacts stay encrypted (personal data). */
export interface PartnerViewDoc {
  _id: string;
  _version: number;
  _position: number;
  registeredPosition: number;
  listBucket: number;
  listBlock: number;
  name: { fr: string; ar?: string; en?: string; zgh?: string };
  searchTerms: string[];
  searchWords: string;
  type: string;
  country: string;
  status: string;
  contacts: Record<string, { contactId: string; pii: { keyId: string; ciphertext: string }; role?: string }>;
  contactOrder: string[];
  deactivationReason?: string;
  updatedAt: string;
}

type Of<T extends PartnerEvent['type']> = Extract<PartnerEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });
const searchOf = (t: { fr: string; ar?: string; en?: string; zgh?: string }) => searchFields([t.fr, t.ar, t.en, t.zgh]);

export const partnerViewHandlers: Record<PartnerEvent['type'], ProjectionHandler> = {
  PartnerRegistered: (e) => {
    const d = e.data as Of<'PartnerRegistered'>;
    return {
      $set: {
        registeredPosition: e.position,
        ...listKeys(e.position),
        name: d.name,
        ...searchOf(d.name),
        type: d.type,
        country: d.country,
        status: 'ACTIVE',
        contacts: Object.fromEntries(d.contacts.map((c) => [c.contactId, c])),
        contactOrder: d.contacts.map((c) => c.contactId),
        ...touched(e),
      },
    };
  },
  PartnerUpdated: (e) => {
    const d = e.data as Of<'PartnerUpdated'>;
    return {
      $set: {
        ...(d.name !== undefined ? { name: d.name, ...searchOf(d.name) } : {}),
        ...(d.type !== undefined ? { type: d.type } : {}),
        ...(d.country !== undefined ? { country: d.country } : {}),
        ...touched(e),
      },
    };
  },
  ContactAdded: (e) => {
    const d = e.data as Of<'ContactAdded'>;
    return {
      $set: { [`contacts.${d.contact.contactId}`]: d.contact, ...touched(e) },
      $push: { contactOrder: d.contact.contactId },
    } as never;
  },
  ContactRemoved: (e) => ({ $set: { [`contacts.${(e.data as Of<'ContactRemoved'>).contactId}.removed`]: true, ...touched(e) } }),
  PartnerDeactivated: (e) => {
    const d = e.data as Of<'PartnerDeactivated'>;
    return { $set: { status: 'INACTIVE', ...(d.reason !== undefined ? { deactivationReason: d.reason } : {}), ...touched(e) } };
  },
  PartnerReactivated: (e) => ({ $set: { status: 'ACTIVE', ...touched(e) } }),
};
