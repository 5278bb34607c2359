// The jobs service's read-model rebuild: `node dist/apps/jobs/src/rebuild-projections.js [--dry-run] [--json]`.
// Needs JOBS_KEY_ENCRYPTION_KEY besides DATABASE_URL: file names and prompts are opened into the read models.
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { runReadModelRebuild } from '@scriptripper/service-runtime';
import { mikroOrmOptions } from './mikro-orm.config';
import { jobsReadModels } from './projections';

void runReadModelRebuild({
  service: 'jobs',
  ormOptions: mikroOrmOptions,
  readModels: (env) => {
    const key = env['JOBS_KEY_ENCRYPTION_KEY'];
    if (!key) throw new Error('JOBS_KEY_ENCRYPTION_KEY is not set');
    return jobsReadModels(parseKeyEncryptionKey(key));
  },
});
