import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type MiddlewareConsumer, Module, type NestModule, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { parse } from 'graphql';
import { bearerOf, KeycloakTokenVerifier, UnauthenticatedError, type Principal } from '@hrp/auth';
import { formatError, graphQLError, SHARED_SDL_PATH, sharedScalarResolvers, toGraphQLError } from '@hrp/graphql-kit';
import { config } from '../config';
import { AdminService, type UserView } from './admin.service';
import { deactivatedUsers } from './admin.deactivations';
import type { ProvisionInput } from './admin.rules';
import { AuditService } from './audit.service';
import { auditTrailPage } from './audit-trail/audit-trail.query';
import type { AuditFilter } from './audit-trail/audit-entry';
import { PlatformRuntime } from './platform.runtime';
import { breakdownOf, drillDownOf, type IndicatorArgs, type IndicatorView } from './reporting/indicators.query';
import { ReportingService } from './reporting/reporting.service';
import { ReportsController } from './reporting/reports.controller';

/** Where the gateway serves its own subgraph (and reaches it from its query planner). */
export const PLATFORM_PATH = '/platform/graphql';

/** The SDL of the gateway's subgraph: every `.graphql` beside this file (the shared SDL first). */
export function platformTypeDefs(): string {
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'));
  return [fs.readFileSync(SHARED_SDL_PATH, 'utf8'), ...files].join('\n');
}

interface PlatformContext {
  principal: Principal;
  /** The caller's `Bearer …`, forwarded where a context answers (zero trust). */
  authorization: string;
}

/** Roles that read the audit: the auditor (everything of it), the admin and the director. */
export const AUDIT_READERS = ['auditor', 'admin', 'director'] as const;
/** Of those, who reads business data in it (an admin reads only the acts of administration and the hash chain). */
export const BUSINESS_AUDIT_READERS = ['auditor', 'director'] as const;

function requireRole(ctx: PlatformContext, roles: readonly string[], what: string): void {
  if (!ctx.principal.roles.some((r) => roles.includes(r))) throw graphQLError('FORBIDDEN', `${what} needs the ${roles.join(', ')} role`);
}

/**
 * The gateway's own subgraph: a Federation 2 subgraph (schema-first, the SDL beside this file)
 * served by the gateway process at /platform/graphql and composed into the supergraph like the
 * contexts' subgraphs. It verifies the forwarded token itself (zero trust, as every subgraph
 * does) and decides on roles per field.
 */
@Module({ providers: [AuditService, AdminService, PlatformRuntime, ReportingService], controllers: [ReportsController] })
export class PlatformModule implements NestModule, OnModuleInit, OnModuleDestroy {
  private readonly server: ApolloServer<PlatformContext>;
  private readonly verifier = new KeycloakTokenVerifier({
    keycloakUrl: config.KEYCLOAK_URL,
    realm: config.KEYCLOAK_REALM,
    ...(config.KEYCLOAK_ISSUER_URL ? { issuerUrl: config.KEYCLOAK_ISSUER_URL } : {}),
  });

