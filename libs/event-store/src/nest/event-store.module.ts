import { type DynamicModule, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { EventStore } from '../event-store';
import type { EventStoreOptions } from '../types';

/** Options of {@link EventStoreModule.forRoot}. */
export interface EventStoreModuleOptions extends EventStoreOptions {
  /** Bounded context that owns the store (e.g. `campaigns`); used in the connection's app name. */
  readonly context: string;
  readonly mongoUrl: string;
  readonly dbName: string;
  /** A store operation without an answer for this long fails (ms; default: the driver's, none). */
  readonly socketTimeoutMs?: number;
}

/** Injection token of the store's mongoose Connection (closed when the module is destroyed). */
export const EVENT_STORE_CONNECTION = Symbol('EVENT_STORE_CONNECTION');

/**
 * The event store of a service: `imports: [EventStoreModule.forRoot({ context, mongoUrl, dbName })]`,
 * then inject {@link EventStore} (initialised) or the connection ({@link EVENT_STORE_CONNECTION}).
 * Global. Command handling is the context kit's (libs/context-kit).
 */
@Module({})
export class EventStoreModule implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection) {}

  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: EVENT_STORE_CONNECTION,
          useFactory: () =>
            mongoose
              .createConnection(options.mongoUrl, {
                dbName: options.dbName,
                appName: `hrp-${options.context}`,
                autoIndex: false,
                ...(options.socketTimeoutMs ? { socketTimeoutMS: options.socketTimeoutMs } : {}),
              })
              .asPromise(),
        },
        {
          provide: EventStore,
          inject: [EVENT_STORE_CONNECTION],
          useFactory: async (connection: Connection) => {
            const store = new EventStore(connection, options);
            await store.init();
            return store;
          },
        },
      ],
      exports: [EVENT_STORE_CONNECTION, EventStore],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.close();
  }
}
