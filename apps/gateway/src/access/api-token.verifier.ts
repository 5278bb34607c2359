import { createHash } from 'node:crypto';
import type { Actor, VerifiedApiToken } from '@scriptripper/contracts';
import { AuthRpc, serviceActor } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import type { ServiceCaller } from '../http/service-caller';

export const API_TOKEN_PREFIX = 'srt_';

/** Bounds the cache; past it, expired answers are swept and, if still full, all are dropped. */
const MAX_CACHED = 10_000;

/**
 * Verifies API tokens by asking the auth service (AuthRpc.verifyApiToken), reusing a positive
 * answer for `cacheMs` at most (≤ 5 s), so a revoked token is refused within seconds. The
 * cache is keyed by the token's sha256, never by the secret itself.
 */
export class ApiTokenVerifier {
  private readonly answers = new Map<string, { actor: Actor; expiresAt: number }>();

  constructor(
    private readonly services: ServiceCaller,
    private readonly cacheMs: number,
  ) {}

  /** `fresh`: ask auth even when a recent answer is cached (privileged routes). */
  async verify(token: string, correlationId: string, { fresh = false } = {}): Promise<Actor> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.answers.get(key);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.actor;
    this.answers.delete(key);

    const verified = await this.ask(token, correlationId);
    const actor: Actor = {
      id: verified.user_id,
      role: verified.role,
      scopes: [...verified.scopes],
      credential: { kind: 'api-token', token_id: verified.token_id },
    };
    if (this.cacheMs > 0) this.remember(key, actor);
    return actor;
  }

  private async ask(token: string, correlationId: string): Promise<VerifiedApiToken> {
    try {
      return await this.services.call<VerifiedApiToken>(
        AuthRpc.verifyApiToken,
        { token },
        { actor: serviceActor('gateway'), correlationId, traceparent: null },
      );
    } catch (error) {
      // Whatever auth refuses the token for (unknown, revoked, expired), the client learns no more.
      if (error instanceof ApiError && error.status < 500) throw ApiError.unauthorized('API token invalid');
      throw error;
    }
  }

  private remember(key: string, actor: Actor): void {
    if (this.answers.size >= MAX_CACHED) {
      const now = Date.now();
      for (const [cachedKey, answer] of this.answers)
        if (answer.expiresAt <= now) this.answers.delete(cachedKey);
      if (this.answers.size >= MAX_CACHED) this.answers.clear();
    }
    this.answers.set(key, { actor, expiresAt: Date.now() + this.cacheMs });
  }
}
