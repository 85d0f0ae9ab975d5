/**
 * @hrp/personal-data — personal data under Morocco's law 09-08, by crypto-shredding: a person
 * can be erased so that the event log, projections and Kafka messages keep no readable personal
 * data, without rewriting any of them.
 *
 * What is stored where:
 * - Events, projections, messages hold personal data only as {@link EncryptedPii}
 *   `{ keyId: personId, ciphertext }` (AES-256-GCM of the JSON, fresh 12-byte IV each time) and
 *   refer to people by their opaque `person-<uuid>`: never a name in a Kafka key or a log line.
 * - `pd_people` (one document per person): `{ _id: personId, fingerprint, wrappedKey, createdAt }`.
 *   `wrappedKey` is the person's random 32-byte data key encrypted under the master key
 *   (AES-256-GCM, the person id as associated data). `fingerprint` is
 *   HMAC-SHA256(fingerprintKey, normalised full name + '\0' + normalised institution), hex, under
 *   a unique index: it recognises the same person again (same personId) and makes concurrent
 *   `identify` calls agree. Normalisation: NFC, accents and other combining marks removed, lower
 *   case, blanks trimmed and collapsed. No plaintext personal data is stored there.
 * - `pd_people_erasures`: `{ _id: personId, erasedAt, by: subject }`, the audit of erasures.
 * - The master and fingerprint keys live outside the database (`PD_MASTER_KEY`,
 *   `PD_FINGERPRINT_KEY`, see {@link keysFromEnv}).
 *
 * What erasure destroys: the key document, i.e. the only copy of the person's data key and their
 * fingerprint. Every ciphertext sealed for them, wherever it was copied, can no longer be
 * decrypted (`decrypt` returns null, `encrypt` throws {@link PersonErasedError}), and the same
 * identity is no longer linked to the old person id: `identify` gives a new one. Database
 * backups taken before the erasure still hold the wrapped key until they expire.
 *
 * Cache caveat: each process keeps unwrapped keys in memory for `keyCacheTtlMs` (default 60 s,
 * at most 10 000 keys; 0 disables it). `erase` clears the key in the process that erases; another
 * instance may keep decrypting with its cached key until its entry expires, so an erasure is
 * effective everywhere at most one TTL after it returns.
 *
 * Limits: not transactional (none needed; works on FerretDB 1.x and MongoDB). A caller that
 * obtained a person id just before the person was erased gets {@link PersonErasedError} on
 * `encrypt`.
 */
export {
  PersonRegistry,
  PersonErasedError,
  UnknownPersonError,
  type PersonIdentity,
  type EncryptedPii,
  type PersonRegistryOptions,
  type PersonKeyDoc,
  type ErasureDoc,
} from './person-registry';
export { keysFromEnv, type PersonalDataKeys } from './keys';
export { CiphertextError, fingerprintOf, normaliseIdentityPart, sealJson, openJson, wrapKey, unwrapKey } from './crypto';
export { personRegistryProvider } from './provider';
