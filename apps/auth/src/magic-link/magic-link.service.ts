import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCodes, type RequestMagicLinkResponse, type TokenPair } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { MailSender } from '../mail/mail.sender';
import { SessionService } from '../session/session.service';
import { AuthSettings } from '../shared/auth-settings';
import { Clock } from '../shared/clock';
import { DomainError, unauthorized } from '@scriptripper/contracts';
import { newSecret, sha256 } from '../shared/secrets';
import { UserRepository } from '../user/user.repository';
import { normaliseEmail } from '../user/user.views';
import { MagicLink } from './magic-link.entity';

/** Sign-in by a one-time link sent by mail; the link's secret is kept only as sha256. */
@Injectable()
export class MagicLinkService {
  private readonly log = new Logger(MagicLinkService.name);

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(MailSender) private readonly mail: MailSender,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Same answer whether or not the address has an account, so it reveals none. */
  async request(rawEmail: string, context: AppendContext): Promise<RequestMagicLinkResponse> {
    const email = normaliseEmail(rawEmail);
    await this.refuseOverLimit(email);
    const userId = await this.sessions.userIdFor(email);
    const secret = newSecret();
    const ttl = this.settings.config.MAGIC_LINK_TTL_MINUTES;
    const expiresAt = new Date(this.clock.now().getTime() + ttl * 60_000);
    await this.users.execute(userId, context, async () => ({
      type: 'RequestMagicLink',
      linkId: randomUUID(),
      tokenHash: sha256(secret),
      email: await this.cipher.encrypt(userId, email),
      expiresAt: expiresAt.toISOString(),
    }));
    // The console's page, which POSTs the token: a mail scanner fetching the link uses nothing up.
    const link = `${this.settings.config.PUBLIC_BASE_URL}/sign-in/verify?token=${secret}`;
    try {
      await this.mail.sendMagicLink(email, link, ttl);
    } catch (error) {
      this.log.error(
        `could not send a sign-in link: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new DomainError(
        ErrorCodes.unavailable,
        'the sign-in link could not be sent; try again later',
        true,
      );
    }
    return { accepted: true };
  }

  async verify(secret: string, context: AppendContext): Promise<TokenPair> {
    const link = await this.em.fork().findOne(MagicLink, { tokenHash: sha256(secret) });
    if (!link) throw unauthorized('the sign-in link is invalid, used or expired');
    return this.sessions.startSession(link.userId, context, (sessionId, refreshToken) => ({
      type: 'SignInWithMagicLink',
      linkId: link.id,
      now: this.clock.now().toISOString(),
      role: this.sessions.roleFor(link.email),
      sessionId,
      refreshToken,
    }));
  }

  private async refuseOverLimit(email: string): Promise<void> {
    const windowStart = new Date(
      this.clock.now().getTime() - this.settings.config.MAGIC_LINK_WINDOW_MINUTES * 60_000,
    );
    const recent = await this.em.fork().count(MagicLink, { email, createdAt: { $gte: windowStart } });
    if (recent >= this.settings.config.MAGIC_LINK_MAX_PER_WINDOW) {
      throw new DomainError(
        ErrorCodes.rateLimited,
        'too many sign-in links for this address; try again later',
        true,
      );
    }
  }
}
