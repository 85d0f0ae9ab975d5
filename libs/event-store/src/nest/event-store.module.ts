import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Command as CqrsCommand, CommandHandler, CqrsModule, type ICommandHandler } from '@nestjs/cqrs';
import type { Command, Decider, DomainEvent } from '@hrp/domain-kit';
import mongoose, { type Connection } from 'mongoose';
import { EventSourcedHandler, type EventSourcedHandlerOptions, type HandleOptions, type HandleResult } from '../command-handler';
import { EventStore } from '../event-store';
import type { EventStoreOptions } from '../types';

/** Options of {@link EventStoreModule.forRoot}. */
export interface EventStoreModuleOptions extends EventStoreOptions {
  /** Bounded context that owns the store (e.g. `campaigns`); used in the connection's app name. */
  readonly context: string;
  readonly mongoUrl: string;
  readonly dbName: string;
  /** Defaults for every decider's handler (retries, snapshotEvery, ...). */
  readonly handlers?: EventSourcedHandlerOptions;
}

/** Injection token of the module's options. */
export const EVENT_STORE_OPTIONS = Symbol('EVENT_STORE_OPTIONS');
/** Injection token of the store's mongoose Connection (closed when the module is destroyed). */
export const EVENT_STORE_CONNECTION = Symbol('EVENT_STORE_CONNECTION');

/** One {@link EventSourcedHandler} per decider, built on the module's store and defaults. */
@Injectable()
export class EventSourcedHandlers {
  private readonly byDecider = new Map<object, EventSourcedHandler<Command, DomainEvent, unknown>>();

  constructor(
    readonly store: EventStore,
    @Inject(EVENT_STORE_OPTIONS) private readonly options: EventStoreModuleOptions,
  ) {}

  /** The handler of a decider (created on first use; later options are ignored). */
  for<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    options?: EventSourcedHandlerOptions,
  ): EventSourcedHandler<C, E, S> {
    let h = this.byDecider.get(decider);
    if (!h) {
      h = new EventSourcedHandler(this.store, decider, { ...this.options.handlers, ...options });
      this.byDecider.set(decider, h);
    }
    return h as unknown as EventSourcedHandler<C, E, S>;
  }
}

/**
 * The one @nestjs/cqrs command that runs any decider through the generic handler:
 * `commandBus.execute(new DecideCommand(campaignDecider, streamId, command, { expectedVersion }))`
 * resolves to the {@link HandleResult}. (No AggregateRoot: `evolve` is the only fold.)
 */
export class DecideCommand<C extends Command = Command, E extends DomainEvent = DomainEvent, S = unknown> extends CqrsCommand<
  HandleResult<E, S>
> {
  constructor(
    readonly decider: Decider<C, E, S>,
    readonly streamId: string,
    readonly command: C,
    readonly options: HandleOptions<S> = {},
  ) {
    super();
  }
}

/** Runs a {@link DecideCommand} through the decider's {@link EventSourcedHandler}. */
@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand> {
  constructor(private readonly handlers: EventSourcedHandlers) {}

  execute(c: DecideCommand): Promise<HandleResult<DomainEvent, unknown>> {
    return this.handlers.for(c.decider).handle(c.streamId, c.command, c.options);
  }
}

/**
 * Wires the event store into a service: `imports: [EventStoreModule.forRoot({ context, mongoUrl,
 * dbName })]`, then inject {@link EventStore} or {@link EventSourcedHandlers}, or execute a
 * {@link DecideCommand} on the CommandBus. Global; configures `CqrsModule.forRoot({
 * rethrowUnhandled: true })` so handler failures surface.
 */
@Module({})
export class EventStoreModule implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection) {}

  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      imports: [CqrsModule.forRoot({ rethrowUnhandled: true })],
      providers: [
        { provide: EVENT_STORE_OPTIONS, useValue: options },
        {
          provide: EVENT_STORE_CONNECTION,
          useFactory: () =>
            mongoose
              .createConnection(options.mongoUrl, { dbName: options.dbName, appName: `hrp-${options.context}`, autoIndex: false })
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
        EventSourcedHandlers,
        DecideCommandHandler,
      ],
      exports: [EVENT_STORE_OPTIONS, EVENT_STORE_CONNECTION, EventStore, EventSourcedHandlers],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.close();
  }
}
