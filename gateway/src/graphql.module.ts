import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { ApolloServerPlugin } from '@apollo/server';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ApolloGatewayDriver, type ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { KeycloakTokenVerifier } from '@hrp/auth';
import { formatError } from '@hrp/graphql-kit';
import { currentContext, IDEMPOTENCY_HEADER, metrics } from '@hrp/service-kit';
import { authenticatedContext, type GatewayContext } from './auth.context';
import { config } from './config';
import { costLimitPlugin, depthRule } from './hardening';
import { RateLimiter } from './public';
import { PLATFORM_PATH } from './platform/platform.module';
import { deactivatedUsers } from './platform/admin.deactivations';
import { composeSupergraph, readSubgraphs, SUBGRAPHS, type SubgraphName } from './supergraph';

const production = config.NODE_ENV === 'production';
const ROOT = path.resolve(__dirname, '..', '..');

/** The supergraph composed at build time; composed from the SDL sources when absent (development). */
function supergraphSdl(): string {
  const built = path.join(__dirname, 'supergraph.graphql');
  if (fs.existsSync(built)) return fs.readFileSync(built, 'utf8');
  return composeSupergraph(readSubgraphs(ROOT));
}

/** The supergraph this gateway serves. */
export const SUPERGRAPH = supergraphSdl();

export const urls: Record<SubgraphName, string> = Object.fromEntries(
  SUBGRAPHS.map((s) => [
    s.name,
    // The gateway's own subgraph is this process, on its own port, unless configured otherwise.
    s.name === 'gateway' ? config.GATEWAY_SUBGRAPH_URL || `http://127.0.0.1:${config.PORT}${PLATFORM_PATH}` : config[s.urlVar],
  ]),
) as Record<SubgraphName, string>;

const header = (req: GatewayContext['req'] | undefined, name: string): string | undefined => {
  const v = req?.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Forwards the caller's bearer token, the correlation id and the Idempotency-Key to the subgraph. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { req } = context as Partial<GatewayContext>;
    const bearer = header(req, 'authorization');
    if (bearer && request.http) request.http.headers.set('authorization', bearer);
    const idempotencyKey = header(req, IDEMPOTENCY_HEADER);
    if (idempotencyKey !== undefined && request.http) request.http.headers.set(IDEMPOTENCY_HEADER, idempotencyKey);
    const correlationId = currentContext()?.correlationId;
    if (correlationId && request.http) request.http.headers.set('x-correlation-id', correlationId);
  }

  /**
   * A subgraph refuses a request it cannot coerce (e.g. an invalid `Date` variable: the gateway
   * cannot check custom scalars) with HTTP 400 and GraphQL errors. Pass its first error on as the
   * client's error, instead of a "400: Bad Request" wrapper that would expose the subgraph's URL.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const copy = response.clone();
    try {
      const body = (await copy.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      const first = body.errors?.[0];
      if (first && response.status < 500) {
        const { code, rule, field } = first.extensions ?? {};
        return new GraphQLError(first.message, {
          extensions: { code: code ?? 'BAD_USER_INPUT', ...(rule ? { rule } : {}), ...(field ? { field } : {}) },
        });
      }
    } catch {
      /* not a GraphQL body: fall back to the default wrapper */
    }
    return super.errorFromResponse(response);
  }
}

/** Every operation the gateway answers, by type, name and outcome, into /metrics. */
function operationMetricsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      const done = metrics.graphql.startTimer();
      return Promise.resolve({
        willSendResponse({ operation, operationName, errors }) {
          const code = errors?.[0]?.extensions?.code;
          done({
            type: operation?.operation ?? 'unknown',
            name: operationName ?? 'anonymous',
            outcome: typeof code === 'string' ? code : errors?.length ? 'error' : 'ok',
          });
          return Promise.resolve();
        },
      });
    },
  };
}

/** Anonymous requests (certificate verification) per client address and minute. */
export const publicLimiter = new RateLimiter(config.PUBLIC_RATE_LIMIT_PER_MINUTE);

const verifier = new KeycloakTokenVerifier({
  keycloakUrl: config.KEYCLOAK_URL,
  realm: config.KEYCLOAK_REALM,
  ...(config.KEYCLOAK_ISSUER_URL ? { issuerUrl: config.KEYCLOAK_ISSUER_URL } : {}),
});

export const GatewayGraphQLModule = GraphQLModule.forRoot<ApolloGatewayDriverConfig>({
  driver: ApolloGatewayDriver,
  server: {
    path: '/graphql',
    context: authenticatedContext(
      verifier,
      (p) => {
        const ctx = currentContext();
        if (ctx) ctx.actor = { subject: p.subject, username: p.username };
      },
      publicLimiter,
      (p) => (deactivatedUsers.has(p.subject) ? 'the user is deactivated' : undefined),
    ),
    csrfPrevention: true,
    introspection: !production,
    playground: false,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    validationRules: [depthRule(config.GRAPHQL_MAX_DEPTH)],
    plugins: [
      operationMetricsPlugin(),
      costLimitPlugin(config.GRAPHQL_MAX_COST),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
  },
  gateway: {
    supergraphSdl: SUPERGRAPH,
    buildService: ({ name }) => new ForwardingDataSource({ url: urls[name as SubgraphName] }),
  },
});
