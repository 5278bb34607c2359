import type { MigrationObject } from '@mikro-orm/core';
import { OidcAttemptsMigration } from './oidc-attempts.migration';

/** The OIDC slice's migrations, in order; the auth service lists them among its own. */
export const oidcMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261128073500_oidc_attempts', class: OidcAttemptsMigration },
];
