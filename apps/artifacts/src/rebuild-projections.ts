// The artifacts service's read-model rebuild: `node dist/apps/artifacts/src/rebuild-projections.js [--dry-run] [--json]`.
import { runReadModelRebuild } from '@scriptripper/service-runtime';
import { mikroOrmOptions } from './mikro-orm.config';
import { artifactsReadModels } from './projections';

void runReadModelRebuild({
  service: 'artifacts',
  ormOptions: mikroOrmOptions,
  readModels: () => artifactsReadModels,
});
