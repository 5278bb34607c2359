import type { ReadModels } from '@scriptripper/service-runtime';
import { signingKeyProjection } from './signing-key/signing-key.projection';
import { userProjection } from './user/user.projection';

/**
 * The auth service's read models: what its appends apply (AppModule) and what
 * `rebuild-projections` replays. Not emptied: `user_keys` (the per-user keys, in no event) and
 * `oidc_attempts` (short-lived sign-in state, written outside the events).
 */
export function authReadModels(keyEncryptionKey: Buffer): ReadModels {
  return {
    projections: [userProjection(keyEncryptionKey), signingKeyProjection],
    tables: ['users', 'magic_links', 'refresh_tokens', 'api_tokens', 'signing_keys'],
  };
}
