// The jobs service's migration job: creates schema `jobs` and applies pending migrations.
import { runMigrations } from '@scriptripper/observability';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'jobs', ormOptions: mikroOrmOptions });
