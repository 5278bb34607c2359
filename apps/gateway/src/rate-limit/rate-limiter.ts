import type Redis from 'ioredis';

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Whole seconds until the window resets; what `Retry-After` says. */
  readonly retryAfterSeconds: number;
}

/**
 * Counts hits in fixed windows in Redis: one INCR, the window's expiry set by the first hit,
 * atomically in one script so no counter is ever left without an expiry. Every gateway
 * instance shares the counters, and losing Redis loses nothing but the current windows.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
`;

const PEEK_SCRIPT = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
return {hits, redis.call('PTTL', KEYS[1])}
`;

type RedisWithHit = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitPeek(key: string): Promise<[number, number]>;
};

export class RateLimiter {
  private readonly redis: RedisWithHit;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.defineCommand('rateLimitPeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    this.redis = redis as RedisWithHit;
  }

  /** Records one hit of `subject` under `policy` and says whether it is within `limit` per window. */
  async hit(policy: string, subject: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const [hits, ttlMs] = await this.redis.rateLimitHit(this.keyOf(policy, subject), windowMs);
    return { allowed: hits <= limit, retryAfterSeconds: retryAfterSecondsOf(ttlMs) };
  }

  /** Says, without recording a hit, whether `subject` may have one more within `limit` this window. */
  async peek(policy: string, subject: string, limit: number): Promise<RateLimitDecision> {
    const [hits, ttlMs] = await this.redis.rateLimitPeek(this.keyOf(policy, subject));
    return { allowed: hits < limit, retryAfterSeconds: retryAfterSecondsOf(ttlMs) };
  }

  private keyOf(policy: string, subject: string): string {
    return `${this.keyPrefix}rate:${policy}:${subject}`;
  }
}

function retryAfterSecondsOf(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1_000));
}
