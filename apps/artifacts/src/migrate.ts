// The artifacts service's migration job: creates schema `artifacts` and applies pending migrations.
import { runMigrations } from '@scriptripper/observability';
import { mikroOrmOptions } from './mikro-orm.config';

void runMigrations({ service: 'artifacts', ormOptions: mikroOrmOptions });
