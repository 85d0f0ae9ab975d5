import { KEY_BYTES } from './crypto';

/**
 * Development and test keys, so that `npm start` needs no setup. Public (they are in the
 * repository): anything encrypted under them is readable by anyone. Refused in production.
 */
const DEV_ONLY_MASTER_KEY_HEX = 'ffc58d20860782f6197ab461b36774c21a7a5987e7ec2da045028ab59514ddfd';
const DEV_ONLY_FINGERPRINT_KEY_HEX = '842e8218f1ffbcba8ec2989902ebe44924967fa3d77306ff04c2965680acb3df';

export interface PersonalDataKeys {
  masterKey: Buffer;
  fingerprintKey: Buffer;
}

/**
 * Reads `PD_MASTER_KEY` and `PD_FINGERPRINT_KEY` (64 hex characters each) from `env`. Outside
 * production (`NODE_ENV !== 'production'`) a missing key falls back to a fixed development key;
 * in production a missing, malformed or development key throws, naming the variable. A set but
 * malformed key throws in every environment.
 */
export function keysFromEnv(env: Record<string, string | undefined>): PersonalDataKeys {
  const production = env.NODE_ENV === 'production';
  const read = (name: string, devHex: string): Buffer => {
    const value = env[name]?.trim();
    if (!value) {
      if (production) throw new Error(`${name} is required in production (${KEY_BYTES * 2} hex characters)`);
      return Buffer.from(devHex, 'hex');
    }
    if (!new RegExp(`^[0-9a-fA-F]{${KEY_BYTES * 2}}$`).test(value)) {
      throw new Error(`${name} must be ${KEY_BYTES * 2} hex characters (${KEY_BYTES} bytes)`);
    }
    if (production && value.toLowerCase() === devHex) throw new Error(`${name} is the public development key; set a secret one`);
    return Buffer.from(value, 'hex');
  };
  const keys = {
    masterKey: read('PD_MASTER_KEY', DEV_ONLY_MASTER_KEY_HEX),
    fingerprintKey: read('PD_FINGERPRINT_KEY', DEV_ONLY_FINGERPRINT_KEY_HEX),
  };
  if (keys.masterKey.equals(keys.fingerprintKey)) throw new Error('PD_MASTER_KEY and PD_FINGERPRINT_KEY must differ');
  return keys;
}
