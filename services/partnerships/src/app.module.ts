import { Module } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { ContextModule } from '@hrp/context-kit';
import { EVENT_STORE_CONNECTION } from '@hrp/event-store';
import { PersonRegistry, keysFromEnv } from '@hrp/personal-data';
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
    {
      // Contacts' keys, outside the event log (crypto-shredding: libs/personal-data).
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
