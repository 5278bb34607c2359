import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128080911 } from './Migration20261128080911';
import { Migration20261128093337 } from './Migration20261128093337_batches';
import { Migration20261128093353 } from './Migration20261128093353_custom_prompts';
import { Migration20261128093800 } from './Migration20261128093800_lifecycle';
import { Migration20261128093812 } from './Migration20261128093812_limits_webhooks';
import { Migration20261128094859 } from './Migration20261128094859_rerun_of';
import { Migration20261128102050 } from './Migration20261128102050_prompt_idempotency_keys';

/**
 * The jobs service's own migrations, in order, after the event store's. To add one, change
 * the entities, run `npm run build && node dist/apps/jobs/src/migrate.js --create` from the
 * repository root (with DATABASE_URL set), review the file it writes here, and list it below.
 */
export const jobsMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128080911_jobs_read_models', class: Migration20261128080911 },
  { name: 'Migration20261128093337_batches', class: Migration20261128093337 },
  { name: 'Migration20261128093353_custom_prompts', class: Migration20261128093353 },
  { name: 'Migration20261128093800_lifecycle', class: Migration20261128093800 },
  { name: 'Migration20261128093812_limits_webhooks', class: Migration20261128093812 },
  { name: 'Migration20261128094859_rerun_of', class: Migration20261128094859 },
  { name: 'Migration20261128102050_prompt_idempotency_keys', class: Migration20261128102050 },
];
