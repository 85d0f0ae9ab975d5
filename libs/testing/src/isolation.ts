import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';

/** Where the shared `main` infra instance listens (the ports `infra/` uses by default). */
export const testInfra = {
  mongoUrl: 'mongodb://127.0.0.1:27017',
  kafkaBrokers: ['127.0.0.1:9092'],
  keycloakUrl: 'http://127.0.0.1:8080',
  realm: 'hrp',
} as const;

export interface Isolation {
  /** Unique per test file and run: `t_<file>_<random>`. */
  dbName: string;
  /** Unique per test file and run, to put before every topic and consumer group name. */
  topicPrefix: string;
  /** Short tag for ids, client ids and logs. */
  tag: string;
}

/**
 * A database name and a topic prefix of this test file's own, so that files running side by
 * side on the shared servers never see each other's data.
 */
export function isolation(label?: string): Isolation {
  const testPath = (expect as unknown as { getState(): { testPath?: string } }).getState().testPath ?? 'anon';
  const base = (label ?? path.basename(testPath).replace(/\.(unit|int|e2e)\.spec\.ts$/, '')).replace(/[^a-zA-Z0-9]/g, '_').slice(0, 24);
  const hash = createHash('sha1').update(testPath).digest('hex').slice(0, 6);
  const rand = randomBytes(3).toString('hex');
  const tag = `${base}_${hash}${rand}`;
  return { dbName: `t_${tag}`, topicPrefix: `t.${tag}.`, tag };
}
