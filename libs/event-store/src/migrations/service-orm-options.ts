import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { eventStoreEntities } from '../schema/event-store.entities';
import { eventStoreMigrations } from './event-store-migrations';

export interface ServiceOrmSettings {
  readonly clientUrl: string;
  /** The service's own Postgres schema; it never reads or writes another's. */
  readonly schema: string;
  /** The service's read-model entities, beside the store's. */
  readonly entities?: NonNullable<Options['entities']>;
  /** The service's own migrations, run after the store's, in order. */
  readonly migrations?: readonly MigrationObject[];
}

/**
 * MikroORM options of a data service: the store's entities and migrations plus the service's,
 * all in the service's schema (the migrations table too). Used by the app, its migration
 * job and the drift check, so the three always agree.
 */
export function serviceOrmOptions(settings: ServiceOrmSettings): Options {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: settings.clientUrl,
    schema: settings.schema,
    entities: [...eventStoreEntities, ...(settings.entities ?? [])],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    extensions: [Migrator],
    migrations: {
      migrationsList: [...eventStoreMigrations, ...(settings.migrations ?? [])],
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
    },
  });
}
