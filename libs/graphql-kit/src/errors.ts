import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDomainError, type DomainError } from '@hrp/domain-kit';

/** The codes clients may rely on (gateway/contract/api-outline.graphql). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DOMAIN_RULE_VIOLATION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'POSITION_NOT_REACHED'
  | 'INTERNAL_SERVER_ERROR';

export function graphQLError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * A domain error as a GraphQL error: `code`, plus `rule` (rule violations), `field` (bad input),
 * the versions (conflicts) and `retryable` / `reason` where the error has them.
 */
export function domainToGraphQLError(e: DomainError): GraphQLError {
  const extensions: Record<string, unknown> = {};
  for (const key of ['rule', 'field', 'expectedVersion', 'actualVersion', 'entity', 'id', 'retryable', 'reason'] as const) {
    const v = (e as unknown as Record<string, unknown>)[key];
    if (v !== undefined) extensions[key] = v;
  }
  return graphQLError(e.code, e.message, extensions);
}

/**
 * Maps anything a resolver throws to a GraphQL error with a contract code. Domain errors keep
 * their message; anything else (a contract error is a programming or integration fault, never
 * the client's) is an internal error.
 */
export function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof GraphQLError) return e;
  if (isDomainError(e)) return domainToGraphQLError(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return graphQLError(code, (e as Error).message);
  return new GraphQLError(e instanceof Error ? e.message : 'internal error', {
    originalError: e instanceof Error ? e : undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/**
 * Apollo `formatError`: in production, no stack traces and no internal messages reach clients
 * (they are logged server-side); contract codes and their safe extensions pass through.
 */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const ext = { ...(formatted.extensions ?? {}) };
    // Apollo Gateway reports variable coercion failures (a client's error) without a code, which
    // Apollo Server then calls INTERNAL_SERVER_ERROR; graphql-js words them `Variable "$x" …`.
    if ((!ext.code || ext.code === 'INTERNAL_SERVER_ERROR') && /^Variable "\$[^"]+" /.test(formatted.message)) {
      ext.code = 'BAD_USER_INPUT';
    }
    if (ext.code === 'GRAPHQL_VALIDATION_FAILED' || ext.code === 'GRAPHQL_PARSE_FAILED') {
      // The contract's code for a request that can never be valid; keep the precise cause.
      ext.reason = ext.code;
      ext.code = 'BAD_USER_INPUT';
    }
    if (!production) return { ...formatted, extensions: ext };
    delete ext.stacktrace;
    delete ext.exception;
    const internal = !ext.code || ext.code === 'INTERNAL_SERVER_ERROR';
    return {
      message: internal ? 'Internal server error' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: internal ? { code: 'INTERNAL_SERVER_ERROR' } : ext,
    };
  };
}
