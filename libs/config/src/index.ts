/**
 * One validated configuration per app (docs/conventions.md, habit 8): the environment is read and checked
 * once at boot; everything else receives the typed object. Nothing else touches `process.env`.
 */
import { cleanEnv, makeValidator, str, url, type CleanOptions, type CleanedEnv } from 'envalid';

export { bool, num, port, str, url } from 'envalid';

/** Comma-separated `host:port` list. */
export const hostList = makeValidator<string[]>((input) => {
  const items = String(input)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0 || items.some((i) => !/^[\w.-]+:\d{1,5}$/.test(i))) {
    throw new Error('expected a comma-separated list of host:port');
  }
  return items;
});

/** Settings every HRP app shares; each app adds its own on top. */
export const platformSpec = {
  NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
  LOG_LEVEL: str({ choices: ['debug', 'info', 'warn', 'error'], default: 'info' }),
  HOST: str({ default: '127.0.0.1', desc: 'interface the HTTP server binds' }),
  MONGO_URL: url({ default: 'mongodb://127.0.0.1:27017', desc: 'MongoDB-compatible store' }),
  KAFKA_BROKERS: hostList({ default: ['127.0.0.1:9092'] }),
  KAFKA_TOPIC_PREFIX: str({ default: '', desc: 'prefix for every topic name (test isolation)' }),
  KEYCLOAK_URL: url({ default: 'http://127.0.0.1:8080', desc: 'where this app reaches Keycloak' }),
  KEYCLOAK_ISSUER_URL: str({ default: '', desc: "base URL in the tokens' iss when it differs from KEYCLOAK_URL (containers)" }),
  KEYCLOAK_REALM: str({ default: 'hrp' }),
};

/**
 * Validates `env` against the platform settings plus `extra`, failing fast with a report
 * that names every missing or invalid variable (envalid's reporter exits the process).
 */
export function loadConfig<S extends object>(
  extra: S,
  env: NodeJS.ProcessEnv = process.env,
  options: CleanOptions<typeof platformSpec & S> = {},
): CleanedEnv<typeof platformSpec & S> {
  return cleanEnv(env, { ...platformSpec, ...extra }, options);
}

export type PlatformConfig = CleanedEnv<typeof platformSpec>;
