import type { mongo } from 'mongoose';
import { keysFromEnv } from './keys';
import { PersonRegistry } from './person-registry';

/**
 * The Nest provider of a service's {@link PersonRegistry}: its keys from the environment, its
 * collections in the database of the connection `connectionToken` gives (the event store's),
 * its unique index ensured before first use. `providers: [personRegistryProvider(EVENT_STORE_CONNECTION)]`.
 */
export function personRegistryProvider(connectionToken: symbol | string) {
  return {
    provide: PersonRegistry,
    inject: [connectionToken],
    useFactory: async (connection: { db?: mongo.Db }) => {
      if (!connection.db) throw new Error('the personal-data registry needs an open connection');
      const registry = new PersonRegistry({ db: connection.db, ...keysFromEnv(process.env) });
      await registry.ensureIndexes();
      return registry;
    },
  };
}
