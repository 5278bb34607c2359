// OpenID Connect sign-in, a slice of the auth service: what AppModule, its config and its
// migrations need from it.
import { OidcAttempt } from './oidc-attempt.entity';

export { OidcAttempt } from './oidc-attempt.entity';
export { OidcConfig, withOidcSettings } from './oidc.config';
export { OidcModule, type OidcModuleOptions } from './oidc.module';
export { OidcService } from './oidc.service';
export {
  OIDC_SIGN_IN,
  type OidcIdentity,
  type OidcSignIn,
  type OidcSignInContext,
} from './oidc-sign-in.port';
export { oidcMigrations } from './migrations';

/** The slice's MikroORM entities, for the auth service's ORM options. */
export const oidcEntities = [OidcAttempt];
