import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@hrp/auth';
import { EventStoreModule } from '@hrp/event-store';
import { GraphQLErrorFilter, subgraphModule } from '@hrp/graphql-kit';
import { currentContext, HealthModule, MetricsModule, platformHealthChecks, RequestLogInterceptor } from '@hrp/service-kit';
import { AuditStateController } from './audit-state.controller';
import { ProjectionRebuilds, ProjectionRebuildsController } from './rebuilds.controller';
import { AGGREGATE_COMMANDS, CommandService, wireAggregate } from './commands';
import type { ContextConfig } from './config';
import type { ContextDefinition } from './definition';
import { MutationFingerprintInterceptor } from './fingerprint.interceptor';
import { ReadModels } from './read-models';
import { RuntimeHealth } from './health';
import { Clock, clockFrom } from './jobs';
import { CONTEXT, ContextRuntime, RelayOnAppend } from './runtime';

/**
 * A bounded context's service in one import: `imports: [ContextModule.forRoot(definition, config)]`
 * beside the context's resolver. It brings the Keycloak guard and principal, the event store, one
 * command class and handler per aggregate on @nestjs/cqrs, the subgraph with its error filter and
 * interceptors, the runtime (relay, read models, reactions, read-your-writes) and /health.
 * Resolvers inject {@link CommandService} and {@link ReadModels}.
 */
@Module({})
export class ContextModule {
  static forRoot(definition: ContextDefinition, config: ContextConfig): DynamicModule {
    const wiring = definition.aggregates.map((a) => wireAggregate(a, definition, config));
    // The runtime reports its consumers and relay through this check once it has started them.
    const runtimeHealth = new RuntimeHealth(config.CONSUMER_STALL_MS);
    return {
      module: ContextModule,
      global: true,
      controllers: [AuditStateController, ProjectionRebuildsController],
      imports: [
        CqrsModule.forRoot({ rethrowUnhandled: true }),
        MetricsModule,
        HealthModule.forRoot(definition.name, [...platformHealthChecks(definition.name, config), runtimeHealth]),
        AuthModule.forRoot({
          keycloakUrl: config.KEYCLOAK_URL,
          realm: config.KEYCLOAK_REALM,
          ...(config.KEYCLOAK_ISSUER_URL ? { issuerUrl: config.KEYCLOAK_ISSUER_URL } : {}),
          onPrincipal: (p) => {
            const ctx = currentContext();
            if (ctx) ctx.actor = { subject: p.subject, username: p.username };
          },
        }),
        EventStoreModule.forRoot({
          context: definition.name,
          mongoUrl: config.MONGO_URL,
          dbName: config.MONGO_DB,
          upcast: (e) => definition.registry.upcast(e),
          idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3600_000,
          socketTimeoutMs: config.MONGO_SOCKET_TIMEOUT_MS,
        }),
        subgraphModule({ typePaths: [...definition.sdl], production: config.NODE_ENV === 'production' }),
      ],
      providers: [
        { provide: CONTEXT, useValue: { definition, config } },
        { provide: RuntimeHealth, useValue: runtimeHealth },
        { provide: Clock, useValue: clockFrom(config) },
        { provide: AGGREGATE_COMMANDS, useValue: new Map(wiring.map((w) => [w.aggregate, w.Message])) },
        ...wiring.map((w) => w.Handler),
        CommandService,
        ContextRuntime,
        ReadModels,
        ProjectionRebuilds,
        RelayOnAppend,
        { provide: APP_FILTER, useClass: GraphQLErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestLogInterceptor },
        { provide: APP_INTERCEPTOR, useClass: MutationFingerprintInterceptor },
      ],
      exports: [CommandService, ReadModels, ContextRuntime, Clock],
    };
  }
}
