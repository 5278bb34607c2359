import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import type { DataServiceConfig } from '@scriptripper/config';

/**
 * MikroORM for the artifacts service: its own schema `artifacts` in the shared cluster, migrations
 * in `./migrations` (compiled next to this file in dist/). Used by the app, by `migrate.ts`
 * and by the migrations CLI; entities are added here.
 */
export function mikroOrmOptions(config: Pick<DataServiceConfig, 'DATABASE_URL'>): Options<PostgreSqlDriver> {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: config.DATABASE_URL,
    schema: 'artifacts',
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      path: join(__dirname, 'migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
    },
  });
}
