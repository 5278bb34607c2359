// The auth service's migration job: creates schema `auth` and applies pending migrations.
import { runMigrations } from '@scriptripper/observability';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'auth', ormOptions: mikroOrmOptions });
