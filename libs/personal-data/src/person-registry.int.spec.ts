import { randomBytes } from 'node:crypto';
import { isolation, testInfra } from '@hrp/testing';
import mongoose, { type Connection } from 'mongoose';
import { CiphertextError, fingerprintOf, PersonErasedError, PersonRegistry, UnknownPersonError, type PersonRegistryOptions } from './index';

jest.setTimeout(60_000);
const iso = isolation();
let connection: Connection;
const masterKey = randomBytes(32);
const fingerprintKey = randomBytes(32);
const registry = (extra: Partial<PersonRegistryOptions> = {}) =>
  new PersonRegistry({ db: connection.db!, masterKey, fingerprintKey, ...extra });
let people: PersonRegistry;

const zineb = { fullName: 'Zineb Quessar-Taoufiki', institution: 'Université Mohammed V' };

/** Every document of every collection of the test database, as one JSON string. */
async function rawDump(): Promise<string> {
  const db = connection.db!;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  const all: Record<string, unknown[]> = {};
  for (const { name } of collections) all[name] = await db.collection(name).find({}).toArray();
  return JSON.stringify(all);
}

beforeAll(async () => {
  connection = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  people = registry();
  await people.ensureIndexes();
  await people.ensureIndexes(); // idempotent
}, 30_000);

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
}, 30_000);

