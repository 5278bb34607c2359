import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { OidcAttemptsRepository } from './oidc-attempts.repository';
import type { OidcConfig } from './oidc.config';
import { OidcController } from './oidc.controller';
import { OidcProviderClients } from './oidc-provider-clients';
import { oidcProvidersOf } from './oidc-providers';
import { OIDC_SERVICE_SETTINGS, OidcService, type OidcServiceSettings } from './oidc.service';
import { OIDC_SIGN_IN, type OidcSignIn } from './oidc-sign-in.port';

export interface OidcModuleOptions {
  /** The OIDC settings: an `OidcConfig`, or the app's config class built `withOidcSettings`. */
  readonly config: OidcConfig;
  /** Modules that export `signIn`'s class. */
  readonly imports?: ModuleMetadata['imports'];
  /** The auth service's sign-in for a verified identity, bound to `OIDC_SIGN_IN`. */
  readonly signIn: Type<OidcSignIn>;
}

/**
 * OpenID Connect sign-in: answers `AuthRpc.startOidc` and `AuthRpc.completeOidc`. Needs the
 * app's MikroORM connection with `oidcEntities` and `oidcMigrations` in the `auth` schema.
 */
@Module({})
export class OidcModule {
  static register(options: OidcModuleOptions): DynamicModule {
    const settings: OidcServiceSettings = {
      defaultProvider: options.config.OIDC_DEFAULT_PROVIDER,
      attemptTtlSeconds: options.config.OIDC_ATTEMPT_TTL_SECONDS,
    };
    return {
      module: OidcModule,
      imports: [...(options.imports ?? [])],
      controllers: [OidcController],
      providers: [
        { provide: OIDC_SERVICE_SETTINGS, useValue: settings },
        { provide: OidcProviderClients, useValue: new OidcProviderClients(oidcProvidersOf(options.config)) },
        { provide: OIDC_SIGN_IN, useExisting: options.signIn },
        OidcAttemptsRepository,
        OidcService,
      ],
      exports: [OidcService],
    };
  }
}
