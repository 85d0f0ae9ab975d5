import { Module } from '@nestjs/common';
import { HealthModule, platformHealthChecks } from '@hrp/service-kit';
import { config } from './config';

@Module({
  imports: [HealthModule.forRoot('campaigns', platformHealthChecks('campaigns', config))],
})
export class AppModule {}
