import { Module, type DynamicModule } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inbox } from '../inbox/inbox';
import { OutboxRelay, type OutboxRelayOptions } from '../relay/outbox-relay';
import { EventStore } from '../store/event-store';
import type { Projection } from '../store/event-store.types';

/** Builds relays on the app's EntityManager; the app supplies the publisher and owns start/stop. */
export class OutboxRelayFactory {
  constructor(private readonly em: EntityManager) {}

  create(options: Omit<OutboxRelayOptions, 'em'>): OutboxRelay {
    return new OutboxRelay({ ...options, em: this.em });
  }
}

export interface EventStoreModuleOptions {
  /** Read models applied inline by every append. */
  readonly projections?: readonly Projection[];
}

/**
 * EventStore, Inbox and OutboxRelayFactory for an app that imports
 * `MikroOrmModule.forRoot({ driver: PostgreSqlDriver, schema: '<service>', entities: [...eventStoreEntities, ...] })`.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EventStore,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => new EventStore(em, options),
        },
        { provide: Inbox, inject: [EntityManager], useFactory: (em: EntityManager) => new Inbox(em) },
        {
          provide: OutboxRelayFactory,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => new OutboxRelayFactory(em),
        },
      ],
      exports: [EventStore, Inbox, OutboxRelayFactory],
    };
  }
}
