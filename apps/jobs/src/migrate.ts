// The jobs service's migration job: `node dist/apps/jobs/src/migrate.js [--check | --create]`.
import { runMigrations } from '@scriptripper/event-store';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'jobs', ormOptions: mikroOrmOptions, sourcePath: 'apps/jobs/src/migrations' });
