import type Redis from 'ioredis';
import { ApiError } from '../http/api-error';

/**
 * Users purged recently, so their unexpired access tokens answer 401 everywhere (a JWT is verified
 * against the JWKS alone and would otherwise stay valid until it expires; API tokens are deleted
 * by auth with the user). The gateway records a purge when `DELETE /me` succeeds, in Redis so
 * every gateway instance refuses at once; an entry outlives any access token of the user (they
 * last 15 minutes), after which no token of theirs verifies anyway.
 *
 * Redis is ephemeral: if its data is lost within those minutes, a purged user's last access token
 * passes this check again until it expires. It then reaches no data (every service erased it;
 * `/me` answers 404), so the gap is accepted rather than adding an RPC to auth on every request.
 */
export class PurgedUsers {
  /** Longer than any access token lives. */
  static readonly REMEMBER_SECONDS = 24 * 60 * 60;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async remember(userId: string): Promise<void> {
    await this.redis.set(this.keyOf(userId), '1', 'EX', PurgedUsers.REMEMBER_SECONDS);
  }

  /** Redis unreachable: 503 (retryable), as the rate limits answer, rather than letting a purged token through. */
  async isPurged(userId: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.keyOf(userId))) === 1;
    } catch {
      throw ApiError.unavailable('Checking the account is unavailable');
    }
  }

  private keyOf(userId: string): string {
    return `${this.keyPrefix}purged-users:${userId}`;
  }
}
