import { Module } from '@nestjs/common';
import { HealthModule, KeycloakHealth, platformHealthChecks } from '@hrp/service-kit';
import { config } from './config';
import { GatewayGraphQLModule } from './graphql.module';

@Module({
  imports: [
    GatewayGraphQLModule,
    HealthModule.forRoot('gateway', [
      ...platformHealthChecks('gateway', config),
      new KeycloakHealth(`${config.KEYCLOAK_URL}/realms/${config.KEYCLOAK_REALM}`),
    ]),
  ],
})
export class AppModule {}
