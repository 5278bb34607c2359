import type { DataServiceConfig } from '@scriptripper/config';
import { serviceOrmOptions } from '@scriptripper/event-store';
import { privacyMigrations } from '@scriptripper/privacy';
import { jobsMigrations } from './migrations';
import { jobsEntities } from './read-models';

/**
 * MikroORM for the jobs service: its own schema `jobs` in the shared cluster, the event
 * store's tables and migrations, then the service's read models and migrations. Used by the
 * app and by `migrate.ts`, so both always agree.
 */
export function mikroOrmOptions(config: Pick<DataServiceConfig, 'DATABASE_URL'>) {
  return serviceOrmOptions({
    clientUrl: config.DATABASE_URL,
    schema: 'jobs',
    entities: jobsEntities,
    migrations: [...privacyMigrations, ...jobsMigrations],
  });
}
