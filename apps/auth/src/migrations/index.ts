import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128074041 } from './Migration20261128074041';
import { Migration20261205173022 } from './Migration20261205173022_api_token_parents';

/**
 * The auth service's own migrations, in order, after the event store's. To add one, change
 * the entities, run `npm run build && node dist/apps/auth/src/migrate.js --create` from the
 * repository root (with DATABASE_URL set), review the file it writes here, and list it below.
 */
export const authMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128074041_identity_read_models', class: Migration20261128074041 },
  { name: 'Migration20261205173022_api_token_parents', class: Migration20261205173022 },
];