describe('PersonRegistry', () => {
  describe('when identifying', () => {
    it('gives the same person id to the same person, however spelled', async () => {
      const id = await people.identify({ fullName: 'Amal Bennani', institution: 'OMDH' });
      expect(id).toMatch(/^person-[0-9a-f-]{36}$/);
      expect(await people.identify({ fullName: '  AMAL   bennâni ', institution: 'omdh' })).toBe(id);
      // Another registry instance (another process) agrees.
      expect(await registry().identify({ fullName: 'Amal Bennani', institution: 'OMDH' })).toBe(id);
    });

    it('gives different persons different ids', async () => {
      const a = await people.identify({ fullName: 'Karim Alaoui', institution: 'AMDH' });
      const b = await people.identify({ fullName: 'Karim Alaoui', institution: 'OMDH' });
      const c = await people.identify({ fullName: 'Karima Alaoui', institution: 'AMDH' });
      expect(new Set([a, b, c]).size).toBe(3);
    });

    it('lets 20 concurrent calls for one identity agree on one id', async () => {
      const who = { fullName: 'Youssef El Idrissi', institution: 'CNDH' };
      const ids = await Promise.all(Array.from({ length: 20 }, () => registry().identify(who)));
      expect(new Set(ids).size).toBe(1);
      const fp = fingerprintOf(fingerprintKey, who);
      expect(await connection.db!.collection('pd_people').countDocuments({ fingerprint: fp })).toBe(1);
    });

    it('refuses an empty name', async () => {
      await expect(people.identify({ fullName: '   ' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'fullName' });
    });

    it('stores no plaintext identity, only a fingerprint and a wrapped key', async () => {
      const id = await people.identify({ fullName: 'Salma Chraibi' });
      const doc = await connection.db!.collection('pd_people').findOne({ _id: id as never });
      expect(Object.keys(doc!).sort()).toEqual(['_id', 'createdAt', 'fingerprint', 'wrappedKey']);
      expect(JSON.stringify(doc).toLowerCase()).not.toContain('salma');
    });
  });

  describe('when encrypting and decrypting', () => {
    it('round-trips the data under the person id', async () => {
      const id = await people.identify({ fullName: 'Hicham Tazi' });
      const data = { fullName: 'Hicham Tazi', email: 'h.tazi@example.org', age: 41 };
      const pii = await people.encrypt(id, data);
      expect(pii.keyId).toBe(id);
      expect(pii.ciphertext).toMatch(/^v1\./);
      expect(pii.ciphertext).not.toContain('Tazi');
      expect(await people.decrypt(pii)).toEqual(data);
      expect(await registry({ keyCacheTtlMs: 0 }).decrypt(pii)).toEqual(data);
    });

    it('throws on an altered ciphertext', async () => {
      const id = await people.identify({ fullName: 'Nadia Fassi' });
      const pii = await people.encrypt(id, { note: 'x' });
      const [v, iv, tag, ct] = pii.ciphertext.split('.');
      const altered = Buffer.from(ct, 'base64');
      altered[0] ^= 1;
      await expect(people.decrypt({ ...pii, ciphertext: [v, iv, tag, altered.toString('base64')].join('.') })).rejects.toThrow(
        CiphertextError,
      );
    });

    it('refuses to encrypt for an id it never issued, and decrypts nothing for it', async () => {
      await expect(people.encrypt('person-unknown', { a: 1 })).rejects.toThrow(UnknownPersonError);
      expect(await people.decrypt({ keyId: 'person-unknown', ciphertext: 'v1.a.b.c' })).toBeNull();
    });
  });

  describe('when a person is erased', () => {
    it('leaves nothing readable of them anywhere in the database, and forgets the link', async () => {
      const id = await people.identify(zineb);
      const fp = fingerprintOf(fingerprintKey, zineb);
      const pii = await people.encrypt(id, { fullName: zineb.fullName, phone: '+212 661 000 000' });
      // What the rest of the platform would keep: events and projections with the ciphertext.
      await connection.db!.collection('es_like_events').insertOne({ type: 'ParticipantRegistered', personId: id, pii });
      const before = await rawDump();
      expect(before).toContain(fp); // the scan does see the registry
      expect(before).not.toMatch(/quessar/i); // and never a plaintext name

      expect(await people.isErased(id)).toBe(false);
      expect(await people.erase(id, { subject: 'admin-sub-1' })).toBe(true);

      expect(await people.isErased(id)).toBe(true);
      expect(await people.decrypt(pii)).toBeNull();
      expect(await registry().decrypt(pii)).toBeNull();
      await expect(people.encrypt(id, { a: 1 })).rejects.toThrow(PersonErasedError);
      await expect(people.encrypt(id, { a: 1 })).rejects.toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', personId: id });
      const after = await rawDump();
      expect(after).not.toMatch(/quessar/i);
      expect(after).not.toMatch(/zineb/i);
      expect(after).not.toContain(fp);
      const erasure = await connection.db!.collection('pd_people_erasures').findOne({ _id: id as never });
      expect(erasure).toMatchObject({ _id: id, by: 'admin-sub-1' });
      expect(erasure!.erasedAt).toBeInstanceOf(Date);

      const again = await people.identify(zineb);
      expect(again).not.toBe(id);
      expect(await people.decrypt(pii)).toBeNull();
    });

    it('returns false for an unknown or already erased person', async () => {
      expect(await people.erase('person-never-seen', { subject: 'admin-sub-1' })).toBe(false);
      const id = await people.identify({ fullName: 'Omar Berrada' });
      expect(await people.erase(id, { subject: 'admin-sub-1' })).toBe(true);
      expect(await people.erase(id, { subject: 'admin-sub-1' })).toBe(false);
    });

    it('is effective at once in the erasing process, and elsewhere once the key cache expires', async () => {
      const id = await people.identify({ fullName: 'Leila Benjelloun' });
      const pii = await people.encrypt(id, { fullName: 'Leila Benjelloun' });
      const cached = registry({ keyCacheTtlMs: 300 });
      const uncached = registry({ keyCacheTtlMs: 0 });
      expect(await cached.decrypt(pii)).not.toBeNull();
      expect(await people.decrypt(pii)).not.toBeNull();

      expect(await people.erase(id, { subject: 'admin-sub-1' })).toBe(true);
      expect(await people.decrypt(pii)).toBeNull();
      expect(await uncached.decrypt(pii)).toBeNull();
      // The documented caveat: another instance's cached key outlives the erase by up to its TTL.
      expect(await cached.decrypt(pii)).not.toBeNull();
      await new Promise((r) => setTimeout(r, 350));
      expect(await cached.decrypt(pii)).toBeNull();
    });
  });
});
