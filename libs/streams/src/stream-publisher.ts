import type Redis from 'ioredis';
import type { MessageEnvelope } from '@scriptripper/contracts';
import type { Observable } from 'rxjs';
import { closeConnection, createRedisConnection, ensureConnected } from './redis-connection';
import { StreamEpoch, type EpochChange } from './stream-epoch';

export interface StreamPublisherOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly connectionName?: string;
}

export interface PublishOptions {
  /**
   * Approximate cap (`MAXLEN ~`) for streams nobody consumes through a group (fan-out only).
   * Never use it on a group's stream: Redis would trim entries still pending.
   */
  readonly maxLength?: number;
}

/** The field an envelope travels in; requests add `replyTo` and `deadline` beside it. */
export const ENVELOPE_FIELD = 'envelope';

/**
 * Appends envelopes to streams (`XADD`); the outbox relay's way onto the bus. Returns the
 * Redis entry ids. Owns its connection when built from options, borrows it otherwise.
 */
export class StreamPublisher {
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly epoch: StreamEpoch;
  private readonly checkEpochOnReconnect = () => void this.epoch.current().catch(() => undefined);

  constructor(options: StreamPublisherOptions);
  constructor(options: { readonly redis: Redis; readonly keyPrefix: string });
  constructor(
    private readonly options: { readonly keyPrefix: string } & (
      StreamPublisherOptions | { readonly redis: Redis }
    ),
  ) {
    if ('redis' in options) {
      this.redis = options.redis;
      this.ownsConnection = false;
    } else {
      this.redis = createRedisConnection(
        options.redisUrl,
        options.connectionName ?? 'stream-publisher',
        'commands',
      );
      this.ownsConnection = true;
    }
    this.epoch = new StreamEpoch(this.redis, options.keyPrefix);
    this.redis.on('ready', this.checkEpochOnReconnect);
  }

  async publish(stream: string, envelope: MessageEnvelope, options: PublishOptions = {}): Promise<string> {
    await ensureConnected(this.redis);
    const id = await this.redis.xadd(
      this.options.keyPrefix + stream,
      ...trimArguments(options),
      '*',
      ENVELOPE_FIELD,
      JSON.stringify(envelope),
    );
    return id as string;
  }

  /** One pipelined round trip; ids in the envelopes' order. Fails as a whole on any error. */
  async publishBatch(
    stream: string,
    envelopes: readonly MessageEnvelope[],
    options: PublishOptions = {},
  ): Promise<string[]> {
    if (envelopes.length === 0) return [];
    await ensureConnected(this.redis);
    const pipeline = this.redis.pipeline();
    const key = this.options.keyPrefix + stream;
    const trim = trimArguments(options);
    for (const envelope of envelopes) {
      pipeline.xadd(key, ...trim, '*', ENVELOPE_FIELD, JSON.stringify(envelope));
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, id]) => {
      if (error) throw error;
      return id as string;
    });
  }

  /** The current Redis epoch; a different value than before means Redis lost its data. */
  async currentEpoch(): Promise<string> {
    await ensureConnected(this.redis);
    return this.epoch.current();
  }

  /** Emits when `currentEpoch()` or a reconnect finds a new epoch. */
  get epochChanges(): Observable<EpochChange> {
    return this.epoch.changes$;
  }

  async close(): Promise<void> {
    this.redis.off('ready', this.checkEpochOnReconnect);
    this.epoch.complete();
    if (this.ownsConnection) await closeConnection(this.redis);
  }
}

function trimArguments(options: PublishOptions): [] | ['MAXLEN', '~', number] {
  return options.maxLength === undefined ? [] : ['MAXLEN', '~', options.maxLength];
}
