import { Module } from '@nestjs/common';
import { HealthModule, KeycloakHealth, MetricsModule, platformHealthChecks } from '@hrp/service-kit';
import { config } from './config';
import { GatewayGraphQLModule, SUPERGRAPH, urls } from './graphql.module';
import { composedSubgraphs, SubgraphHealth } from './health';

@Module({
  imports: [
    GatewayGraphQLModule,
    MetricsModule,
    HealthModule.forRoot('gateway', [
      ...platformHealthChecks('gateway', config),
      new KeycloakHealth(`${config.KEYCLOAK_URL}/realms/${config.KEYCLOAK_REALM}`),
      ...composedSubgraphs(SUPERGRAPH)
        .filter((name) => config.HEALTH_SUBGRAPHS === '' || config.HEALTH_SUBGRAPHS.split(',').includes(name))
        .map((name) => new SubgraphHealth(name, urls[name])),
    ]),
  ],
})
export class AppModule {}
