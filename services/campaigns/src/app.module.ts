import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '@hrp/auth';
import { EventStoreModule } from '@hrp/event-store';
import { GraphQLErrorFilter, subgraphModule } from '@hrp/graphql-kit';
import { currentContext, HealthModule, platformHealthChecks, RequestLogInterceptor } from '@hrp/service-kit';
import { CampaignQueries } from './campaign/campaign.queries';
import { campaignEventRegistry } from './campaign/campaign.registry';
import { CampaignResolver } from './campaign/campaign.resolver';
import { CampaignsRuntime } from './campaign/campaign.runtime';
import { CampaignService } from './campaign/campaign.service';
import { config } from './config';

@Module({
  imports: [
    HealthModule.forRoot('campaigns', platformHealthChecks('campaigns', config)),
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
      context: 'campaigns',
      mongoUrl: config.MONGO_URL,
      dbName: config.MONGO_DB,
      upcast: (e) => campaignEventRegistry.upcast(e),
      handlers: { snapshotEvery: 100 },
    }),
    subgraphModule({ typePaths: [path.join(__dirname, 'campaign', '*.graphql')], production: config.NODE_ENV === 'production' }),
  ],
  providers: [
    CampaignService,
    CampaignsRuntime,
    CampaignQueries,
    CampaignResolver,
    { provide: APP_FILTER, useClass: GraphQLErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: RequestLogInterceptor },
  ],
})
export class AppModule {}
