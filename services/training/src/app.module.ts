import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { ContextModule } from '@hrp/context-kit';
import { EVENT_STORE_CONNECTION } from '@hrp/event-store';
import { PersonRegistry, keysFromEnv } from '@hrp/personal-data';
import { CertificatePdfController } from './certificate/certificate.controller';
import { config } from './config';
import { KnownPartners } from './partner/known-partners';
import { PartnerResolver } from './partner/partner.resolver';
import { TaggedWorkResolver } from './tagged-work/tagged-work.resolver';
import { trainingContext } from './training.context';
import { TrainingModuleResolver, TrainingResolver } from './training.resolver';

@Module({
  imports: [ContextModule.forRoot(trainingContext, config)],
  controllers: [CertificatePdfController],
  providers: [
    TrainingResolver,
    TrainingModuleResolver,
    PartnerResolver,
    TaggedWorkResolver,
    KnownPartners,
    {
      // Participants' keys, outside the event log (crypto-shredding: libs/personal-data).
      provide: PersonRegistry,
      inject: [EVENT_STORE_CONNECTION],
      useFactory: async (connection: Connection) => {
        const registry = new PersonRegistry({ db: connection.db!, ...keysFromEnv(process.env) });
        await registry.ensureIndexes();
        return registry;
      },
    },
  ],
})
export class AppModule {}
