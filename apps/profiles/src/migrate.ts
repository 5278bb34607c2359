// The profiles service's migration job: `node dist/apps/profiles/src/migrate.js [--check | --create]`.
import { runMigrations } from '@scriptripper/event-store';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({
  service: 'profiles',
  ormOptions: mikroOrmOptions,
  sourcePath: 'apps/profiles/src/migrations',
});
