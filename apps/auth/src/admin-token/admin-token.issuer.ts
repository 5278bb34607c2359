import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ALL_SCOPES, serviceActor, type CreatedApiToken } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { ApiTokenService } from '../api-token/api-token.service';
import { SessionService } from '../session/session.service';
import { AuthSettings } from '../shared/auth-settings';
import { UserRepository } from '../user/user.repository';
import { normaliseEmail } from '../user/user.views';

/** Makes sure ADMIN_EMAIL is an admin and issues it an API token with every scope (dev launcher, operators). */
@Injectable()
export class AdminTokenIssuer {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ApiTokenService) private readonly apiTokens: ApiTokenService,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
  ) {}

  async issue(name = 'admin bootstrap'): Promise<CreatedApiToken> {
    const context: AppendContext = {
      actor: serviceActor('auth'),
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
    };
    const email = normaliseEmail(this.settings.config.ADMIN_EMAIL);
    const userId = await this.sessions.userIdFor(email);
    await this.users.execute(userId, context, async () => ({
      type: 'EnsureAdmin',
      email: await this.cipher.encrypt(userId, email),
    }));
    return this.apiTokens.create(
      { id: userId, role: 'admin', scopes: ALL_SCOPES },
      { name, scopes: ALL_SCOPES },
      context,
    );
  }
}
