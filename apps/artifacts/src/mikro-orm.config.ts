import type { DataServiceConfig } from '@scriptripper/config';
import { serviceOrmOptions } from '@scriptripper/event-store';
import { artifactsMigrations } from './migrations';
import { artifactsEntities } from './read-models';

/**
 * MikroORM for the artifacts service: its own schema `artifacts` in the shared cluster, the event
 * store's tables and migrations, then the service's read models and migrations. Used by the
 * app and by `migrate.ts`, so both always agree.
 */
export function mikroOrmOptions(config: Pick<DataServiceConfig, 'DATABASE_URL'>) {
  return serviceOrmOptions({
    clientUrl: config.DATABASE_URL,
    schema: 'artifacts',
    entities: artifactsEntities,
    migrations: artifactsMigrations,
  });
}
