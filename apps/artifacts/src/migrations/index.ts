import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128080849 } from './Migration20261128080849';
import { Migration20261128093956 } from './Migration20261128093956_exports';
import { Migration20261128094630 } from './Migration20261128094630_retention';
import { Migration20261128100613 } from './Migration20261128100613_export_idempotency_keys';
import { Migration20261128105300 } from './Migration20261128105300_purged_users';

/**
 * The artifacts service's own migrations, in order, after the event store's. To add one, change
 * the entities, run `npm run build && node dist/apps/artifacts/src/migrate.js --create` from the
 * repository root (with DATABASE_URL set), review the file it writes here, and list it below.
 */
export const artifactsMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128080849_artifacts_read_model', class: Migration20261128080849 },
  { name: 'Migration20261128093956_exports', class: Migration20261128093956 },
  { name: 'Migration20261128094630_retention', class: Migration20261128094630 },
  { name: 'Migration20261128100613_export_idempotency_keys', class: Migration20261128100613 },
  { name: 'Migration20261128105300_purged_users', class: Migration20261128105300 },
];
