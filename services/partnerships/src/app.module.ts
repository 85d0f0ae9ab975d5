import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { EVENT_STORE_CONNECTION } from '@hrp/event-store';
import { personRegistryProvider } from '@hrp/personal-data';
import { config } from './config';
import { PartnerNames } from './partner/partner-names';
import { partnershipsContext } from './partnerships.context';
import { AgreementResolver, PartnerResolver } from './partnerships.resolver';
import { TaggedWorkResolver } from './tagged-work.resolver';

@Module({
  imports: [ContextModule.forRoot(partnershipsContext, config)],
  providers: [
    PartnerResolver,
    AgreementResolver,
    TaggedWorkResolver,
    PartnerNames,
    // Contacts' and participants' keys, outside the event log (crypto-shredding: libs/personal-data).
    personRegistryProvider(EVENT_STORE_CONNECTION),
  ],
})
export class AppModule {}
