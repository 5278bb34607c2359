import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OidcAttempt } from './oidc-attempt.entity';

export type NewOidcAttempt = Pick<
  OidcAttempt,
  'stateHash' | 'nonce' | 'codeVerifier' | 'provider' | 'redirectUri' | 'expiresAt'
>;

/** What the callback needs from the attempt its state names. */
export type ConsumedOidcAttempt = Pick<OidcAttempt, 'nonce' | 'codeVerifier' | 'provider' | 'redirectUri'>;

interface ConsumedRow {
  nonce: string;
  code_verifier: string;
  provider: string;
  redirect_uri: string;
}

/** How long expired attempts are kept before a new sign-in sweeps them away. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class OidcAttemptsRepository {
  constructor(private readonly em: EntityManager) {}

  async add(attempt: NewOidcAttempt): Promise<void> {
    const em = this.em.fork();
    em.create(OidcAttempt, attempt);
    await em.flush();
    await em.nativeDelete(OidcAttempt, { expiresAt: { $lt: new Date(Date.now() - KEEP_EXPIRED_MS) } });
  }

  /**
   * Marks the attempt used and answers it, in one statement, so two callbacks racing with
   * the same state cannot both get it. Null when it is unknown, already used or expired.
   */
  async consume(stateHash: string, now = new Date()): Promise<ConsumedOidcAttempt | null> {
    const rows: ConsumedRow[] = await this.em
      .getConnection()
      .execute(
        `update "auth"."oidc_attempts" set "used_at" = ? ` +
          `where "state_hash" = ? and "used_at" is null and "expires_at" > ? ` +
          `returning "nonce", "code_verifier", "provider", "redirect_uri"`,
        [now, stateHash, now],
      );
    const [row] = rows;
    if (!row) return null;
    return {
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      provider: row.provider,
      redirectUri: row.redirect_uri,
    };
  }
}