  constructor(
    private readonly audit: AuditService,
    private readonly admin: AdminService,
    private readonly runtime: PlatformRuntime,
    private readonly reporting: ReportingService,
  ) {
    const production = config.NODE_ENV === 'production';
    this.server = new ApolloServer<PlatformContext>({
      schema: buildSubgraphSchema({
        typeDefs: parse(platformTypeDefs()),
        resolvers: {
          ...sharedScalarResolvers,
          Indicator: {
            breakdown: (v: IndicatorView, args: { by: string }) => breakdownOf(v, args.by),
            facts: (v: IndicatorView) => v.sums.facts,
            drillDown: (v: IndicatorView, args: { first?: number | null; after?: string | null }) => drillDownOf(v, args),
          },
          Query: {
            indicators: (_: unknown, args: IndicatorArgs & { minPosition?: string | null }, ctx: PlatformContext) =>
              this.reporting.indicators(ctx.principal, args),
            indicator: (_: unknown, args: IndicatorArgs & { code: string }, ctx: PlatformContext) =>
              this.reporting.indicator(ctx.principal, args),
            resultsFramework: (_: unknown, args: { year: number; region?: string | null }, ctx: PlatformContext) =>
              this.reporting.resultsFramework(ctx.principal, args),
            synthesisReport: (_: unknown, args: { year: number; format: string; language?: string | null }, ctx: PlatformContext) =>
              this.reporting.synthesisReport(ctx.principal, args),
            auditTrail: async (
              _: unknown,
              args: { filter: AuditFilter; first?: number | null; after?: string | null },
              ctx: PlatformContext,
            ) => {
              requireRole(ctx, AUDIT_READERS, 'the audit trail');
              // An admin reads the acts of administration, not business data (unless a business role says so).
              if (
                !ctx.principal.roles.some((r) => (BUSINESS_AUDIT_READERS as readonly string[]).includes(r)) &&
                args.filter?.context !== 'gateway'
              )
                throw graphQLError('FORBIDDEN', 'an admin reads the audit trail of user administration only: filter.context "gateway"');
              return auditTrailPage(this.runtime.auditTrail(), args);
            },
            verifyAuditTrail: async (_: unknown, args: { streamId?: string | null }, ctx: PlatformContext) => {
              requireRole(ctx, AUDIT_READERS, 'verifying the audit trail');
              return this.audit.verify(args.streamId);
            },
            stateAsOf: async (_: unknown, args: { streamId: string; at: string }, ctx: PlatformContext) => {
              // Business data: not for an admin without a business role (the service checks again).
              requireRole(ctx, BUSINESS_AUDIT_READERS, 'a state as of a moment');
              return this.audit.stateAsOf(args.streamId, args.at, ctx.authorization);
            },
            projectionRebuild: async (_: unknown, args: { name: string }, ctx: PlatformContext) => {
              requireRole(ctx, ['admin'], 'a rebuild of a read model');
              return this.audit.rebuildStatus(args.name, ctx.authorization);
            },
            users: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: PlatformContext) => {
              requireRole(ctx, ['admin'], 'user administration');
              return this.admin.users(args.first, args.after);
            },
          },
          Mutation: {
            setIndicatorTarget: (
              _: unknown,
              args: { code: string; year: number; target: number; baseline?: number | null; reason?: string | null },
              ctx: PlatformContext,
            ) => this.reporting.setTarget(ctx.principal, args),
            rebuildProjection: async (_: unknown, args: { name: string }, ctx: PlatformContext) => {
              requireRole(ctx, ['admin'], 'a rebuild of a read model');
              return this.audit.rebuild(args.name, ctx.authorization);
            },
            provisionUser: async (_: unknown, args: { input: ProvisionInput }, ctx: PlatformContext): Promise<UserView> => {
              requireRole(ctx, ['admin'], 'user administration');
              return this.admin.provision(ctx.principal, args.input);
            },
            assignRoles: async (
              _: unknown,
              args: { userId: string; roles: string[]; region?: string | null; reason?: string | null },
              ctx: PlatformContext,
            ): Promise<UserView> => {
              requireRole(ctx, ['admin'], 'user administration');
              return this.admin.assignRoles(ctx.principal, args);
            },
            deactivateUser: async (
              _: unknown,
              args: { userId: string; reason?: string | null },
              ctx: PlatformContext,
            ): Promise<UserView> => {
              requireRole(ctx, ['admin'], 'user administration');
              return this.admin.deactivate(ctx.principal, args);
            },
          },
        } as never,
      }),
      introspection: !production,
      includeStacktraceInErrorResponses: !production,
      formatError: (formatted, error) =>
        formatError(production)(error instanceof Error && !formatted.extensions?.code ? toGraphQLError(error) : formatted),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
  }

  async onModuleInit(): Promise<void> {
    this.started = this.server.start();
    await this.started;
  }

  /** Apollo's handler, made once the server has started (Nest configures middleware before init). */
  private handler?: RequestHandler;
  private started?: Promise<void>;

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        void (async () => {
          await this.started;
          this.handler ??= expressMiddleware(this.server, {
            context: async ({ req: r }) => {
              try {
                const token = bearerOf(r.headers);
                if (!token) throw new UnauthenticatedError('no bearer token');
                const principal = await this.verifier.verify(token);
                if (deactivatedUsers.has(principal.subject)) throw new UnauthenticatedError('the user is deactivated');
                return { principal, authorization: `Bearer ${token}` };
              } catch (e) {
                throw graphQLError('UNAUTHENTICATED', e instanceof UnauthenticatedError ? e.message : 'not authenticated', {
                  http: { status: 401 },
                });
              }
            },
          });
          await this.handler(req, res, next);
        })().catch(next);
      })
      .forRoutes(PLATFORM_PATH);
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
