import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { MessageEnvelope } from '@scriptripper/contracts';
import type { OutboxPublisher } from '../relay/outbox-publisher';

/**
 * The tests' own end of the relay: real Redis streams under a test key prefix (XADD), and an
 * epoch kept in Redis that disappears with the data, as the real publisher's does.
 */
export class RedisStreamSink implements OutboxPublisher {
  readonly redis: Redis;

  constructor(
    redisUrl: string,
    readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  }

  async publishBatch(destination: string, envelopes: readonly MessageEnvelope[]): Promise<unknown> {
    const pipeline = this.redis.pipeline();
    for (const envelope of envelopes) {
      pipeline.xadd(this.prefix + destination, '*', 'envelope', JSON.stringify(envelope));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return results;
  }

  async currentEpoch(): Promise<string> {
    const key = `${this.prefix}epoch`;
    await this.redis.set(key, randomUUID(), 'NX');
    return (await this.redis.get(key)) as string;
  }

  /** Everything published to a destination, oldest first. */
  async read(destination: string): Promise<MessageEnvelope[]> {
    const entries = await this.redis.xrange(this.prefix + destination, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1] as string) as MessageEnvelope);
  }

  close(): void {
    this.redis.disconnect();
  }
}
