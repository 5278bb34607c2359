import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import type { MessageEnvelope } from '@scriptripper/contracts';
import { parseEnvelope } from './envelope';
import { closeConnection, createRedisConnection, reconnectDelay, sleep } from './redis-connection';
import { fieldsToRecord } from './stream-ids';
import { ENVELOPE_FIELD } from './stream-publisher';

export interface StreamFanoutReaderOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** Stream names without the prefix, e.g. `['events:jobs']`. */
  readonly streams: readonly string[];
  /** How long one blocking read waits (default 2 s). */
  readonly blockMs?: number;
}

export interface FanoutMessage {
  readonly stream: string;
  readonly messageId: string;
  readonly envelope: MessageEnvelope;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Every instance sees every new entry (XREAD, no group, no acks): for SSE and caches.
 * Starts at the streams' ends as of `start()`; entries older than that are not replayed,
 * and malformed entries are skipped.
 */
export class StreamFanoutReader {
  private readonly log = new Logger(StreamFanoutReader.name);
  private readonly redis: Redis;
  private readonly messages = new Subject<FanoutMessage>();
  private readonly lastIds = new Map<string, string>();
  private readonly blockMs: number;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private readonly stop = new AbortController();

  readonly messages$: Observable<FanoutMessage> = this.messages.asObservable();

  constructor(private readonly options: StreamFanoutReaderOptions) {
    this.blockMs = options.blockMs ?? 2_000;
    this.redis = createRedisConnection(options.redisUrl, 'fanout-reader', 'blocking');
  }

  /** Resolves once positioned at the streams' current ends: later entries will be seen. */
  async start(): Promise<void> {
    await this.redis.connect();
    for (const stream of this.options.streams) {
      const [last] = await this.redis.xrevrange(this.options.keyPrefix + stream, '+', '-', 'COUNT', 1);
      this.lastIds.set(stream, last?.[0] ?? '0-0');
    }
    this.loop = this.read();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.stop.abort();
    // A blocked XREAD holds nothing: dropping the connection loses no message of anyone.
    this.redis.disconnect();
    await this.loop;
    await closeConnection(this.redis);
    this.messages.complete();
  }

  private async read(): Promise<void> {
    const streams = [...this.lastIds.keys()];
    const prefix = this.options.keyPrefix;
    let failures = 0;
    while (!this.stopped) {
      try {
        const reply = (await this.redis.call('xread', [
          'COUNT',
          100,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          ...streams.map((stream) => prefix + stream),
          ...streams.map((stream) => this.lastIds.get(stream) as string),
        ])) as XReadReply;
        failures = 0;
        for (const [key, entries] of reply ?? []) {
          const stream = key.slice(prefix.length);
          for (const [messageId, fields] of entries) {
            this.lastIds.set(stream, messageId);
            this.emit(stream, messageId, fieldsToRecord(fields)[ENVELOPE_FIELD]);
          }
        }
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        this.log.warn(`Fan-out read failed (attempt ${failures}): ${String(error)}`);
        await sleep(reconnectDelay(failures), this.stop.signal);
      }
    }
  }

  private emit(stream: string, messageId: string, raw: string | undefined): void {
    try {
      this.messages.next({ stream, messageId, envelope: parseEnvelope(raw) });
    } catch (error) {
      this.log.warn(`Skipped malformed entry ${messageId} of ${stream}: ${String(error)}`);
    }
  }
}
