import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisStreamsClient } from '@scriptripper/streams';
import { GatewayConfig } from './config';

/**
 * The gateway's two ways to Redis: the Streams client that calls services, and one
 * connection for rate-limit counters. Both close on shutdown.
 */
@Injectable()
export class GatewayConnections implements OnApplicationShutdown {
  readonly services: RedisStreamsClient;
  readonly counters: Redis;

  constructor(@Inject(GatewayConfig) config: GatewayConfig) {
    this.services = new RedisStreamsClient({
      redisUrl: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      clientName: 'gateway',
      replyTimeoutMs: config.RPC_TIMEOUT_MS,
    });
    this.counters = new Redis(config.REDIS_URL, {
      connectionName: 'gateway:rate-limits',
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), 2_000),
    });
    // While Redis is away, requests answer 503 and readiness says so; the reconnect attempts need no log line each.
    this.counters.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.services.close();
    await this.counters.quit().catch(() => this.counters.disconnect());
  }
}
