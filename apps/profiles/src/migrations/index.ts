import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128075837 } from './Migration20261128075837';

/**
 * The profiles service's own migrations, in order, after the event store's. To add one, change
 * the entities, run `npm run build && node dist/apps/profiles/src/migrate.js --create` from the
 * repository root (with DATABASE_URL set), review the file it writes here, and list it below.
 */
export const profilesMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128075837_profiles_read_models', class: Migration20261128075837 },
];
