import { Module } from '@nestjs/common';
import { HealthModule, platformHealthChecks } from '@hrp/service-kit';
import { config } from './config';

@Module({
  imports: [HealthModule.forRoot('advocacy', platformHealthChecks('advocacy', config))],
})
export class AppModule {}
