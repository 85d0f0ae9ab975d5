import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { EVENT_STORE_CONNECTION } from '@hrp/event-store';
import { personRegistryProvider } from '@hrp/personal-data';
import { CertificatePdfController } from './certificate/certificate.controller';
import { config } from './config';
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
    // Contacts' and participants' keys, outside the event log (crypto-shredding: libs/personal-data).
    personRegistryProvider(EVENT_STORE_CONNECTION),
  ],
})
export class AppModule {}
