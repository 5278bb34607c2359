import type { DataServiceConfig } from '@scriptripper/config';
import { serviceOrmOptions } from '@scriptripper/event-store';
import { privacyMigrations } from '@scriptripper/privacy';
import { authMigrations } from './migrations';
import { oidcEntities, oidcMigrations } from './oidc';
import { authEntities } from './read-models';

/**
 * MikroORM for the auth service: its own schema `auth` in the shared cluster, the event
 * store's tables and migrations, then the service's read models and migrations. Used by the
 * app and by `migrate.ts`, so both always agree.
 */
export function mikroOrmOptions(config: Pick<DataServiceConfig, 'DATABASE_URL'>) {
  return serviceOrmOptions({
    clientUrl: config.DATABASE_URL,
    schema: 'auth',
    entities: [...authEntities, ...oidcEntities],
    migrations: [...privacyMigrations, ...authMigrations, ...oidcMigrations],
  });
}
