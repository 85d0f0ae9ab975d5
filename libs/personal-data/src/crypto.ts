import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Keys are AES-256 / HMAC-SHA256 keys: 32 bytes. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHERTEXT_VERSION = 'v1';

/** A ciphertext that is malformed, was altered, or was sealed under another key. */
export class CiphertextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function assertKey(key: Buffer, name: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`${name} must be a ${KEY_BYTES}-byte Buffer`);
  }
}

/**
 * The form of a name or institution that decides whether two spellings are the same person:
 * Unicode NFC, combining marks removed (accents, and Arabic short vowels, so "Zinèb" = "Zineb"),
 * lower case, blanks trimmed and collapsed to one space. Letters that are not decomposed by
 * Unicode (ø, ł, ß) stay as they are.
 */
export function normaliseIdentityPart(value: string | undefined): string {
  return (value ?? '').normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Keyed fingerprint (HMAC-SHA256, hex) of the normalised full name and institution. Without the
 * key, a fingerprint cannot be tested against a list of candidate names.
 */
export function fingerprintOf(fingerprintKey: Buffer, identity: { fullName: string; institution?: string }): string {
  return createHmac('sha256', fingerprintKey)
    .update(normaliseIdentityPart(identity.fullName), 'utf8')
    .update('\0', 'utf8')
    .update(normaliseIdentityPart(identity.institution), 'utf8')
    .digest('hex');
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Wraps a data key with the master key (AES-256-GCM), bound to its person id as associated data
 * so that a wrapped key copied onto another person's document does not unwrap. Base64 of
 * iv | tag | wrapped key.
 */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, personId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(personId, 'utf8'));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

export function unwrapKey(masterKey: Buffer, wrapped: string, personId: string): Buffer {
  const raw = Buffer.from(wrapped, 'base64');
  if (raw.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) throw new CiphertextError(`wrapped key of ${personId} is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(personId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CiphertextError(`wrapped key of ${personId} does not unwrap under this master key`);
  }
}

/** JSON of `data` sealed under `key`: `v1.<iv b64>.<tag b64>.<ciphertext b64>`, a fresh 12-byte IV each time. */
export function sealJson(key: Buffer, data: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return [CIPHERTEXT_VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join('.');
}

/** Opens what {@link sealJson} sealed; throws {@link CiphertextError} when malformed or altered. */
export function openJson<T>(key: Buffer, ciphertext: string): T {
  const parts = ciphertext.split('.');
  if (parts.length !== 4 || parts[0] !== CIPHERTEXT_VERSION) throw new CiphertextError('ciphertext is not in the v1 format');
  const [iv, tag, ct] = parts.slice(1).map((p) => Buffer.from(p, 'base64'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new CiphertextError('ciphertext is not in the v1 format');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw new CiphertextError('ciphertext was altered or sealed under another key');
  }
  return JSON.parse(plain) as T;
}
