import type { Command, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { LocalizedText } from '@hrp/contracts';
import { validateLocalizedText } from '@hrp/contracts';
import type { CountryCode } from './countries';
import { COUNTRY_CODES, isCountryCode } from './countries';
import type { Contact, EncryptedPii, Partner, PartnerEvent, PartnerState, PartnerType } from './partner.events';
import {
  PARTNER_ID_PREFIX,
  PARTNER_STATE_SCHEMA_VERSION,
  PARTNER_TYPES,
  evolve,
  exists,
  findContact,
  initialState,
} from './partner.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const PartnerRules = {
  registerAlreadyExists: 'partnerships.partner.register.already-exists',
  /** Contacts are added to an active partner only (removing one is always allowed: minimum data). */
  contactRequiresActivePartner: 'partnerships.contact.requires-active-partner',
  /**
   * Raised by the adapter, not by `decide`: another ACTIVE partner holds the same `partnerNameKey`
   * (see partner.events.ts). Defined here so that every adapter refuses with the same id.
   */
  nameTaken: 'partnerships.partner.name-taken',
} as const;
export type PartnerRule = (typeof PartnerRules)[keyof typeof PartnerRules];

/** Limits of the inputs (characters are Unicode code points). */
export const PartnerLimits = {
  idMaxLength: 200,
  nameMaxLength: 300,
  maxContacts: 50,
  roleMaxLength: 200,
  reasonMaxLength: 1000,
  piiKeyIdMaxLength: 200,
  /** The encrypted name, e-mail and phone (base64 or similar), with room for the cipher's overhead. */
  piiCiphertextMaxLength: 4096,
} as const;

// ---------- commands (one per GraphQL mutation) ----------

/** `LocalizedTextInput` as GraphQL hands it over (null translations are dropped). */
export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/**
 * A contact as the adapter builds it from the GraphQL input: `contactId` is fresh; `pii` is the
 * name, e-mail and phone encrypted with the person's key. No readable personal data reaches the domain.
 */
export interface ContactInput {
  readonly contactId: string;
  readonly pii: EncryptedPii;
  readonly role?: string | null;
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type RegisterPartner = Command<
  'RegisterPartner',
  {
    /** The stream id, `partner-<uuid>` (see `partnerStreamId`). */
    readonly partnerId: string;
    readonly name: LocalizedTextInput;
    readonly type: PartnerType;
    /** ISO 3166-1 alpha-2, e.g. `MA`. */
    readonly country: string;
    readonly contacts?: readonly ContactInput[] | null;
  }
>;

/** Null or absent fields are left as they are. */
export type UpdatePartner = Command<
  'UpdatePartner',
  {
    readonly partnerId: string;
    readonly name?: LocalizedTextInput | null;
    readonly type?: PartnerType | null;
    readonly country?: string | null;
  }
>;

export type AddContact = Command<'AddContact', { readonly partnerId: string } & ContactInput>;
export type RemoveContact = Command<'RemoveContact', { readonly partnerId: string; readonly contactId: string }>;
export type DeactivatePartner = Command<'DeactivatePartner', { readonly partnerId: string; readonly reason?: string | null }>;
export type ReactivatePartner = Command<'ReactivatePartner', { readonly partnerId: string }>;

export type PartnerCommand = RegisterPartner | UpdatePartner | AddContact | RemoveContact | DeactivatePartner | ReactivatePartner;

// ---------- decide ----------

export function decide(command: PartnerCommand, state: PartnerState): PartnerEvent[] {
  switch (command.type) {
    case 'RegisterPartner':
      return register(command, state);
    case 'UpdatePartner':
      return update(command, state);
    case 'AddContact':
      return addContact(command, state);
    case 'RemoveContact':
      return removeContact(command, state);
    case 'DeactivatePartner':
      return deactivate(command, state);
    case 'ReactivatePartner':
      return reactivate(existing(state, command.data.partnerId));
    default:
      return assertNever(command);
  }
}

/** The partner, refused as NOT_FOUND when it does not exist. */
function existing(state: PartnerState, partnerId: string): Partner {
  if (!exists(state)) throw new NotFoundError('Partner', partnerId);
  return state;
}

// ---------- lifecycle ----------

function register(command: RegisterPartner, state: PartnerState): PartnerEvent[] {
  const d = command.data;
  const partnerId = validatePartnerId(d.partnerId);
  const name = validateName(d.name);
  const type = validatePartnerType(d.type);
  const country = validateCountry(d.country);
  const contacts = validateArray(d.contacts ?? [], 'contacts', PartnerLimits.maxContacts).map((c) => validateContact(c, 'contacts'));
  rejectDuplicates(
    contacts.map((c) => c.contactId),
    'contacts',
  );

  // A second registration is refused rather than ignored: its fields would be silently lost.
  if (exists(state)) throw new IllegalStateError(PartnerRules.registerAlreadyExists, `partner ${state.id} already exists`);
  return [{ type: 'PartnerRegistered', data: { partnerId, name, type, country, contacts } }];
}

/** Only what changes is written; nothing changing is a no-op. Allowed while INACTIVE (a correction). */
function update(command: UpdatePartner, state: PartnerState): PartnerEvent[] {
  const d = command.data;
  const name = isGiven(d.name) ? validateName(d.name) : undefined;
  const type = isGiven(d.type) ? validatePartnerType(d.type) : undefined;
  const country = isGiven(d.country) ? validateCountry(d.country) : undefined;
  const partner = existing(state, d.partnerId);
  const changes = {
    ...(name !== undefined && !sameText(name, partner.name) ? { name } : {}),
    ...(type !== undefined && type !== partner.type ? { type } : {}),
    ...(country !== undefined && country !== partner.country ? { country } : {}),
  };
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'PartnerUpdated', data: { partnerId: partner.id, ...changes } }];
}

