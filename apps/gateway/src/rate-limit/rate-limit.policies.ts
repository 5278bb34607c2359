import { SetMetadata } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import type { RateLimitDecision, RateLimiter } from './rate-limiter';

/**
 * `public`: per IP on public routes; `user`: per signed-in user; `sign-in`: magic links, per IP;
 * `auth-failures`: failed authentications (401) per IP, against guessing tokens.
 */
export type RateLimitPolicy = 'public' | 'user' | 'sign-in' | 'auth-failures';

export const RATE_LIMIT_POLICY = 'gateway:rate-limit-policy';

/** Counts this route under a stricter policy than its default (`public` or `user`). */
export const RateLimit = (policy: Exclude<RateLimitPolicy, 'auth-failures'>) =>
  SetMetadata(RATE_LIMIT_POLICY, policy);

export interface RateLimitSettings {
  readonly windowMs: number;
  readonly limits: Readonly<Record<RateLimitPolicy, number>>;
}

/** Applies the configured limit of a policy to one subject (`ip:<address>` or `user:<id>`). */
export class RateLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly settings: RateLimitSettings,
  ) {}

  /** Counts this request; throws 429 with Retry-After once the subject is over its limit in the current window. */
  async enforce(policy: RateLimitPolicy, subject: string): Promise<void> {
    const decision = await this.decide(() =>
      this.limiter.hit(policy, subject, this.settings.limits[policy], this.settings.windowMs),
    );
    if (!decision.allowed) throw ApiError.rateLimited(decision.retryAfterSeconds);
  }

  /** Throws 429 with Retry-After if the subject has used up its limit, without counting anything. */
  async refuseIfExhausted(policy: RateLimitPolicy, subject: string): Promise<void> {
    const decision = await this.decide(() =>
      this.limiter.peek(policy, subject, this.settings.limits[policy]),
    );
    if (!decision.allowed) throw ApiError.rateLimited(decision.retryAfterSeconds);
  }

  /** Counts one event (a failed authentication) against the subject's limit. */
  async count(policy: RateLimitPolicy, subject: string): Promise<void> {
    await this.decide(() =>
      this.limiter.hit(policy, subject, this.settings.limits[policy], this.settings.windowMs),
    );
  }

  private async decide(ask: () => Promise<RateLimitDecision>): Promise<RateLimitDecision> {
    try {
      return await ask();
    } catch {
      // Without its counters the gateway cannot tell floods from traffic; it also cannot reach any service.
      throw ApiError.unavailable('Rate limiting is unavailable');
    }
  }
}
