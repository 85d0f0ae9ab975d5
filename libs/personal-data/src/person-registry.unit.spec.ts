import { randomBytes } from 'node:crypto';
import { CiphertextError, fingerprintOf, keysFromEnv, normaliseIdentityPart, openJson, sealJson, unwrapKey, wrapKey } from './index';

const key = () => randomBytes(32);

describe('normaliseIdentityPart', () => {
  it.each([
    ['  Zineb   Quessar-Taoufiki ', 'zineb quessar-taoufiki'],
    ['ZINÈB QUESSAR\tTAOUFIKI', 'zineb quessar taoufiki'],
    ['Ze\u0301na', 'zena'], // decomposed accent
    ['Z\u00e9na', 'zena'], // precomposed accent
    ['مُحَمَّد', 'محمد'], // Arabic short vowels are combining marks
    ['Ølstad', 'ølstad'], // not decomposable: kept
  ])('maps %j to %j', (input, expected) => {
    expect(normaliseIdentityPart(input)).toBe(expected);
  });

  it('maps a missing part to the empty string', () => {
    expect(normaliseIdentityPart(undefined)).toBe('');
  });
});

describe('fingerprintOf', () => {
  const k = key();

  it('is the same for spellings that normalise alike', () => {
    const a = fingerprintOf(k, { fullName: 'Zineb Quessar-Taoufiki', institution: 'Université Mohammed V' });
    const b = fingerprintOf(k, { fullName: '  ZINÈB  quessar-taoufiki', institution: 'universite mohammed v ' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells apart the same name at another institution, or under another key', () => {
    const a = fingerprintOf(k, { fullName: 'Zineb Quessar-Taoufiki', institution: 'A' });
    expect(fingerprintOf(k, { fullName: 'Zineb Quessar-Taoufiki', institution: 'B' })).not.toBe(a);
    expect(fingerprintOf(k, { fullName: 'Zineb Quessar-Taoufiki' })).not.toBe(a);
    expect(fingerprintOf(key(), { fullName: 'Zineb Quessar-Taoufiki', institution: 'A' })).not.toBe(a);
  });

  it('does not let the name spill into the institution', () => {
    expect(fingerprintOf(k, { fullName: 'a b', institution: 'c' })).not.toBe(fingerprintOf(k, { fullName: 'a', institution: 'b c' }));
  });
});

describe('sealJson / openJson', () => {
  const k = key();
  const data = { fullName: 'Zineb Quessar-Taoufiki', phone: '+212 600 000 000' };

  it('round-trips and never shows the plaintext', () => {
    const ct = sealJson(k, data);
    expect(ct).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(ct).not.toContain('Zineb');
    expect(Buffer.from(ct.split('.')[1], 'base64')).toHaveLength(12);
    expect(Buffer.from(ct.split('.')[2], 'base64')).toHaveLength(16);
    expect(openJson(k, ct)).toEqual(data);
  });

  it('uses a fresh IV each time', () => {
    const a = sealJson(k, data);
    const b = sealJson(k, data);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toBe(b);
  });

  it('rejects an altered ciphertext, tag or IV', () => {
    const [v, iv, tag, ct] = sealJson(k, data).split('.');
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64');
      b[0] ^= 1;
      return b.toString('base64');
    };
    for (const bad of [
      [v, iv, tag, flip(ct)],
      [v, iv, flip(tag), ct],
      [v, flip(iv), tag, ct],
    ]) {
      expect(() => openJson(k, bad.join('.'))).toThrow(CiphertextError);
    }
  });

  it('rejects another key and malformed input', () => {
    const ct = sealJson(k, data);
    expect(() => openJson(key(), ct)).toThrow(CiphertextError);
    expect(() => openJson(k, ct.replace(/^v1/, 'v2'))).toThrow(CiphertextError);
    expect(() => openJson(k, 'v1.abc')).toThrow(CiphertextError);
  });
});

describe('wrapKey / unwrapKey', () => {
  const master = key();

  it('round-trips a data key bound to its person id', () => {
    const dataKey = key();
    const wrapped = wrapKey(master, dataKey, 'person-1');
    expect(unwrapKey(master, wrapped, 'person-1').equals(dataKey)).toBe(true);
    expect(Buffer.from(wrapped, 'base64').includes(dataKey)).toBe(false);
  });

  it('refuses another person id or another master key', () => {
    const wrapped = wrapKey(master, key(), 'person-1');
    expect(() => unwrapKey(master, wrapped, 'person-2')).toThrow(CiphertextError);
    expect(() => unwrapKey(key(), wrapped, 'person-1')).toThrow(CiphertextError);
  });
});

describe('keysFromEnv', () => {
  const hex = () => randomBytes(32).toString('hex');

  it('reads both keys', () => {
    const m = hex();
    const f = hex();
    const keys = keysFromEnv({ NODE_ENV: 'production', PD_MASTER_KEY: m, PD_FINGERPRINT_KEY: f });
    expect(keys.masterKey.toString('hex')).toBe(m);
    expect(keys.fingerprintKey.toString('hex')).toBe(f);
  });

  it('falls back to fixed development keys outside production', () => {
    const a = keysFromEnv({});
    const b = keysFromEnv({ NODE_ENV: 'test' });
    expect(a.masterKey).toHaveLength(32);
    expect(a.masterKey.equals(b.masterKey)).toBe(true);
    expect(a.masterKey.equals(a.fingerprintKey)).toBe(false);
  });

  it('in production, names the missing variable and refuses the development keys', () => {
    expect(() => keysFromEnv({ NODE_ENV: 'production', PD_FINGERPRINT_KEY: hex() })).toThrow(/PD_MASTER_KEY/);
    expect(() => keysFromEnv({ NODE_ENV: 'production', PD_MASTER_KEY: hex() })).toThrow(/PD_FINGERPRINT_KEY/);
    const dev = keysFromEnv({});
    expect(() => keysFromEnv({ NODE_ENV: 'production', PD_MASTER_KEY: dev.masterKey.toString('hex'), PD_FINGERPRINT_KEY: hex() })).toThrow(
      /PD_MASTER_KEY.*development/,
    );
  });

  it('rejects a malformed key in any environment', () => {
    expect(() => keysFromEnv({ PD_MASTER_KEY: 'abc' })).toThrow(/PD_MASTER_KEY must be 64 hex/);
    expect(() => keysFromEnv({ PD_FINGERPRINT_KEY: 'z'.repeat(64) })).toThrow(/PD_FINGERPRINT_KEY/);
  });
});
