import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule, OutboxRelayFactory, type Projection } from '@scriptripper/event-store';
import { OutboxRelayRunner, type OutboxRelayRunnerOptions } from './outbox-relay.runner';

export interface DataServiceModuleOptions extends OutboxRelayRunnerOptions {
  /** The service's read models, applied inline by every append. */
  readonly projections?: readonly Projection[];
}

/**
 * What every data service runs beside its domain: the event store (EventStore, Inbox) on the
 * app's MikroORM connection, and its outbox relay to Redis Streams. Import it after
 * `MikroOrmModule.forRoot(mikroOrmOptions(config))`.
 */
@Module({})
export class DataServiceModule {
  static forRoot(options: DataServiceModuleOptions): DynamicModule {
    const eventStore = EventStoreModule.forRoot({ projections: options.projections ?? [] });
    return {
      module: DataServiceModule,
      global: true,
      imports: [eventStore],
      providers: [
        {
          provide: OutboxRelayRunner,
          inject: [OutboxRelayFactory],
          useFactory: (factory: OutboxRelayFactory) => new OutboxRelayRunner(options, factory),
        },
      ],
      exports: [eventStore, OutboxRelayRunner],
    };
  }
}
