import type { MigrationObject } from '@mikro-orm/core';
import { EventStoreTablesMigration } from './event-store-tables.migration';

/** The store's own migrations, in order; each data service runs them before its own. */
export const eventStoreMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128000000_event_store_tables', class: EventStoreTablesMigration },
];
