// The profiles service's read-model rebuild: `node dist/apps/profiles/src/rebuild-projections.js [--dry-run] [--json]`.
import { runReadModelRebuild } from '@scriptripper/service-runtime';
import { mikroOrmOptions } from './mikro-orm.config';
import { profilesReadModels } from './projections';

void runReadModelRebuild({
  service: 'profiles',
  ormOptions: mikroOrmOptions,
  readModels: () => profilesReadModels,
});
