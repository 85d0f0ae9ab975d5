import { randomUUID } from 'node:crypto';
import { IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import { type mongo } from 'mongoose';
import { assertKey, fingerprintOf, newDataKey, normaliseIdentityPart, openJson, sealJson, unwrapKey, wrapKey } from './crypto';

/** Who a person is, as far as recognising them again goes. */
export interface PersonIdentity {
  fullName: string;
  institution?: string;
}

/** Personal data as it may be stored anywhere (events, projections, messages): opaque without the person's key. */
export interface EncryptedPii {
  /** The person id whose data key sealed `ciphertext`. */
  keyId: string;
  /** `v1.<iv b64>.<tag b64>.<ciphertext b64>` (AES-256-GCM of the JSON). */
  ciphertext: string;
}

export interface PersonRegistryOptions {
  /** The store, e.g. mongoose's `connection.db`. */
  db: mongo.Db;
  /** Wraps every person's data key (AES-256-GCM); 32 bytes. */
  masterKey: Buffer;
  /** Keys the identity fingerprints (HMAC-SHA256); 32 bytes, distinct from the master key. */
  fingerprintKey: Buffer;
  /** Key documents; erasures go to `<collection>_erasures`. Default `pd_people`. */
  collection?: string;
  /**
   * How long an unwrapped data key stays in this process's memory; 0 disables the cache. Another
   * instance's erase becomes effective here only once this has elapsed. Default 60 000 ms.
   */
  keyCacheTtlMs?: number;
  /** At most this many unwrapped keys in memory (oldest dropped first). Default 10 000. */
  keyCacheMaxEntries?: number;
}

/** The key document: no plaintext personal data, only a keyed fingerprint and a wrapped key. */
export interface PersonKeyDoc {
  _id: string;
  fingerprint: string;
  wrappedKey: string;
  createdAt: Date;
}

/** Proof that a person was erased, for audit: who erased it and when; no personal data. */
export interface ErasureDoc {
  _id: string;
  erasedAt: Date;
  by: string;
}

/** The person was erased: nothing can be encrypted for them any more. */
export class PersonErasedError extends IllegalStateError {
  constructor(readonly personId: string) {
    super('personal-data.person-erased', `person ${personId} was erased; their personal data can no longer be recorded`);
  }
}

/** No such person was ever identified in this registry. */
export class UnknownPersonError extends NotFoundError {
  constructor(personId: string) {
    super('Person', personId);
  }
}

const DEFAULT_CACHE_TTL_MS = 60_000;
const DEFAULT_CACHE_MAX = 10_000;
const IDENTIFY_ATTEMPTS = 5;

/**
 * Crypto-shredding registry of persons (law 09-08): one random data key per person, stored
 * wrapped by the master key; a person is recognised by a keyed fingerprint of their normalised
 * identity; erasing a person deletes their key and fingerprint, which makes every ciphertext
 * sealed for them unreadable wherever it was copied. See the package's index.ts for the design.
 */
export class PersonRegistry {
  private readonly people: mongo.Collection<PersonKeyDoc>;
  private readonly erasures: mongo.Collection<ErasureDoc>;
  private readonly masterKey: Buffer;
  private readonly fingerprintKey: Buffer;
  private readonly cacheTtlMs: number;
  private readonly cacheMax: number;
  private readonly cache = new Map<string, { key: Buffer; expiresAt: number }>();
  /** Bumped by every erase: a key read before an erase must not enter the cache after it. */
  private epoch = 0;

  constructor(options: PersonRegistryOptions) {
    assertKey(options.masterKey, 'masterKey');
    assertKey(options.fingerprintKey, 'fingerprintKey');
    if (options.masterKey.equals(options.fingerprintKey)) throw new Error('masterKey and fingerprintKey must differ');
    const ttl = options.keyCacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    const max = options.keyCacheMaxEntries ?? DEFAULT_CACHE_MAX;
    if (!Number.isFinite(ttl) || ttl < 0) throw new Error('keyCacheTtlMs must be a non-negative number');
    if (!Number.isInteger(max) || max < 0) throw new Error('keyCacheMaxEntries must be a non-negative integer');
    const name = options.collection ?? 'pd_people';
    this.people = options.db.collection<PersonKeyDoc>(name);
    this.erasures = options.db.collection<ErasureDoc>(`${name}_erasures`);
    this.masterKey = Buffer.from(options.masterKey);
    this.fingerprintKey = Buffer.from(options.fingerprintKey);
    this.cacheTtlMs = ttl;
    this.cacheMax = max;
  }

  /** The unique index on fingerprints that makes `identify` race-safe. Idempotent. */
  async ensureIndexes(): Promise<void> {
    await this.people.createIndex({ fingerprint: 1 }, { unique: true, name: 'fingerprint_unique' });
  }

  /**
   * The person id of this identity (`person-<uuid>`): the same one for every spelling that
   * normalises alike (see {@link normaliseIdentityPart}), a new one with a fresh data key for a
   * person never seen, or seen and erased since. Concurrent calls for one identity agree.
   */
  async identify(identity: PersonIdentity): Promise<string> {
    if (typeof identity?.fullName !== 'string' || normaliseIdentityPart(identity.fullName) === '') {
      throw new ValidationError('a person needs a full name', 'fullName');
    }
    if (identity.institution !== undefined && typeof identity.institution !== 'string') {
      throw new ValidationError('institution must be a string', 'institution');
    }
    const fingerprint = fingerprintOf(this.fingerprintKey, identity);
    for (let attempt = 0; attempt < IDENTIFY_ATTEMPTS; attempt++) {
      const existing = await this.people.findOne({ fingerprint }, { projection: { _id: 1 } });
      if (existing) return existing._id;
      const personId = `person-${randomUUID()}`;
      const dataKey = newDataKey();
      const epoch = this.epoch;
      try {
        await this.people.insertOne({
          _id: personId,
          fingerprint,
          wrappedKey: wrapKey(this.masterKey, dataKey, personId),
          createdAt: new Date(),
        });
      } catch (e) {
        // Another caller registered this person first: read theirs back. A miss means it was
        // erased in between; the next attempt registers the person anew.
        if (isDuplicateKeyError(e)) continue;
        throw e;
      }
      this.remember(personId, dataKey, epoch);
      return personId;
    }
    throw new Error(`identify: gave up after ${IDENTIFY_ATTEMPTS} attempts (the identity kept being registered and erased)`);
  }

  /**
   * Seals `data` (as JSON) under the person's data key. Throws {@link PersonErasedError} for an
   * erased person and {@link UnknownPersonError} for an id this registry never issued.
   */
  async encrypt(personId: string, data: Record<string, unknown>): Promise<EncryptedPii> {
    const key = await this.dataKey(personId);
    if (!key) {
      if (await this.isErased(personId)) throw new PersonErasedError(personId);
      throw new UnknownPersonError(personId);
    }
    return { keyId: personId, ciphertext: sealJson(key, data) };
  }

  /**
   * The data sealed in `pii`, or `null` when its key no longer exists (the person was erased).
   * Throws `CiphertextError` when the ciphertext is malformed or was altered.
   */
  async decrypt<T = Record<string, unknown>>(pii: EncryptedPii): Promise<T | null> {
    const key = await this.dataKey(pii.keyId);
    if (!key) return null;
    return openJson<T>(key, pii.ciphertext);
  }

  /**
   * Destroys the person's data key and fingerprint, and records who erased them and when.
   * False when no such person exists (never identified, or already erased). Other processes
   * may still hold the key in their cache for up to `keyCacheTtlMs`.
   */
  async erase(personId: string, by: { subject: string }): Promise<boolean> {
    if (typeof by?.subject !== 'string' || by.subject === '')
      throw new ValidationError('an erasure needs the subject who asks for it', 'by');
    this.forget(personId);
    const { deletedCount } = await this.people.deleteOne({ _id: personId });
    // Again after the delete: a read that raced with it must not leave the key cached.
    this.forget(personId);
    if (deletedCount !== 1) return false;
    try {
      await this.erasures.insertOne({ _id: personId, erasedAt: new Date(), by: by.subject });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    return true;
  }

  /** True once the person was erased (by any instance). */
  async isErased(personId: string): Promise<boolean> {
    return (await this.erasures.countDocuments({ _id: personId }, { limit: 1 })) > 0;
  }

  private async dataKey(personId: string): Promise<Buffer | null> {
    if (typeof personId !== 'string' || personId === '') return null;
    const hit = this.cache.get(personId);
    if (hit && hit.expiresAt > Date.now()) return hit.key;
    if (hit) this.cache.delete(personId);
    const epoch = this.epoch;
    const doc = await this.people.findOne({ _id: personId }, { projection: { wrappedKey: 1 } });
    if (!doc) return null;
    const key = unwrapKey(this.masterKey, doc.wrappedKey, personId);
    this.remember(personId, key, epoch);
    return key;
  }

  private remember(personId: string, key: Buffer, epoch: number): void {
    if (this.cacheTtlMs === 0 || this.cacheMax === 0 || epoch !== this.epoch) return;
    this.cache.delete(personId);
    while (this.cache.size >= this.cacheMax) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    this.cache.set(personId, { key, expiresAt: Date.now() + this.cacheTtlMs });
  }

  private forget(personId: string): void {
    // Not zeroed: an encrypt that already holds this buffer would then seal under a zero key.
    this.epoch++;
    this.cache.delete(personId);
  }
}

/** E11000 from a single write (the same rule as @hrp/event-store's, without loading its NestJS wiring). */
function isDuplicateKeyError(e: unknown): boolean {
  const err = e as { code?: number; writeErrors?: { code?: number }[] | { code?: number } } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 11000) return true;
  const we = err.writeErrors;
  if (Array.isArray(we)) return we.length > 0 && we.every((w) => w.code === 11000);
  return we?.code === 11000;
}
