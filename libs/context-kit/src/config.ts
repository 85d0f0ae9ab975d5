import { loadConfig, num, port, str } from '@hrp/config';

/**
 * The configuration of a context's service, validated once at boot: the platform settings plus
 * the port, the database and the command and read paths' bounds.
 */
export function contextConfig(name: string, defaultPort: number, env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(contextSpec(name, defaultPort), env);
}

/** The settings a context's service reads beside the platform's (envalid validators with defaults). */
export function contextSpec(name: string, defaultPort: number) {
  return {
    PORT: port({ default: defaultPort }),
    MONGO_DB: str({ default: `hrp_${name}` }),
    COMMAND_CONFLICT_RETRY_MS: num({
      default: 3000,
      desc: 'how long a command without expectedVersion retries races lost to another instance before CONFLICT',
    }),
    IDEMPOTENCY_TTL_HOURS: num({ default: 24, desc: 'how long an Idempotency-Key is honoured' }),
    READ_WAIT_MS: num({ default: 5000, desc: 'longest wait of a query for its minPosition' }),
    CONSUMER_BATCH_TIMEOUT_MS: num({ default: 30_000, desc: 'a consumer batch running longer is failed and retried' }),
    CONSUMER_STALL_MS: num({
      default: 30_000,
      desc: 'a consumer behind its topic without progress for longer is unhealthy (503) and restarted',
    }),
    MONGO_SOCKET_TIMEOUT_MS: num({ default: 30_000, desc: 'a store operation without an answer for longer fails' }),
    CLOCK_FILE: str({
      default: '',
      desc: 'tests only (refused in production): a file holding the ISO instant the service takes as now',
    }),
    AUDIT_ANCHOR_EVERY_MS: num({
      default: 600_000,
      desc: 'how often the audit-anchor job seals the global order of the log (an anchor over the commits since the last)',
    }),
    JOBS_EVERY_MS: num({ default: 0, desc: "tests: when positive, every scheduled job's cadence instead of its own" }),
    FERRETDB_POSTGRES_URL: str({
      default: '',
      devDefault: 'postgres://postgres@127.0.0.1:5433/postgres',
      desc: "the local store only: FerretDB's PostgreSQL, where GIN indexes serve the service's reads by equality (empty: none, reads scan)",
    }),
  };
}

export type ContextConfig = ReturnType<typeof contextConfig>;
