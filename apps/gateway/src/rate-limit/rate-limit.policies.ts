import { SetMetadata } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import type { RateLimiter } from './rate-limiter';

/** `public`: per IP on public routes; `user`: per signed-in user; `sign-in`: magic links, per IP. */
export type RateLimitPolicy = 'public' | 'user' | 'sign-in';

export const RATE_LIMIT_POLICY = 'gateway:rate-limit-policy';

/** Counts this route under a stricter policy than its default (`public` or `user`). */
export const RateLimit = (policy: RateLimitPolicy) => SetMetadata(RATE_LIMIT_POLICY, policy);

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

  /** Throws 429 with Retry-After once the subject is over its limit in the current window. */
  async enforce(policy: RateLimitPolicy, subject: string): Promise<void> {
    let decision;
    try {
      decision = await this.limiter.hit(
        policy,
        subject,
        this.settings.limits[policy],
        this.settings.windowMs,
      );
    } catch {
      // Without its counters the gateway cannot tell floods from traffic; it also cannot reach any service.
      throw ApiError.unavailable('Rate limiting is unavailable');
    }
    if (!decision.allowed) throw ApiError.rateLimited(decision.retryAfterSeconds);
  }
}
