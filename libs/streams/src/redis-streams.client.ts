import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type Redis from 'ioredis';
import type { ErrorBody } from '@scriptripper/contracts';
import { rpcStreamOf } from '@scriptripper/contracts';
import { endSpan, SpanKind, startSpan, traceparentOf } from '@scriptripper/observability';
import { createEnvelope, unwrapContextualData } from './envelope';
import { RpcRemoteError, RpcTimeoutError, TransportUnavailableError } from './errors';
import {
  closeConnection,
  createRedisConnection,
  ensureConnected,
  reconnectDelay,
  settledWithin,
  sleep,
} from './redis-connection';
import {
  DEADLINE_FIELD,
  REPLY_FIELD,
  REPLY_STREAM_MAX_LENGTH,
  REPLY_STREAM_PREFIX,
  REPLY_TO_FIELD,
  type RpcReply,
} from './rpc-protocol';
import { fieldsToRecord } from './stream-ids';
import { ENVELOPE_FIELD, StreamPublisher } from './stream-publisher';

export interface RedisStreamsClientOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** Names the reply stream `reply:<clientName>-<random>`; e.g. the calling service. */
  readonly clientName: string;
  /** How long `send` waits for a reply before failing with RPC_TIMEOUT (default 10 s). */
  readonly replyTimeoutMs?: number;
  /** The stream `emit(type)` appends to; without it `emit` fails. */
  readonly routeEvent?: (type: string) => string;
  /** The reply stream lives this long after the client stops refreshing it (default 60 s). */
  readonly replyStreamTtlMs?: number;
  /** How long one blocking read of the reply stream waits (default 2 s). */
  readonly blockMs?: number;
}

