import { loadConfig, num, port, str, url } from '@hrp/config';

/** The gateway's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4000 }),
  CAMPAIGNS_URL: url({ default: 'http://127.0.0.1:4001/graphql' }),
  TRAINING_URL: url({ default: 'http://127.0.0.1:4002/graphql' }),
  PARTNERSHIPS_URL: url({ default: 'http://127.0.0.1:4003/graphql' }),
  ADVOCACY_URL: url({ default: 'http://127.0.0.1:4004/graphql' }),
  FINANCE_URL: url({ default: 'http://127.0.0.1:4005/graphql' }),
  // Comma-separated subgraphs whose /health is rolled up (default: every composed one), for a partial deployment or a test of some contexts.
  HEALTH_SUBGRAPHS: str({ default: '', desc: 'subgraphs whose /health the gateway rolls up (default: all)' }),
  PUBLIC_RATE_LIMIT_PER_MINUTE: num({ default: 30, desc: 'anonymous requests (certificate verification) per client address and minute' }),
  GRAPHQL_MAX_DEPTH: num({ default: 10, desc: 'deepest selection nesting accepted' }),
  GRAPHQL_MAX_COST: num({ default: 5000, desc: 'highest estimated query cost accepted' }),
  MAX_REQUEST_BYTES: str({ default: '100kb', desc: 'largest request body accepted' }),
  // The gateway's own subgraph (audit, and later reporting and admin), served at /platform/graphql.
  GATEWAY_SUBGRAPH_URL: str({ default: '', desc: "the gateway's own subgraph as the gateway reaches it (default: this process)" }),
  // Each context's database, which the audit reads (never writes).
  CAMPAIGNS_DB: str({ default: 'hrp_campaigns' }),
  TRAINING_DB: str({ default: 'hrp_training' }),
  PARTNERSHIPS_DB: str({ default: 'hrp_partnerships' }),
  ADVOCACY_DB: str({ default: 'hrp_advocacy' }),
  FINANCE_DB: str({ default: 'hrp_finance' }),
  // User administration (issue 15): the Keycloak Admin API as the confidential client's service account,
  // and the admin stream in the gateway's own database.
  GATEWAY_DB: str({ default: 'hrp_gateway', desc: "the gateway's own event store (the admin stream)" }),
  KEYCLOAK_ADMIN_CLIENT_ID: str({ default: 'hrp-gateway', desc: 'confidential client whose service account manages users' }),
  KEYCLOAK_ADMIN_CLIENT_SECRET: str({
    default: '',
    devDefault: 'hrp-gateway-dev-secret',
    desc: "its secret (dev default: infra/keycloak/realm-hrp.json's); empty: user administration is off",
  }),
  ADMIN_REFRESH_MS: num({ default: 1000, desc: 'how often each instance reads the deactivated users from the admin stream' }),
  // The audit trail (issue 15): a read model of every topic, in GATEWAY_DB.
  CONSUMER_BATCH_TIMEOUT_MS: num({ default: 30_000, desc: 'a consumer batch running longer is failed and retried' }),
  READ_WAIT_MS: num({ default: 5000, desc: 'longest wait of indicators(minPosition) for the reporting projections' }),
  // Synthesis reports: where clients download them, how long a link holds, what signs it (shared by every instance).
  GATEWAY_PUBLIC_URL: str({
    default: '',
    desc: 'the gateway as clients reach it, for report download links (default http://localhost:<PORT>)',
  }),
  REPORT_URL_TTL_S: num({ default: 600, desc: 'how long a report download link holds (seconds)' }),
  REPORT_URL_SECRET: str({ default: '', devDefault: 'hrp-report-links-dev-secret', desc: 'HMAC key of report download links' }),
  // Traffic lights of indicators: achievement from ON_TRACK is on track, from AT_RISK at risk, below it off track.
  WEB_DIST: str({ default: '', desc: "the web console's build folder (default: web/dist of this repo)" }),
  WEB_CLIENT_ID: str({ default: 'hrp-web', desc: "the console's Keycloak client (public, code flow with PKCE)" }),
  KEYCLOAK_PUBLIC_URL: str({ default: '', desc: 'Keycloak as browsers reach it (default: KEYCLOAK_URL)' }),
  INDICATOR_ON_TRACK: num({ default: 0.9, desc: 'achievement (a fraction) from which an indicator is on track' }),
  INDICATOR_AT_RISK: num({ default: 0.6, desc: 'achievement (a fraction) from which an indicator is at risk, below it off track' }),
  // A consumer behind its topics without progress for longer is unhealthy (503) and restarted.
  CONSUMER_STALL_MS: num({ default: 30_000, desc: 'a consumer behind its topics without progress for longer is unhealthy' }),
  // The local store only: FerretDB's PostgreSQL, where the audit trail's GIN indexes are made (empty: none, reads scan).
  FERRETDB_POSTGRES_URL: str({ default: '', devDefault: 'postgres://postgres@127.0.0.1:5433/postgres', desc: "FerretDB's PostgreSQL" }),
});

/** The bounded contexts, whose logs the gateway's audit reads. */
export const CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance'] as const;
export type ContextName = (typeof CONTEXTS)[number];

/** A context's database (the service's MONGO_DB). */
export function contextDatabase(context: ContextName): string {
  return config[`${context.toUpperCase() as Uppercase<ContextName>}_DB`];
}
