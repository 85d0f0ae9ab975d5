import {
  Inject,
  Injectable,
  Module,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { KeycloakTokenVerifier, type KeycloakVerifierOptions } from './keycloak-verifier';
import { UnauthenticatedError, type Principal, type TokenVerifier } from './principal';
import { RevokingVerifier } from './revocations';

/** Marks a route or controller as reachable without a token (health, readiness). */
export const PUBLIC_ROUTE = 'hrp:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Receives the principal once verified, e.g. to put the actor into the logging context. */
export type PrincipalListener = (principal: Principal) => void;
export const PRINCIPAL_LISTENER = Symbol('PRINCIPAL_LISTENER');

function requestOf(ctx: ExecutionContext): RequestLike | undefined {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req?: RequestLike }>().req;
  return ctx.switchToHttp().getRequest<RequestLike>();
}

/** Extracts the bearer token of an Authorization header, or undefined. */
export function bearerOf(headers: RequestLike['headers']): string | undefined {
  const h = headers.authorization;
  const value = Array.isArray(h) ? h[0] : h;
  const m = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return m?.[1];
}

/**
 * Zero trust: every request must carry a valid Keycloak bearer token, whether it comes from the
 * gateway or straight to a subgraph. Verified once per request (GraphQL runs guards per resolver).
 * Failures are UNAUTHENTICATED (GraphQL) or 401 (HTTP).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(PRINCIPAL_LISTENER) private readonly onPrincipal: PrincipalListener,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = requestOf(ctx);
    if (!req) return false;
    if (req.principal) return true;
    const graphql = ctx.getType<string>() === 'graphql';
    try {
      const token = bearerOf(req.headers);
      if (!token) throw new UnauthenticatedError('no bearer token');
      req.principal = await this.verifier.verify(token);
      this.onPrincipal(req.principal);
      return true;
    } catch (e) {
      const message = e instanceof UnauthenticatedError ? e.message : 'not authenticated';
      if (graphql) throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      throw new UnauthorizedException(message);
    }
  }
}

/**
 * The caller of an entity reference (`_entities`, another subgraph's field resolved here):
 * @apollo/subgraph calls `__resolveReference(reference, context)` outside Nest's guards, so a
 * subgraph whose entities are read by role verifies the request's token through this.
 */
@Injectable()
export class ReferencePrincipal {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(PRINCIPAL_LISTENER) private readonly onPrincipal: PrincipalListener,
  ) {}

  async of(context: { req?: RequestLike } | undefined): Promise<Principal> {
    const req = context?.req;
    if (req?.principal) return req.principal;
    try {
      const token = req ? bearerOf(req.headers) : undefined;
      if (!token) throw new UnauthenticatedError('no bearer token');
      const principal = await this.verifier.verify(token);
      req!.principal = principal;
      this.onPrincipal(principal);
      return principal;
    } catch (e) {
      throw new GraphQLError(e instanceof UnauthenticatedError ? e.message : 'not authenticated', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  }
}

/** The verified caller of the current request (resolver or controller parameter). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const p = requestOf(ctx)?.principal;
  if (!p) throw new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } });
  return p;
});

export interface AuthModuleOptions extends KeycloakVerifierOptions {
  onPrincipal?: PrincipalListener;
}

@Module({})
export class AuthModule {
  /** Verifies Keycloak tokens on every route and resolver, except those marked @Public(). */
  static forRoot(opts: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        // Deactivated users' tokens are refused though still valid (revocations.ts).
        { provide: TOKEN_VERIFIER, useValue: new RevokingVerifier(new KeycloakTokenVerifier(opts)) },
        { provide: PRINCIPAL_LISTENER, useValue: opts.onPrincipal ?? (() => undefined) },
        { provide: APP_GUARD, useClass: AuthGuard },
        ReferencePrincipal,
      ],
      exports: [TOKEN_VERIFIER, ReferencePrincipal],
    };
  }
}
