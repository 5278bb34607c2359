import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  SCOPES_BY_ROLE,
  unauthorized,
  type Actor,
  type CheckedCredential,
  type Scope,
} from '@scriptripper/contracts';
import { ApiTokenService } from '../api-token/api-token.service';
import { RefreshToken } from '../session/refresh-token.entity';
import { User } from '../user/user.entity';

/**
 * Checks a person's credential at use against the records (Postgres), not against what the
 * access token said when it was issued: the user still exists, the session was not signed out or
 * revoked, the role is still the one the token was issued for, the API token and every token it
 * was made with are in force. Privileged actions (admin, account) go through it every time.
 */
@Injectable()
export class CredentialCheckService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ApiTokenService) private readonly apiTokens: ApiTokenService,
  ) {}

  async check(actor: Actor): Promise<CheckedCredential> {
    const em = this.em.fork();
    const user = await em.findOne(User, { id: actor.id });
    if (!user) throw unauthorized('the user of this token no longer exists');
    const credential = actor.credential;
    if (credential?.kind === 'session') {
      const live = await em.count(RefreshToken, {
        sessionId: credential.session_id,
        userId: user.id,
        revokedAt: null,
      });
      if (live === 0) throw unauthorized('the session has ended: sign in again');
      if (user.role !== actor.role) throw unauthorized('the role changed since sign-in: sign in again');
      return { user_id: user.id, role: user.role, scopes: withinRole(actor.scopes, user.role) };
    }
    if (credential?.kind === 'api-token') {
      const token = await this.apiTokens.parentOf(actor);
      if (!token) throw unauthorized('the API token is not valid');
      return { user_id: user.id, role: user.role, scopes: withinRole(token.scopes, user.role) };
    }
    throw unauthorized("a person's credential is needed");
  }
}

/** The actor as the records have it now: for account and admin actions, which never trust the token's claims. */
export async function currentActor(credentials: CredentialCheckService, actor: Actor): Promise<Actor> {
  const checked = await credentials.check(actor);
  return { ...actor, role: checked.role, scopes: checked.scopes };
}

function withinRole(scopes: readonly string[], role: User['role']): Scope[] {
  const allowed: readonly string[] = SCOPES_BY_ROLE[role];
  return scopes.filter((scope): scope is Scope => allowed.includes(scope));
}
