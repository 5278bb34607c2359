// The artifacts service's migration job: `node dist/apps/artifacts/src/migrate.js [--check | --create]`.
import { runMigrations } from '@scriptripper/event-store';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({
  service: 'artifacts',
  ormOptions: mikroOrmOptions,
  sourcePath: 'apps/artifacts/src/migrations',
});