function deactivate(command: DeactivatePartner, state: PartnerState): PartnerEvent[] {
  const reason = isGiven(command.data.reason) ? validateShortText(command.data.reason, 'reason', PartnerLimits.reasonMaxLength) : undefined;
  const partner = existing(state, command.data.partnerId);
  // Agreements already drafted with the partner go on; no new one is drafted with it.
  if (partner.status === 'INACTIVE') return [];
  return [{ type: 'PartnerDeactivated', data: { partnerId: partner.id, ...(reason !== undefined ? { reason } : {}) } }];
}

function reactivate(partner: Partner): PartnerEvent[] {
  if (partner.status === 'ACTIVE') return [];
  return [{ type: 'PartnerReactivated', data: { partnerId: partner.id } }];
}

// ---------- contacts ----------

function addContact(command: AddContact, state: PartnerState): PartnerEvent[] {
  const { partnerId, ...input } = command.data;
  const contact = validateContact(input, 'contact');
  const partner = existing(state, partnerId);
  if (partner.status !== 'ACTIVE') {
    throw new IllegalStateError(
      PartnerRules.contactRequiresActivePartner,
      `contacts are added to an active partner; ${partner.id} is ${partner.status}`,
    );
  }
  // An adapter bug, not a user error: contact ids are fresh.
  if (findContact(partner, contact.contactId) !== undefined || partner.removedContactIds.includes(contact.contactId)) {
    throw new Error(`contact id ${contact.contactId} is already used in ${partner.id}`);
  }
  if (partner.contacts.length >= PartnerLimits.maxContacts) {
    throw new ValidationError(`a partner has at most ${PartnerLimits.maxContacts} contacts`, 'contact');
  }
  return [{ type: 'ContactAdded', data: { partnerId: partner.id, contact } }];
}

/**
 * Removes the contact from the partner (allowed while INACTIVE too). Erasing the person for good
 * is the adapter's: it destroys the key named by the contact's `pii.keyId`.
 */
function removeContact(command: RemoveContact, state: PartnerState): PartnerEvent[] {
  const partner = existing(state, command.data.partnerId);
  const contactId = command.data.contactId;
  if (partner.removedContactIds.includes(contactId)) return [];
  if (findContact(partner, contactId) === undefined) throw new NotFoundError('Contact', contactId);
  return [{ type: 'ContactRemoved', data: { partnerId: partner.id, contactId } }];
}

// ---------- input validation (ValidationError names the field) ----------

const PARTNER_ID = new RegExp(`^${PARTNER_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function sameText(a: LocalizedText, b: LocalizedText): boolean {
  return a.fr === b.fr && a.ar === b.ar && a.en === b.en && a.zgh === b.zgh;
}

function validatePartnerId(value: unknown): string {
  if (typeof value !== 'string' || !PARTNER_ID.test(value)) {
    throw new ValidationError(
      `partnerId must be ${PARTNER_ID_PREFIX}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`,
      'partnerId',
    );
  }
  return value;
}

function validateName(value: unknown): LocalizedText {
  return validateLocalizedText(value, { field: 'name', maxLength: PartnerLimits.nameMaxLength });
}

function validatePartnerType(value: unknown): PartnerType {
  if (typeof value !== 'string' || !(PARTNER_TYPES as readonly string[]).includes(value)) {
    throw new ValidationError(`type must be one of ${PARTNER_TYPES.join(', ')}, got ${JSON.stringify(value)}`, 'type');
  }
  return value as PartnerType;
}

function validateCountry(value: unknown): CountryCode {
  if (!isCountryCode(value)) {
    throw new ValidationError(
      `country must be an ISO 3166-1 alpha-2 code in capitals (one of ${COUNTRY_CODES.length}), got ${JSON.stringify(value)}`,
      'country',
    );
  }
  return value;
}

function validateShortText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateArray(value: unknown, field: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, field);
  if (max !== undefined && value.length > max) throw new ValidationError(`${field} has ${value.length} items, more than ${max}`, field);
  return value as unknown[];
}

function rejectDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ValidationError(`${field} lists ${v} twice`, field);
    seen.add(v);
  }
}

/** Two bounded, non-blank strings, taken as they are (the ciphertext is never trimmed nor read). */
function validatePii(value: unknown, field: string): EncryptedPii {
  if (typeof value !== 'object' || value === null) throw new ValidationError(`${field} must be { keyId, ciphertext }`, field);
  const { keyId, ciphertext } = value as Record<string, unknown>;
  const check = (v: unknown, name: string, max: number): string => {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
      throw new ValidationError(`${name} must be a non-blank string of at most ${max} characters`, name);
    }
    return v;
  };
  return {
    keyId: check(keyId, `${field}.keyId`, PartnerLimits.piiKeyIdMaxLength),
    ciphertext: check(ciphertext, `${field}.ciphertext`, PartnerLimits.piiCiphertextMaxLength),
  };
}

/** Only the three known fields are kept: anything else the adapter might pass (a plain name) is dropped. */
function validateContact(value: unknown, field: string): Contact {
  if (typeof value !== 'object' || value === null) throw new ValidationError(`${field} must be { contactId, pii, role? }`, field);
  const c = value as Record<string, unknown>;
  const contactId = validateShortText(c.contactId, `${field}.contactId`, PartnerLimits.idMaxLength);
  const pii = validatePii(c.pii, `${field}.pii`);
  const role = isGiven(c.role) ? validateShortText(c.role, `${field}.role`, PartnerLimits.roleMaxLength) : undefined;
  return { contactId, pii, ...(role !== undefined ? { role } : {}) };
}

// ---------- the decider ----------

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: PARTNER_STATE_SCHEMA_VERSION,
};
