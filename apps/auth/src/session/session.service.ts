import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SCOPES_BY_ROLE, type TokenPair, type UserRole } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import type { OidcIdentity, OidcSignIn, OidcSignInContext } from '../oidc';
import { MagicLink } from '../magic-link/magic-link.entity';
import { AuthSettings } from '../shared/auth-settings';
import { Clock } from '../shared/clock';
import { unauthorized } from '@scriptripper/contracts';
import { newSecret, sha256 } from '../shared/secrets';
import { SigningKeyService } from '../signing-key/signing-key.service';
import { revokesForReuse, type IssuedRefreshToken, type UserCommand } from '../user/user.aggregate';
import { User } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { normaliseEmail, userViewOf } from '../user/user.views';
import { RefreshToken } from './refresh-token.entity';

/** A refresh token's secret, shown to the client once, and what the events keep of it. */
interface NewRefreshToken {
  readonly secret: string;
  readonly issued: IssuedRefreshToken;
}

/**
 * Sessions: signing in (after a verified magic link or OIDC identity), refresh-token
 * rotation with reuse detection, sign-out. A session is one refresh-token family.
 */
@Injectable()
export class SessionService implements OidcSignIn {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SigningKeyService) private readonly signingKeys: SigningKeyService,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Starts a session for a user whose command (magic link, OIDC) the aggregate accepts. */
  async startSession(
    userId: string,
    context: AppendContext,
    command: (sessionId: string, refreshToken: IssuedRefreshToken) => UserCommand | Promise<UserCommand>,
  ): Promise<TokenPair> {
    const sessionId = randomUUID();
    const refresh = this.newRefreshToken();
    await this.users.execute(userId, context, () => command(sessionId, refresh.issued));
    return this.tokenPair(userId, sessionId, refresh.secret);
  }

  /** OIDC: the provider vouched for the address; the same user as its magic links. */
  async signIn(identity: OidcIdentity, context: OidcSignInContext): Promise<TokenPair> {
    const email = normaliseEmail(identity.email);
    const userId = await this.userIdFor(email);
    return this.startSession(userId, context, async (sessionId, refreshToken) => ({
      type: 'SignInWithVerifiedEmail',
      email: await this.cipher.encrypt(userId, email),
      name: identity.name === null ? null : await this.cipher.encrypt(userId, identity.name),
      role: this.roleFor(email),
      sessionId,
      refreshToken,
    }));
  }

  async refresh(secret: string, context: AppendContext): Promise<TokenPair> {
    const presented = await this.em.fork().findOne(RefreshToken, { tokenHash: sha256(secret) });
    if (!presented) throw unauthorized('the refresh token is no longer valid');
    const next = this.newRefreshToken();
    const { events } = await this.users.execute(presented.userId, context, () => ({
      type: 'RotateRefreshToken',
      sessionId: presented.sessionId,
      presentedTokenId: presented.id,
      now: this.clock.now().toISOString(),
      next: next.issued,
    }));
    if (revokesForReuse(events))
      throw unauthorized('the refresh token was used before: the session is revoked');
    return this.tokenPair(presented.userId, presented.sessionId, next.secret);
  }

  /** Ends the session of the token's family; an unknown or spent token changes nothing. */
  async signOut(secret: string, context: AppendContext): Promise<{ signed_out: true }> {
    const presented = await this.em.fork().findOne(RefreshToken, { tokenHash: sha256(secret) });
    if (presented) {
      await this.users.execute(presented.userId, context, () => ({
        type: 'SignOut',
        sessionId: presented.sessionId,
      }));
    }
    return { signed_out: true };
  }

  /** The user id of an address: its account, else the pending id of its earlier links, else a new one. */
  async userIdFor(email: string): Promise<string> {
    const em = this.em.fork();
    const user = await em.findOne(User, { email });
    if (user) return user.id;
    const pending = await em.findOne(MagicLink, { email }, { orderBy: { createdAt: 'desc' } });
    return pending?.userId ?? randomUUID();
  }

  roleFor(email: string): UserRole {
    return email === normaliseEmail(this.settings.config.ADMIN_EMAIL) ? 'admin' : 'user';
  }

  private async tokenPair(userId: string, sessionId: string, refreshSecret: string): Promise<TokenPair> {
    const user = await this.em.fork().findOne(User, { id: userId });
    if (!user) throw unauthorized('no such user');
    const access = await this.signingKeys.sign({
      sub: user.id,
      role: user.role,
      scopes: SCOPES_BY_ROLE[user.role],
      sid: sessionId,
    });
    return {
      token_type: 'Bearer',
      access_token: access.token,
      expires_in: access.expiresIn,
      refresh_token: refreshSecret,
      user: userViewOf(user),
    };
  }

  private newRefreshToken(): NewRefreshToken {
    const secret = newSecret();
    const expiresAt = new Date(
      this.clock.now().getTime() + this.settings.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    );
    return {
      secret,
      issued: { tokenId: randomUUID(), tokenHash: sha256(secret), expiresAt: expiresAt.toISOString() },
    };
  }
}
