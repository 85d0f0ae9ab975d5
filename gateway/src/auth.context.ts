import { GraphQLError } from 'graphql';
import { bearerOf, UnauthenticatedError, type Principal, type TokenVerifier } from '@hrp/auth';
import { clientAddress, isPublicOperation, rateLimited, type RateLimiter } from './public';

export interface GatewayContext {
  req: { headers: Record<string, string | string[] | undefined>; principal?: Principal; body?: unknown; ip?: string };
}

/**
 * Builds the gateway's request context. The gateway verifies every request's token before
 * planning it (UNAUTHENTICATED with HTTP 401 otherwise — thrown from the context function, as
 * Apollo Server documents) and forwards the same token to the subgraphs, which verify it again
 * (zero trust) and decide on roles.
 */
export function authenticatedContext(
  verifier: TokenVerifier,
  onPrincipal: (p: Principal) => void,
  limiter?: RateLimiter,
  /** Refuses a valid token all the same, e.g. a deactivated user's (a reason, or undefined). */
  refuse?: (p: Principal) => string | undefined,
) {
  return async ({ req }: GatewayContext): Promise<GatewayContext> => {
    // Anonymous: only the public queries (certificate verification), rate-limited per address.
    if (limiter && !bearerOf(req.headers) && isPublicOperation(req.body)) {
      if (!limiter.take(clientAddress(req))) throw rateLimited();
      return { req };
    }
    try {
      const token = bearerOf(req.headers);
      if (!token) throw new UnauthenticatedError('no bearer token');
      const principal = await verifier.verify(token);
      const refused = refuse?.(principal);
      if (refused) throw new UnauthenticatedError(refused);
      req.principal = principal;
      onPrincipal(req.principal);
    } catch (e) {
      const message = e instanceof UnauthenticatedError ? e.message : 'not authenticated';
      throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    return { req };
  };
}
