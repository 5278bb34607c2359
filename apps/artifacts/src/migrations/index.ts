import type { MigrationObject } from '@mikro-orm/core';

/**
 * The artifacts service's own migrations, in order, after the event store's. To add one, change
 * the entities, run `npm run build && node dist/apps/artifacts/src/migrate.js --create` from the
 * repository root (with DATABASE_URL set), review the file it writes here, and list it below.
 */
export const artifactsMigrations: readonly MigrationObject[] = [];
