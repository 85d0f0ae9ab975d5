import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import { EventRegistry, localizedTextSchema } from '@hrp/contracts';
import { COUNTRY_CODES } from './countries';
import { PartnerLimits } from './partner.decider';
import { PARTNER_ID_PREFIX, PARTNER_TYPES } from './partner.events';

/*
 * The schemas of a partner stream's events, every version, with their upcasters (none yet: all
 * are v1). Once wired, the context kit validates what `decide` produced against them before an
 * append and stamps the current version; the event store upcasts what it reads. Their
 * fingerprints are guarded by partner.registry.unit.spec.ts against partner.registry.snapshot.json:
 * a published schema never changes in place; a change is a new version with an upcaster.
 *
 * A contact has no field for a name, an e-mail or a phone: those travel only inside `pii`,
 * encrypted (closed objects refuse anything else).
 *
 * Partnerships has one registry per context: the wiring registers `partnerEventDefinitions` and
 * `agreementEventDefinitions` (agreement.registry.ts) in one `EventRegistry(PARTNERSHIPS_CONTEXT)`;
 * the registry exported here holds the partner's alone, for its own tests and snapshot.
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const PARTNERSHIPS_CONTEXT = 'partnerships';

/** As the decider checks it: `partner-<id>`. */
export const partnerIdSchema: JsonSchema = { type: 'string', pattern: `^${PARTNER_ID_PREFIX}[A-Za-z0-9_-]{1,100}$` };
const partnerId = partnerIdSchema;
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const id = text(PartnerLimits.idMaxLength);
const name = localizedTextSchema(PartnerLimits.nameMaxLength);
const type: JsonSchema = { type: 'string', enum: PARTNER_TYPES };
const country: JsonSchema = { type: 'string', enum: COUNTRY_CODES };

/** A contact: an id, the encrypted name, e-mail and phone, an optional role. */
export const contactSchema: JsonSchema = object(
  {
    contactId: id,
    pii: object({ keyId: text(PartnerLimits.piiKeyIdMaxLength), ciphertext: text(PartnerLimits.piiCiphertextMaxLength) }),
    role: text(PartnerLimits.roleMaxLength),
  },
  ['role'],
);

/** Every event type of a partner stream, at its current version, in lifecycle order. */
export const partnerEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'PartnerRegistered',
    object({ partnerId, name, type, country, contacts: { type: 'array', items: contactSchema, maxItems: PartnerLimits.maxContacts } }),
    'A partner was registered, ACTIVE (contacts pseudonymous, encrypted)',
  ),
  v1(
    'PartnerUpdated',
    object({ partnerId, name, type, country }, ['name', 'type', 'country']),
    "The partner's name, type or country changed (the changed fields only, at least one)",
  ),
  v1('ContactAdded', object({ partnerId, contact: contactSchema }), 'A contact person was added (encrypted)'),
  v1('ContactRemoved', object({ partnerId, contactId: id }), 'A contact person was removed'),
  v1(
    'PartnerDeactivated',
    object({ partnerId, reason: text(PartnerLimits.reasonMaxLength) }, ['reason']),
    'ACTIVE -> INACTIVE: no new agreement is drafted with it',
  ),
  v1('PartnerReactivated', object({ partnerId }), 'INACTIVE -> ACTIVE'),
];

/** The partner's event types alone, registered at their current version. */
export const partnerEventRegistry = partnerEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(PARTNERSHIPS_CONTEXT));
