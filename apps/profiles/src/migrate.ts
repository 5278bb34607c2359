// The profiles service's migration job: creates schema `profiles` and applies pending migrations.
import { runMigrations } from '@scriptripper/observability';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'profiles', ormOptions: mikroOrmOptions });
