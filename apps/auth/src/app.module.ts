import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { AuditRpcModule, DataServiceModule } from '@scriptripper/service-runtime';
import type { AuthConfig } from './config';
import { IdentityModule } from './identity.module';
import { mikroOrmOptions } from './mikro-orm.config';
import { OidcModule } from './oidc';
import { authReadModels } from './projections';
import { SessionService } from './session/session.service';

/**
 * The identity domain on its data: Postgres (schema `auth`), the event store with the user and
 * signing-key projections, the outbox relay. Shared by the service and its one-off operations.
 */
export function identityOnItsData(config: AuthConfig): {
  identity: DynamicModule;
  imports: NonNullable<DynamicModule['imports']>;
} {
  const identity = IdentityModule.register(config);
  return {
    identity,
    imports: [
      MikroOrmModule.forRoot(mikroOrmOptions(config)),
      DataServiceModule.forRoot({
        service: 'auth',
        redisUrl: config.REDIS_URL,
        keyPrefix: config.REDIS_KEY_PREFIX,
        projections: authReadModels(parseKeyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY)).projections,
      }),
      identity,
    ],
  };
}

/** The auth service: users, sign-in, API tokens and JWT keys. */
@Module({})
export class AppModule {
  static register(config: AuthConfig): DynamicModule {
    const { identity, imports } = identityOnItsData(config);
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'auth', config, postgres: true }),
        ...imports,
        OidcModule.register({ config, imports: [identity], signIn: SessionService }),
        AuditRpcModule.forService('auth'),
      ],
    };
  }
}