interface PendingCall {
  readonly callback: (packet: WritePacket) => void;
  readonly timer: NodeJS.Timeout;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Nest client proxy over Redis Streams. `send(pattern, data)` appends a request to
 * `rpc:<service>` (the pattern's prefix) and waits on this client's own reply stream;
 * `emit(type, data)` appends an event to `routeEvent(type)`. Wrap `data` with
 * `withContext({ actor, correlationId, causationId, traceparent, timeoutMs }, data)` to set
 * the envelope's context and the call's timeout.
 */
export class RedisStreamsClient extends ClientProxy {
  readonly clientId: string;
  private readonly log = new Logger(RedisStreamsClient.name);
  private readonly commands: Redis;
  private readonly blocking: Redis;
  private readonly publisher: StreamPublisher;
  private readonly replyStream: string;
  private readonly replyKey: string;
  private readonly replyTimeoutMs: number;
  private readonly replyStreamTtlMs: number;
  private readonly blockMs: number;
  private readonly pending = new Map<string, PendingCall>();
  private connecting: Promise<void> | undefined;
  private lastReplyId = '0-0';
  private readLoop: Promise<void> | undefined;
  private ttlTimer: NodeJS.Timeout | undefined;
  private blockingClientId: number | undefined;
  private closed = false;
  private readonly stop = new AbortController();

  constructor(private readonly options: RedisStreamsClientOptions) {
    super();
    if (!/^[\w.-]+$/.test(options.clientName ?? '')) {
      throw new Error(`RedisStreamsClient clientName "${options.clientName}" must be letters, digits, . _ -`);
    }
    this.clientId = `${options.clientName}-${randomBytes(6).toString('hex')}`;
    this.replyStream = `${REPLY_STREAM_PREFIX}${this.clientId}`;
    this.replyKey = options.keyPrefix + this.replyStream;
    this.replyTimeoutMs = options.replyTimeoutMs ?? 10_000;
    this.replyStreamTtlMs = options.replyStreamTtlMs ?? 60_000;
    this.blockMs = options.blockMs ?? 2_000;
    this.commands = createRedisConnection(options.redisUrl, `client:${this.clientId}:commands`, 'commands');
    this.blocking = createRedisConnection(options.redisUrl, `client:${this.clientId}:replies`, 'blocking');
    this.blocking.on('ready', () => {
      this.blocking.client('ID').then(
        (id) => (this.blockingClientId = id),
        () => undefined,
      );
    });
    this.publisher = new StreamPublisher({ redis: this.commands, keyPrefix: options.keyPrefix });
  }

  /** Idempotent; Nest calls it before every send/emit. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new TransportUnavailableError('The client is closed'));
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** Fails calls still waiting, stops reading, deletes the reply stream, closes connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    if (this.ttlTimer) clearTimeout(this.ttlTimer);
    for (const [requestId, call] of this.pending) {
      clearTimeout(call.timer);
      this.pending.delete(requestId);
      call.callback({ err: new TransportUnavailableError('The client closed before the reply came') });
    }
    if (this.blockingClientId !== undefined && this.commands.status === 'ready') {
      await this.commands.client('UNBLOCK', this.blockingClientId).catch(() => undefined);
    } else {
      this.blocking.disconnect();
    }
    await settledWithin(this.readLoop, this.blockMs + 1_000);
    if (this.commands.status === 'ready') await this.commands.del(this.replyKey).catch(() => undefined);
    await this.publisher.close();
    await Promise.all([closeConnection(this.blocking), closeConnection(this.commands)]);
  }

  unwrap<T>(): T {
    return { commands: this.commands, blocking: this.blocking } as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const pattern = this.normalizePattern(packet.pattern);
    const { options, data } = unwrapContextualData(packet.data);
    // With tracing on, the request continues the caller's span (or its given traceparent) and
    // carries the client span's own traceparent, so the handler's span is its child.
    const span = startSpan(`send ${pattern}`, {
      kind: SpanKind.CLIENT,
      traceparent: options.traceparent ?? null,
      attributes: { 'messaging.system': 'redis_streams', 'messaging.destination.name': rpcStreamOf(pattern) },
    });
    const envelope = createEnvelope(
      pattern,
      data,
      span ? { ...options, traceparent: traceparentOf(span) } : options,
    );
    const timeoutMs = options.timeoutMs ?? this.replyTimeoutMs;
    const settle = span
      ? (reply: WritePacket) => {
          endSpan(span, reply.err ?? undefined);
          callback(reply);
        }
      : callback;
    const timer = setTimeout(() => {
      if (this.pending.delete(envelope.id)) settle({ err: new RpcTimeoutError(pattern, timeoutMs) });
    }, timeoutMs);
    this.pending.set(envelope.id, { callback: settle, timer });

    this.commands
      .xadd(
        this.options.keyPrefix + rpcStreamOf(pattern),
        '*',
        ENVELOPE_FIELD,
        JSON.stringify(envelope),
        REPLY_TO_FIELD,
        this.replyStream,
        DEADLINE_FIELD,
        String(Date.now() + timeoutMs),
      )
      .catch((error: unknown) => {
        if (!this.pending.delete(envelope.id)) return;
        clearTimeout(timer);
        settle({ err: new TransportUnavailableError(`Request "${pattern}" not sent: ${describe(error)}`) });
      });

    return () => {
      clearTimeout(timer);
      // Unsubscribed before an answer: the span ends here, unless the answer ended it already.
      if (this.pending.delete(envelope.id)) endSpan(span);
    };
  }

  /** Resolves with the Redis id of the appended event. */
  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    if (!this.options.routeEvent) {
      throw new Error('RedisStreamsClient.emit needs the routeEvent option (event type -> stream)');
    }
    const type = this.normalizePattern(packet.pattern);
    const { options, data } = unwrapContextualData(packet.data);
    const stream = this.options.routeEvent(type);
    const span = startSpan(`publish ${type}`, {
      kind: SpanKind.PRODUCER,
      traceparent: options.traceparent ?? null,
      attributes: { 'messaging.system': 'redis_streams', 'messaging.destination.name': stream },
    });
    try {
      const id = await this.publisher.publish(
        stream,
        createEnvelope(type, data, span ? { ...options, traceparent: traceparentOf(span) } : options),
      );
      endSpan(span);
      return id as T;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  private async open(): Promise<void> {
    await Promise.all([ensureConnected(this.commands), ensureConnected(this.blocking)]);
    this.lastReplyId = await this.createReplyStream();
    this.readLoop = this.readReplies();
    this.scheduleTtlRefresh();
  }

  /** An empty-ish stream with a TTL: the server replies with NOMKSTREAM, so it must exist first. */
  private async createReplyStream(): Promise<string> {
    const results = await this.commands
      .multi()
      .xadd(this.replyKey, 'MAXLEN', '~', REPLY_STREAM_MAX_LENGTH, '*', 'opened', this.clientId)
      .pexpire(this.replyKey, this.replyStreamTtlMs)
      .exec();
    const added = results?.[0];
    if (!added || added[0]) throw added?.[0] ?? new Error('Creating the reply stream was aborted');
    return added[1] as string;
  }

  private scheduleTtlRefresh(): void {
    this.ttlTimer = setTimeout(
      () => {
        this.refreshTtl()
          .catch((error: unknown) => this.log.warn(`Reply stream TTL not refreshed: ${describe(error)}`))
          .finally(() => {
            if (!this.closed) this.scheduleTtlRefresh();
          });
      },
      Math.floor(this.replyStreamTtlMs / 3),
    );
    this.ttlTimer.unref();
  }

  /** Recreates the stream when Redis lost it (FLUSHALL, restart): replies would be dropped. */
  private async refreshTtl(): Promise<void> {
    const refreshed = await this.commands.pexpire(this.replyKey, this.replyStreamTtlMs);
    if (refreshed === 0) await this.createReplyStream();
  }

  private async readReplies(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const reply = (await this.blocking.call('xread', [
          'COUNT',
          100,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          this.replyKey,
          this.lastReplyId,
        ])) as XReadReply;
        failures = 0;
        if (!reply) {
          // A quiet stream may be a lost one (FLUSHALL): the server replies with NOMKSTREAM, so
          // recreate it now rather than at the next TTL refresh, or every reply until then is lost.
          await this.refreshTtl().catch((error: unknown) =>
            this.log.warn(`Reply stream not checked: ${describe(error)}`),
          );
          continue;
        }
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) {
            this.lastReplyId = id;
            this.deliverReply(fieldsToRecord(fields)[REPLY_FIELD]);
          }
        }
        // The callers go on (and send their next requests) before the next read goes out.
        await nextTurn();
      } catch (error) {
        if (this.closed) return;
        failures += 1;
        this.log.warn(`Reading replies failed (attempt ${failures}): ${describe(error)}`);
        await sleep(reconnectDelay(failures), this.stop.signal);
      }
    }
  }

  private deliverReply(raw: string | undefined): void {
    if (raw === undefined) return;
    let reply: RpcReply;
    try {
      reply = JSON.parse(raw) as RpcReply;
    } catch {
      this.log.warn('Ignored a reply that is not JSON');
      return;
    }
    const call = this.pending.get(reply.requestId);
    // Unknown ids are replies that came after their call's timeout, or duplicates.
    if (!call) return;
    this.pending.delete(reply.requestId);
    clearTimeout(call.timer);
    if (reply.ok) call.callback({ response: reply.result, isDisposed: true });
    else call.callback({ err: new RpcRemoteError(reply.error as ErrorBody) });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
