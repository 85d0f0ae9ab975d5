import type { DomainEvent } from '@hrp/domain-kit';
import type { LocalizedText } from '@hrp/contracts';
import type { CountryCode } from './countries';

/*
 * Partnerships — partners (docs/domain.md, "Partnerships"): the events of one partner stream, the
 * state they fold into, and read helpers over it. Event data is plain JSON; optional fields are
 * absent, never null or undefined.
 *
 * Personal data (law 09-08): a contact person is written as an opaque `contactId` (made by the
 * adapter), their name, e-mail and phone encrypted by the adapter with that person's own key
 * (`pii`), and an optional role (a function, e.g. "chargée de programme", not a person). The
 * domain never sees a readable name. Erasing a contact destroys the key: the ciphertext stays in
 * the log, unreadable (crypto-shredding), as for training's participants.
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

export const PARTNER_TYPES = ['NGO', 'UNIVERSITY', 'INTERNATIONAL_ORGANIZATION', 'PUBLIC_INSTITUTION', 'MEDIA', 'PRIVATE_SECTOR'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export type PartnerStatus = 'ACTIVE' | 'INACTIVE';

/** Partner ids are their stream ids: `partner-<uuid>`. */
export const PARTNER_ID_PREFIX = 'partner-';

/** The stream id of a partner from a fresh uuid (or any id suffix). */
export function partnerStreamId(uuid: string): string {
  return `${PARTNER_ID_PREFIX}${uuid}`;
}

/**
 * A contact's name, e-mail and phone, encrypted by the adapter with the person's key (`keyId`).
 * Opaque to the domain: it is stored and handed back, never read.
 */
export interface EncryptedPii {
  readonly keyId: string;
  readonly ciphertext: string;
}

/** A contact person of a partner, as events and the state hold it (no readable personal data). */
export interface Contact {
  readonly contactId: string;
  readonly pii: EncryptedPii;
  readonly role?: string;
}

// ---------- events ----------

export type PartnerRegistered = DomainEvent<
  'PartnerRegistered',
  {
    readonly partnerId: string;
    readonly name: LocalizedText;
    readonly type: PartnerType;
    readonly country: CountryCode;
    readonly contacts: readonly Contact[];
  }
>;

/** The fields that changed, with their new values (at least one). */
export type PartnerUpdated = DomainEvent<
  'PartnerUpdated',
  { readonly partnerId: string; readonly name?: LocalizedText; readonly type?: PartnerType; readonly country?: CountryCode }
>;

export type ContactAdded = DomainEvent<'ContactAdded', { readonly partnerId: string; readonly contact: Contact }>;

export type ContactRemoved = DomainEvent<'ContactRemoved', { readonly partnerId: string; readonly contactId: string }>;

export type PartnerDeactivated = DomainEvent<'PartnerDeactivated', { readonly partnerId: string; readonly reason?: string }>;

export type PartnerReactivated = DomainEvent<'PartnerReactivated', { readonly partnerId: string }>;

export type PartnerEvent = PartnerRegistered | PartnerUpdated | ContactAdded | ContactRemoved | PartnerDeactivated | PartnerReactivated;

export type PartnerEventType = PartnerEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const PARTNER_EVENT_TYPES = [
  'PartnerRegistered',
  'PartnerUpdated',
  'ContactAdded',
  'ContactRemoved',
  'PartnerDeactivated',
  'PartnerReactivated',
] as const satisfies readonly PartnerEventType[];

// ---------- state ----------

/** A partner that exists. JSON-safe, so that it can be snapshotted. */
export interface Partner {
  readonly status: PartnerStatus;
  readonly id: string;
  readonly name: LocalizedText;
  readonly type: PartnerType;
  readonly country: CountryCode;
  /** The current contacts, in the order they were added. */
  readonly contacts: readonly Contact[];
  /** Ids of the contacts removed (so that removing one again is a no-op, not NOT_FOUND). */
  readonly removedContactIds: readonly string[];
  /** Set while INACTIVE, when a reason was given. */
  readonly deactivationReason?: string;
}

/** The state of a stream with no event yet. */
export interface NoPartner {
  readonly status: 'NOT_CREATED';
}

export type PartnerState = NoPartner | Partner;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const PARTNER_STATE_SCHEMA_VERSION = 1;

export function initialState(): PartnerState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: PartnerState, event: PartnerEvent): PartnerState {
  if (event.type === 'PartnerRegistered') {
    const { partnerId, ...fields } = event.data;
    return { status: 'ACTIVE', id: partnerId, ...fields, removedContactIds: [] };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a partner.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'PartnerUpdated': {
      const { partnerId: _partnerId, ...changes } = event.data;
      return { ...state, ...changes };
    }
    case 'ContactAdded':
      return { ...state, contacts: [...state.contacts, event.data.contact] };
    case 'ContactRemoved': {
      const { contactId } = event.data;
      return {
        ...state,
        contacts: state.contacts.filter((c) => c.contactId !== contactId),
        removedContactIds: [...state.removedContactIds, contactId],
      };
    }
    case 'PartnerDeactivated': {
      const { reason } = event.data;
      return { ...state, status: 'INACTIVE', ...(reason !== undefined ? { deactivationReason: reason } : {}) };
    }
    case 'PartnerReactivated': {
      const { deactivationReason: _reason, ...rest } = state;
      return { ...rest, status: 'ACTIVE' };
    }
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

// ---------- read helpers over the state ----------

/** Whether the partner was registered. */
export function exists(state: PartnerState): state is Partner {
  return state.status !== 'NOT_CREATED';
}

/** Whether agreements may be drafted with the partner. */
export function isActive(state: PartnerState): state is Partner {
  return state.status === 'ACTIVE';
}

export function findContact(partner: Pick<Partner, 'contacts'>, contactId: string): Contact | undefined {
  return partner.contacts.find((c) => c.contactId === contactId);
}

// ---------- uniqueness of active partners (decided by the adapter) ----------

/*
 * "No two active partners with the same normalised name and country" spans streams, so no single
 * partner stream can decide it. The adapter reserves the key below (a unique index of the
 * partnerships store, written in the same transaction as the append, or a reservation stream
 * `partner-name-<key>`) before it appends PartnerRegistered, PartnerReactivated, or a
 * PartnerUpdated that changes the name or the country, and releases it on PartnerDeactivated and
 * on such a change (the key `heldNameKey` gives before and after). A taken key is refused with
 * `PartnerRules.nameTaken`. None of that is built here: the domain only defines the key.
 */

/** Apostrophes as typed on different keyboards, all read as `'`. */
const APOSTROPHES = /[\u2019\u2018\u02BC\u0060\u00B4]/gu;

/**
 * The key that identifies a partner for the uniqueness rule: the French name (always present)
 * with case, accents (any combining mark, Arabic vowel signs included) and blanks ignored and
 * apostrophes unified, in NFC, prefixed by the country. E.g. `partnerNameKey({ fr: ' Université
 * Mohammed V ' }, 'MA')` and `partnerNameKey({ fr: 'UNIVERSITE MOHAMMED  V' }, 'MA')` are both
 * `MA:universitemohammedv`.
 */
export function partnerNameKey(name: Pick<LocalizedText, 'fr'>, country: string): string {
  const folded = name.fr
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, "'")
    .toLowerCase()
    .replace(/\s+/gu, '')
    .normalize('NFC');
  return `${country}:${folded}`;
}

/** The name key an ACTIVE partner holds (undefined for an inactive or unknown one, which holds none). */
export function heldNameKey(state: PartnerState): string | undefined {
  return isActive(state) ? partnerNameKey(state.name, state.country) : undefined;
}
