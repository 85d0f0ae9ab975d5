import { Module } from '@nestjs/common';
import { HealthModule, KeycloakHealth, MetricsModule, platformHealthChecks } from '@hrp/service-kit';
import { config } from './config';
import { ConsoleController } from './console.controller';
import { GatewayGraphQLModule, publicLimiter, SUPERGRAPH, urls } from './graphql.module';
import { CertificateController, CertificatePdfProxy, PUBLIC_LIMITER, TRAINING_GRAPHQL_URL } from './public';
import { composedSubgraphs, SubgraphHealth } from './health';
import { PlatformModule } from './platform/platform.module';
import { platformRuntimeHealth } from './platform/platform.runtime';

@Module({
  controllers: [CertificateController, CertificatePdfProxy, ConsoleController],
  providers: [
    { provide: PUBLIC_LIMITER, useValue: publicLimiter },
    { provide: TRAINING_GRAPHQL_URL, useValue: urls.training },
  ],
  imports: [
    GatewayGraphQLModule,
    PlatformModule,
    MetricsModule,
    HealthModule.forRoot('gateway', [
      ...platformHealthChecks('gateway', config),
      new KeycloakHealth(`${config.KEYCLOAK_URL}/realms/${config.KEYCLOAK_REALM}`),
      // The audit trail's consumer and the admin stream's relay.
      platformRuntimeHealth,
      ...composedSubgraphs(SUPERGRAPH)
        // The gateway's own subgraph is this process: its health is this /health.
        .filter((name) => name !== 'gateway')
        .filter((name) => config.HEALTH_SUBGRAPHS === '' || config.HEALTH_SUBGRAPHS.split(',').includes(name))
        .map((name) => new SubgraphHealth(name, urls[name])),
    ]),
  ],
})
export class AppModule {}
