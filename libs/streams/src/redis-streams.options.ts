import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { RetryBackoff } from './backoff';

export interface RedisStreamsServerOptions {
  readonly redisUrl: string;
  /** Put before every key, e.g. `sr:`; tests use their own. */
  readonly keyPrefix: string;
  /** The service name; also the consumer group's name. `rpc:<service>` is always consumed. */
  readonly service: string;
  /** Unique per instance; default `<hostname>-<pid>-<random>`. */
  readonly consumer?: string;
  /** Streams consumed besides `rpc:<service>`, e.g. `['events:jobs', 'work:analysis']`. */
  readonly streams: readonly string[];
  /** A pending entry idle this long is taken over by another consumer (default 30 s). */
  readonly claimIdleMs?: number;
  /** Deliveries (first one included) before an entry goes to the DLQ (default 5). */
  readonly maxDeliveries?: number;
  readonly retryBackoff?: Partial<RetryBackoff>;
  /** Handlers running at once in this instance (default 10). */
  readonly concurrency?: number;
  /** How long one blocking read waits for entries (default 2 s). */
  readonly blockMs?: number;
  /** Streams longer than `maxLength` are trimmed every `intervalMs` (defaults 100 000, 60 s). */
  readonly trim?: { readonly maxLength?: number; readonly intervalMs?: number };
  /** Other consumers idle this long with nothing pending are deleted (default 1 h). */
  readonly retireConsumersAfterMs?: number;
  /** How long `close()` waits for running handlers (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /** Default: prom-client's global registry. */
  readonly metricsRegistry?: Registry;
  readonly logger?: LoggerService;
}

export interface ResolvedServerOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly service: string;
  readonly consumer: string;
  readonly streams: readonly string[];
  readonly claimIdleMs: number;
  readonly maxDeliveries: number;
  readonly retryBackoff: RetryBackoff;
  readonly concurrency: number;
  readonly blockMs: number;
  readonly trim: { readonly maxLength: number; readonly intervalMs: number };
  readonly retireConsumersAfterMs: number;
  readonly shutdownTimeoutMs: number;
}

const NAME = /^[a-z][a-z0-9_-]*$/;
const STREAM_NAME = /^[a-z][a-z0-9_-]*(:[a-z0-9_.-]+)+$/i;

/** Fills defaults and refuses bad settings with a message naming the setting. */
export function resolveServerOptions(options: RedisStreamsServerOptions): ResolvedServerOptions {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(typeof options.redisUrl === 'string' && options.redisUrl !== '', 'redisUrl is required');
  check(typeof options.keyPrefix === 'string', 'keyPrefix must be a string (may be empty)');
  check(NAME.test(options.service ?? ''), `service "${options.service}" must match ${NAME}`);
  check(Array.isArray(options.streams), 'streams must be a list of stream names');
  for (const stream of options.streams ?? []) {
    check(STREAM_NAME.test(stream), `stream "${stream}" must look like "<kind>:<name>"`);
  }

  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const maxMs = options.retryBackoff?.maxMs ?? Math.min(10_000, Math.floor(claimIdleMs / 2));
  const retryBackoff: RetryBackoff = {
    baseMs: options.retryBackoff?.baseMs ?? Math.min(200, maxMs),
    maxMs,
    jitter: options.retryBackoff?.jitter ?? 0.2,
  };
  const resolved: ResolvedServerOptions = {
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    service: options.service,
    consumer: options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
    streams: [...new Set([...(options.streams ?? []), `rpc:${options.service}`])],
    claimIdleMs,
    maxDeliveries: options.maxDeliveries ?? 5,
    retryBackoff,
    concurrency: options.concurrency ?? 10,
    blockMs: options.blockMs ?? 2_000,
    trim: { maxLength: options.trim?.maxLength ?? 100_000, intervalMs: options.trim?.intervalMs ?? 60_000 },
    retireConsumersAfterMs: options.retireConsumersAfterMs ?? 3_600_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
  };

  check(resolved.consumer !== '', 'consumer must not be empty');
  for (const [name, value] of Object.entries({
    claimIdleMs,
    maxDeliveries: resolved.maxDeliveries,
    concurrency: resolved.concurrency,
    blockMs: resolved.blockMs,
    'trim.maxLength': resolved.trim.maxLength,
    'trim.intervalMs': resolved.trim.intervalMs,
    retireConsumersAfterMs: resolved.retireConsumersAfterMs,
    shutdownTimeoutMs: resolved.shutdownTimeoutMs,
    'retryBackoff.maxMs': retryBackoff.maxMs,
  })) {
    check(Number.isInteger(value) && value > 0, `${name} must be a positive integer, got ${value}`);
  }
  check(
    Number.isInteger(retryBackoff.baseMs) &&
      retryBackoff.baseMs >= 0 &&
      retryBackoff.baseMs <= retryBackoff.maxMs,
    'retryBackoff.baseMs must be an integer between 0 and retryBackoff.maxMs',
  );
  check(retryBackoff.jitter >= 0 && retryBackoff.jitter <= 1, 'retryBackoff.jitter must be between 0 and 1');
  // A retry waiting longer than the claim idle time would be taken over by another consumer.
  check(retryBackoff.maxMs < claimIdleMs, 'retryBackoff.maxMs must be below claimIdleMs');
  check(
    resolved.retireConsumersAfterMs > Math.max(claimIdleMs, resolved.blockMs),
    'retireConsumersAfterMs must exceed claimIdleMs and blockMs, or live consumers would be deleted',
  );

  if (problems.length > 0) {
    throw new Error(`Invalid RedisStreamsServer options: ${problems.join('; ')}`);
  }
  return resolved;
}
