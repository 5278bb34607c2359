// The auth service's read-model rebuild: `node dist/apps/auth/src/rebuild-projections.js [--dry-run] [--json]`.
// Needs AUTH_KEY_ENCRYPTION_KEY besides DATABASE_URL: the users' personal data is decrypted into the read models.
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { runReadModelRebuild } from '@scriptripper/service-runtime';
import { mikroOrmOptions } from './mikro-orm.config';
import { authReadModels } from './projections';

void runReadModelRebuild({
  service: 'auth',
  ormOptions: mikroOrmOptions,
  readModels: (env) => {
    const key = env['AUTH_KEY_ENCRYPTION_KEY'];
    if (!key) throw new Error('AUTH_KEY_ENCRYPTION_KEY is not set');
    return authReadModels(parseKeyEncryptionKey(key));
  },
});
