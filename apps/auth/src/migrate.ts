// The auth service's migration job: `node dist/apps/auth/src/migrate.js [--check | --create]`.
import { runMigrations } from '@scriptripper/event-store';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'auth', ormOptions: mikroOrmOptions, sourcePath: 'apps/auth/src/migrations' });
