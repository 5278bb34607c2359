import { Inject, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { parseKeyEncryptionKey, PersonalDataCipher } from '@scriptripper/privacy';
import { AdminTokenIssuer } from './admin-token/admin-token.issuer';
import { ApiTokenService } from './api-token/api-token.service';
import { AuthController } from './auth.controller';
import { CredentialCheckService } from './credential/credential-check.service';
import { CredentialMarkersWriter } from './credential/credential-markers.writer';
import type { AuthConfig } from './config';
import { MailSender } from './mail/mail.sender';
import { MagicLinkService } from './magic-link/magic-link.service';
import { SessionService } from './session/session.service';
import { AuthSettings } from './shared/auth-settings';
import { Clock } from './shared/clock';
import { SigningKeyService } from './signing-key/signing-key.service';
import { UserAdminService } from './user/user-admin.service';
import { UserRepository } from './user/user.repository';

/** Starts the signing-key schedule once the app is up: a first key exists before the first sign-in. */
class SigningKeySchedule implements OnApplicationBootstrap {
  constructor(@Inject(SigningKeyService) private readonly signingKeys: SigningKeyService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.signingKeys.startRotationSchedule();
  }
}

/** Users, magic links, sessions, signing keys and API tokens on `rpc:auth`. Needs DataServiceModule. */
@Module({})
export class IdentityModule {
  static register(config: AuthConfig): DynamicModule {
    const settings = new AuthSettings(config, parseKeyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY));
    return {
      module: IdentityModule,
      controllers: [AuthController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        Clock,
        {
          provide: PersonalDataCipher,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => new PersonalDataCipher(em.fork(), settings.keyEncryptionKey),
        },
        CredentialMarkersWriter,
        UserRepository,
        CredentialCheckService,
        SigningKeyService,
        SigningKeySchedule,
        SessionService,
        MailSender,
        MagicLinkService,
        ApiTokenService,
        UserAdminService,
        AdminTokenIssuer,
      ],
      exports: [
        CredentialMarkersWriter,
        SessionService,
        SigningKeyService,
        UserRepository,
        PersonalDataCipher,
        Clock,
        AdminTokenIssuer,
      ],
    };
  }
}
