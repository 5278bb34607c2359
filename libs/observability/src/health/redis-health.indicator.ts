import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import Redis from 'ioredis';

const PING_TIMEOUT_MS = 2_000;

/**
 * PINGs Redis on a connection of its own that never queues commands while disconnected, so
 * a Redis outage answers "down" at once instead of hanging the probe. Built by a factory
 * provider, since it needs the URL.
 */
export class RedisHealthIndicator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisHealthIndicator.name);
  private readonly redis: Redis;
  private reachable = true;

  constructor(
    redisUrl: string,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.redis = new Redis(redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: PING_TIMEOUT_MS,
      connectionName: 'health',
      retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
    });
    this.redis.on('error', (error: Error) => this.markUnreachable(error));
    this.redis.on('ready', () => {
      if (!this.reachable) this.logger.log('Redis is reachable again');
      this.reachable = true;
    });
  }

  onModuleInit(): void {
    // Not awaited: the app starts (and answers "not ready") while Redis is away.
    this.redis.connect().catch((error: Error) => this.markUnreachable(error));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  async check(key = 'redis'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PONG within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      await Promise.race([this.redis.ping(), timeout]);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logs an outage once, not on every reconnection attempt. */
  private markUnreachable(error: Error): void {
    if (this.reachable) this.logger.warn(`Redis is unreachable: ${error.message}`);
    this.reachable = false;
  }
}
