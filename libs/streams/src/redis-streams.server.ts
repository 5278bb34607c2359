import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger, type LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { ErrorBody, MessageEnvelope } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';
import { endSpan, runInSpan, runWithCorrelationId, SpanKind, startSpan } from '@scriptripper/observability';
import { backoffDelay } from './backoff';
import { ConsumerGroup } from './consumer-group';
import { parseEnvelope } from './envelope';
import { toErrorBody } from './error-body';
import { MalformedEnvelopeError } from './errors';
import {
  closeConnection,
  createRedisConnection,
  isNoGroupError,
  reconnectDelay,
  settledWithin,
  sleep,
} from './redis-connection';
import { RedisStreamsContext } from './redis-streams.context';
import {
  resolveServerOptions,
  type RedisStreamsServerOptions,
  type ResolvedServerOptions,
} from './redis-streams.options';
import {
  DEADLINE_FIELD,
  REPLY_FIELD,
  REPLY_STREAM_MAX_LENGTH,
  REPLY_STREAM_PREFIX,
  REPLY_TO_FIELD,
  type RpcReply,
} from './rpc-protocol';
import { StreamEpoch, type EpochChange } from './stream-epoch';
import { fieldsToRecord } from './stream-ids';
import { StreamMetrics, type StreamCounterName } from './stream-metrics';
import { ENVELOPE_FIELD } from './stream-publisher';

type ConnectionListener = (...args: unknown[]) => void;

export const REDIS_STREAMS_TRANSPORT = Symbol('REDIS_STREAMS');

/** How JSON texts of an object, array, string or number begin. */
const MAY_BE_JSON_PATTERN = /^\s*[[{"\d-]/;

/** One entry this instance holds: queued, running, or waiting for a retry. */
interface Delivery {
  readonly group: ConsumerGroup;
  readonly id: string;
  fields: Record<string, string>;
  deliveries: number;
  touchedAt: number;
  running: boolean;
  lost: boolean;
  /** The envelope's, once parsed: the dead-letter line is written within it too. */
  correlationId?: string;
}

type Outcome =
  | {
      readonly kind: 'done';
      readonly counter: StreamCounterName;
      /** The error a request's handler answered with (the request itself is done). */
      readonly answered?: ErrorBody;
    }
  | { readonly kind: 'dead'; readonly reason: string; readonly error: ErrorBody | null }
  | { readonly kind: 'failed'; readonly error: ErrorBody };

type XReadGroupReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Nest transport over Redis Streams consumer groups. Every instance of a service is a
 * consumer in the service's group on each stream it consumes, so instances share the
 * work and every group sees every event. An entry is acked only after its handler's
 * promise resolved; failures are retried with backoff and end in `dlq:<stream>`.
 */
export class RedisStreamsServer
  extends Server<Record<string, ConnectionListener>>
  implements CustomTransportStrategy
{
  override readonly transportId = REDIS_STREAMS_TRANSPORT;

  private readonly config: ResolvedServerOptions;
  private readonly log: LoggerService;
  private readonly commands: Redis;
  private readonly blocking: Redis;
  private readonly groups: ConsumerGroup[];
  private readonly groupsByKey: Map<string, ConsumerGroup>;
  private readonly rpcStream: string;
  private readonly epoch: StreamEpoch;
  private readonly metrics: StreamMetrics;
  private removeBacklogSource: (() => void) | undefined;

  private readonly held = new Map<string, Delivery>();
  private readonly queue: Delivery[] = [];
  /** Entries whose handler runs or waits for a retry: what `concurrency` bounds. */
  private running = 0;
  /** Entries run and not yet settled (acked, dead-lettered or left pending). */
  private unsettled = 0;
  private capacityFreed: (() => void) | undefined;
  private idle: (() => void) | undefined;

  private stopping = false;
  private readonly stop = new AbortController();
  private readLoop: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private blockingClientId: number | undefined;

  constructor(options: RedisStreamsServerOptions) {
    super();
    this.config = resolveServerOptions(options);
    this.log = options.logger ?? new Logger(RedisStreamsServer.name);
    const { redisUrl, service, consumer, keyPrefix } = this.config;
    this.commands = createRedisConnection(redisUrl, `${service}:${consumer}:commands`, 'commands');
    this.blocking = createRedisConnection(redisUrl, `${service}:${consumer}:reads`, 'blocking');
    this.blocking.on('ready', () => {
      this.blocking.client('ID').then(
        (id) => (this.blockingClientId = id),
        () => undefined,
      );
    });
    this.rpcStream = `rpc:${service}`;
    this.groups = this.config.streams.map(
      (stream) => new ConsumerGroup(this.commands, keyPrefix, stream, service, consumer),
    );
    this.groupsByKey = new Map(this.groups.map((group) => [group.key, group]));
    this.epoch = new StreamEpoch(this.commands, keyPrefix);
    this.metrics = StreamMetrics.in(options.metricsRegistry);
  }

  get consumerName(): string {
    return this.config.consumer;
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops reading, lets running handlers finish (bounded), then closes the connections. */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stop.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.removeBacklogSource?.();
    await this.unblockReads();
    await this.releaseQueued();
    await this.waitForRunningHandlers();
    this.epoch.complete();
    await Promise.all([closeConnection(this.blocking), closeConnection(this.commands)]);
  }

  /** Listens to both connections' events (`error`, `ready`, `reconnecting`, ...). */
  on(event: string, callback: ConnectionListener): void {
    this.commands.on(event, callback);
    this.blocking.on(event, callback);
  }

  unwrap<T>(): T {
    return { commands: this.commands, blocking: this.blocking } as T;
  }

  /** The current Redis epoch; it changes when Redis lost everything. */
  currentEpoch(): Promise<string> {
    return this.epoch.current();
  }

  get epochChanges(): Observable<EpochChange> {
    return this.epoch.changes$;
  }

  onEpochChange(listener: (change: EpochChange) => void): () => void {
    const subscription = this.epoch.changes$.subscribe(listener);
    return () => subscription.unsubscribe();
  }

  private async start(): Promise<void> {
    await Promise.all([this.commands.connect(), this.blocking.connect()]);
    await this.epoch.current();
    for (const group of this.groups) await group.ensure();
    this.removeBacklogSource = this.metrics.addBacklogSource(() => this.backlog());
    this.readLoop = this.readNewEntries();
    const maintenanceEveryMs = Math.max(20, Math.floor(this.config.claimIdleMs / 3));
    this.every(maintenanceEveryMs, () => this.maintain());
    this.every(this.config.trim.intervalMs, () => this.tidy());
  }

  // ---- reading --------------------------------------------------------------------------

  private async readNewEntries(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      await this.capacity();
      if (this.stopping) return;
      try {
        const reply = await this.readGroup(this.freeSlots());
        failures = 0;
        if (!reply) continue;
        for (const [key, entries] of reply) {
          const group = this.groupsByKey.get(key);
          if (!group) continue;
          let accepted = 0;
          for (const [id, fields] of entries) {
            if (this.accept(group, id, fieldsToRecord(fields), 1)) accepted += 1;
          }
          this.metrics.count('delivered', group.stream, group.group, accepted);
        }
        // The handlers just started send their replies and acks before the next read goes out.
        await nextTurn();
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        if (isNoGroupError(error)) {
          await this.recoverLostGroups();
        } else {
          this.log.warn?.(`Reading streams failed (attempt ${failures}): ${describe(error)}`);
          await sleep(reconnectDelay(failures), this.stop.signal);
        }
      }
    }
  }

  private async readGroup(count: number): Promise<XReadGroupReply> {
    const keys = this.groups.map((group) => group.key);
    return (await this.blocking.call('xreadgroup', [
      'GROUP',
      this.config.service,
      this.config.consumer,
      'COUNT',
      count,
      'BLOCK',
      this.config.blockMs,
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    ])) as XReadGroupReply;
  }

  /** Redis lost the stream or the group (FLUSHALL, restart): create them again and carry on. */
  private async recoverLostGroups(): Promise<void> {
    try {
      for (const group of this.groups) await group.ensure();
      const epoch = await this.epoch.current();
      this.log.warn?.(`Consumer groups were lost and are recreated (Redis epoch now ${epoch})`);
    } catch (error) {
      this.log.warn?.(`Recreating consumer groups failed: ${describe(error)}`);
      await sleep(reconnectDelay(3), this.stop.signal);
    }
  }

  private async unblockReads(): Promise<void> {
    if (this.blockingClientId !== undefined && this.commands.status === 'ready') {
      await this.commands.client('UNBLOCK', this.blockingClientId).catch(() => undefined);
    } else {
      this.blocking.disconnect();
    }
    await settledWithin(this.readLoop, this.config.blockMs + 1_000);
  }

  // ---- concurrency ----------------------------------------------------------------------

  private freeSlots(): number {
    return Math.max(0, this.config.concurrency - this.running - this.queue.length);
  }

  /**
   * Resolves when a slot is free; waiting one more turn of the event loop lets the other
   * handlers finishing in this turn free theirs too, so the next read fetches a full batch.
   */
  private capacity(): Promise<void> {
    if (this.freeSlots() > 0) return Promise.resolve();
    return new Promise((resolve) => (this.capacityFreed = () => setImmediate(resolve)));
  }

  /** Takes the entry unless this instance holds it already (a claim of an entry read before). */
  private accept(
    group: ConsumerGroup,
    id: string,
    fields: Record<string, string>,
    deliveries: number,
  ): boolean {
    const key = `${group.stream}\n${id}`;
    if (this.held.has(key)) return false;
    const delivery: Delivery = {
      group,
      id,
      fields,
      deliveries,
      touchedAt: Date.now(),
      running: false,
      lost: false,
    };
    this.held.set(key, delivery);
    if (this.running < this.config.concurrency) void this.run(delivery);
    else this.queue.push(delivery);
    return true;
  }

  private async run(delivery: Delivery): Promise<void> {
    this.running += 1;
    this.unsettled += 1;
    delivery.running = true;
    try {
      await this.settle(delivery);
    } catch (error) {
      this.log.error(
        `Entry ${delivery.id} of ${delivery.group.stream} stays pending for a later retry: ${describe(error)}`,
      );
    } finally {
      this.freeSlot(delivery);
      this.held.delete(`${delivery.group.stream}\n${delivery.id}`);
      this.unsettled -= 1;
      if (this.unsettled === 0) this.idle?.();
    }
  }

  /**
   * The handler is done with the entry (its XACK may still be on the way): the next entry
   * may run, and the read loop may fetch more while the XACK travels.
   */
  private freeSlot(delivery: Delivery): void {
    if (!delivery.running) return;
    delivery.running = false;
    this.running -= 1;
    const next = this.stopping ? undefined : this.queue.shift();
    if (next) void this.run(next);
    if (this.freeSlots() > 0) this.capacityFreed?.();
  }

  private async releaseQueued(): Promise<void> {
    const queued = this.queue.splice(0);
    for (const delivery of queued) this.held.delete(`${delivery.group.stream}\n${delivery.id}`);
    await this.release(queued);
  }

  /** Lets other consumers claim entries this instance will not process, without waiting. */
  private async release(deliveries: readonly Delivery[]): Promise<void> {
    for (const group of this.groups) {
      const ids = deliveries.filter((delivery) => delivery.group === group).map((delivery) => delivery.id);
      await group.release(ids, this.config.claimIdleMs).catch(() => undefined);
    }
  }

  /** Waits for running handlers and for the XACKs of those that finished. */
  private async waitForRunningHandlers(): Promise<void> {
    if (this.unsettled === 0) return;
    const finished = new Promise<void>((resolve) => (this.idle = resolve));
    if (!(await settledWithin(finished, this.config.shutdownTimeoutMs))) {
      this.log.warn?.(`${this.unsettled} handler(s) still running at shutdown; their entries stay pending`);
    }
  }

  // ---- processing -----------------------------------------------------------------------

  /** Runs the entry until it is acked, dead-lettered, or left pending at shutdown. */
  private async settle(delivery: Delivery): Promise<void> {
    const { group } = delivery;
    for (;;) {
      const outcome = await this.handle(delivery);
      if (delivery.lost) {
        this.log.warn?.(`Entry ${delivery.id} of ${group.stream} was taken over by another consumer`);
        return;
      }
      if (outcome.kind === 'done') {
        const acked = group.ack(delivery.id);
        this.freeSlot(delivery);
        await acked;
        this.metrics.count(outcome.counter, group.stream, group.group);
        return;
      }
      if (outcome.kind === 'dead') {
        await this.deadLetter(delivery, outcome.reason, outcome.error);
        return;
      }
      if (delivery.deliveries >= this.config.maxDeliveries) {
        await this.deadLetter(
          delivery,
          `handler failed ${delivery.deliveries} times: ${outcome.error.message}`,
          outcome.error,
        );
        return;
      }
      this.metrics.count('retried', group.stream, group.group);
      await sleep(backoffDelay(delivery.deliveries, this.config.retryBackoff), this.stop.signal);
      if (this.stopping) {
        await this.release([delivery]);
        return;
      }
      const fields = await group.claimForRetry(delivery.id);
      if (!fields) {
        await this.deadLetter(delivery, 'entry vanished from the stream before its retry', outcome.error);
        return;
      }
      delivery.fields = fields;
      delivery.deliveries += 1;
      delivery.touchedAt = Date.now();
    }
  }

  private async deadLetter(delivery: Delivery, reason: string, error: ErrorBody | null): Promise<void> {
    await delivery.group.deadLetter({
      messageId: delivery.id,
      attempts: delivery.deliveries,
      reason,
      error,
      fields: delivery.fields,
    });
    this.metrics.count('dead_lettered', delivery.group.stream, delivery.group.group);
    const warn = () =>
      this.log.warn?.(`Entry ${delivery.id} of ${delivery.group.stream} moved to the DLQ: ${reason}`);
    if (delivery.correlationId) runWithCorrelationId(delivery.correlationId, warn);
    else warn();
  }

  private handle(delivery: Delivery): Outcome | Promise<Outcome> {
    let envelope: MessageEnvelope;
    try {
      const raw = delivery.fields[ENVELOPE_FIELD];
      if (raw === undefined) throw new MalformedEnvelopeError(`entry has no "${ENVELOPE_FIELD}" field`);
      envelope = parseEnvelope(raw);
    } catch (error) {
      return { kind: 'dead', reason: describe(error), error: toErrorBody(error) };
    }
    delivery.correlationId = envelope.correlationId;
    const context = new RedisStreamsContext({
      stream: delivery.group.stream,
      messageId: delivery.id,
      envelope,
      deliveries: delivery.deliveries,
    });
    return this.inMessageContext(delivery, envelope, () =>
      delivery.group.stream === this.rpcStream
        ? this.handleRequest(delivery, envelope, context)
        : this.runEvent(envelope, context),
    );
  }

  /**
   * Runs the message's handling within its correlation id (every log line a handler writes
   * carries it) and, when tracing is on, in a span continuing the envelope's traceparent;
   * then logs how it ended. Entries without a handler here are not logged (most events of a
   * shared stream are someone else's).
   */
  private inMessageContext(
    delivery: Delivery,
    envelope: MessageEnvelope,
    work: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const { stream, group } = delivery.group;
    const request = stream === this.rpcStream;
    return runWithCorrelationId(envelope.correlationId, async () => {
      const span = startSpan(`${request ? 'handle' : 'consume'} ${envelope.type}`, {
        kind: request ? SpanKind.SERVER : SpanKind.CONSUMER,
        traceparent: envelope.traceparent,
        remoteParentOnly: true,
        attributes: {
          'messaging.system': 'redis_streams',
          'messaging.destination.name': stream,
          'messaging.consumer.group.name': group,
          'messaging.message.id': envelope.id,
          'scriptripper.correlation_id': envelope.correlationId,
          'scriptripper.deliveries': delivery.deliveries,
        },
      });
      const startedAt = performance.now();
      // The closing log line is written in the span too, so it carries the trace id.
      const outcome = await runInSpan(span, async () => {
        const settled = await work();
        if (settled.kind !== 'done' || settled.counter !== 'ignored') {
          this.logOutcome(delivery, envelope, settled, performance.now() - startedAt);
        }
        return settled;
      });
      endSpan(span, outcome.kind === 'done' ? outcome.answered : (outcome.error ?? undefined));
      return outcome;
    });
  }

  private logOutcome(
    delivery: Delivery,
    envelope: MessageEnvelope,
    outcome: Outcome,
    elapsedMs: number,
  ): void {
    const what = `${envelope.type} (${envelope.id}) from ${delivery.group.stream}, delivery ${delivery.deliveries}`;
    const took = `${elapsedMs.toFixed(1)} ms`;
    if (outcome.kind === 'failed') {
      this.log.warn?.(`${what} failed in ${took}: ${outcome.error.code}: ${outcome.error.message}`);
    } else if (outcome.kind === 'dead') {
      return; // `deadLetter` says so.
    } else if (outcome.counter === 'expired') {
      this.log.log(`${what} expired before it was handled`);
    } else if (outcome.answered) {
      this.log.log(`${what} answered ${outcome.answered.code} in ${took}`);
    } else {
      this.log.log(`${what} handled in ${took}`);
    }
  }

  private async runEvent(envelope: MessageEnvelope, context: RedisStreamsContext): Promise<Outcome> {
    const handler = this.handlerFor(envelope.type);
    // Many event types share a stream; those this service does not handle are acked.
    if (!handler?.isEventHandler) return { kind: 'done', counter: 'ignored' };
    try {
      await this.invoke(handler, envelope, context);
      return { kind: 'done', counter: 'acked' };
    } catch (error) {
      return { kind: 'failed', error: toErrorBody(error) };
    }
  }

  private async handleRequest(
    delivery: Delivery,
    envelope: MessageEnvelope,
    context: RedisStreamsContext,
  ): Promise<Outcome> {
    const replyTo = delivery.fields[REPLY_TO_FIELD];
    const deadline = Number(delivery.fields[DEADLINE_FIELD]);
    if (!replyTo?.startsWith(REPLY_STREAM_PREFIX) || !Number.isFinite(deadline)) {
      return { kind: 'dead', reason: 'request without a valid replyTo or deadline', error: null };
    }
    // Nobody waits for the answer any more; running it would only repeat work.
    if (Date.now() > deadline) return { kind: 'done', counter: 'expired' };

    const handler = this.handlerFor(envelope.type);
    let reply: RpcReply;
    let counter: StreamCounterName = 'acked';
    let answered: ErrorBody | undefined;
    if (!handler || handler.isEventHandler) {
      counter = 'ignored';
      reply = {
        requestId: envelope.id,
        ok: false,
        error: { code: ErrorCodes.notFound, message: `No handler for "${envelope.type}"`, retryable: false },
      };
    } else {
      try {
        const result = await this.invoke(handler, envelope, context);
        reply = { requestId: envelope.id, ok: true, result: result ?? null };
      } catch (error) {
        answered = toErrorBody(error);
        reply = { requestId: envelope.id, ok: false, error: answered };
      }
    }
    try {
      await this.reply(replyTo, reply);
    } catch (error) {
      return {
        kind: 'failed',
        error: {
          code: ErrorCodes.unavailable,
          message: `reply not sent: ${describe(error)}`,
          retryable: true,
        },
      };
    }
    return answered ? { kind: 'done', counter, answered } : { kind: 'done', counter };
  }

  /** NOMKSTREAM: a caller that is gone (its reply stream expired) gets nothing, and no key leaks. */
  private async reply(replyTo: string, reply: RpcReply): Promise<void> {
    await this.commands.call('xadd', [
      this.config.keyPrefix + replyTo,
      'NOMKSTREAM',
      'MAXLEN',
      '~',
      REPLY_STREAM_MAX_LENGTH,
      '*',
      REPLY_FIELD,
      JSON.stringify(reply),
    ]);
  }

  /**
   * Calls the handler (and, for events, every further handler Nest chained for the same
   * pattern) and waits for its outcome, whatever it returned: Nest's own `handleEvent`
   * swallows failures, so it cannot be used when acks depend on success.
   */
  private async invoke(
    handler: MessageHandler,
    envelope: MessageEnvelope,
    context: RedisStreamsContext,
  ): Promise<unknown> {
    let result: unknown;
    for (let current: MessageHandler | undefined = handler; current; current = current.next) {
      // Nest's handlers resolve to a value, or to an Observable (a stream, or the filter's error).
      const value: unknown = await current(envelope.data, context);
      result = isObservable(value) ? await lastValueFrom(value, { defaultValue: undefined }) : value;
    }
    return result;
  }

  /**
   * Nest's `getHandlerByPattern` first tries `JSON.parse` on the pattern, which throws (at a
   * high cost, per message) for every plain type name. Only a type that JSON-parses to an
   * object, array, string or number can map to another route, so only those take that path.
   */
  private handlerFor(type: string): MessageHandler | null {
    const handler = this.messageHandlers.get(type);
    if (handler) return handler;
    return MAY_BE_JSON_PATTERN.test(type) ? this.getHandlerByPattern(type) : null;
  }

  // ---- periodic work --------------------------------------------------------------------

  private every(intervalMs: number, work: () => Promise<void>): void {
    const schedule = () => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        work()
          .catch(async (error: unknown) => {
            if (isNoGroupError(error)) await this.recoverLostGroups();
            else this.log.warn?.(`Stream maintenance failed: ${describe(error)}`);
          })
          .finally(() => {
            if (!this.stopping) schedule();
          });
      }, intervalMs);
      timer.unref();
      this.timers.add(timer);
    };
    schedule();
  }

  /** Keeps held entries ours, takes over entries of dead consumers, notices a lost Redis. */
  private async maintain(): Promise<void> {
    await this.keepHeldEntries();
    for (const group of this.groups) {
      const free = this.freeSlots();
      if (free === 0 || this.stopping) break;
      await this.takeOverIdleEntries(group, free);
    }
    await this.epoch.current();
  }

  private async keepHeldEntries(): Promise<void> {
    const staleBefore = Date.now() - Math.floor(this.config.claimIdleMs / 3);
    for (const group of this.groups) {
      const stale = [...this.held.values()].filter(
        (delivery) => delivery.group === group && delivery.touchedAt <= staleBefore,
      );
      if (stale.length === 0) continue;
      const lost = new Set(await group.refresh(stale.map((delivery) => delivery.id)));
      const now = Date.now();
      for (const delivery of stale) {
        delivery.touchedAt = now;
        delivery.lost = lost.has(delivery.id);
      }
    }
  }

  private async takeOverIdleEntries(group: ConsumerGroup, count: number): Promise<void> {
    const { claimed, deleted } = await group.autoclaim(this.config.claimIdleMs, count);
    for (const id of deleted) {
      await group.deadLetter({
        messageId: id,
        attempts: 0,
        reason: 'entry deleted from the stream before it was processed',
        error: null,
        fields: null,
      });
      this.metrics.count('dead_lettered', group.stream, group.group);
    }
    for (const entry of claimed) {
      if (entry.deliveries > this.config.maxDeliveries) {
        await group.deadLetter({
          messageId: entry.id,
          attempts: entry.deliveries - 1,
          reason: 'delivery limit reached',
          error: null,
          fields: entry.fields,
        });
        this.metrics.count('dead_lettered', group.stream, group.group);
        continue;
      }
      if (this.accept(group, entry.id, entry.fields, entry.deliveries)) {
        this.metrics.count('delivered', group.stream, group.group);
      }
    }
  }

  /** Bounds stream length and forgets consumers of instances that are gone. */
  private async tidy(): Promise<void> {
    for (const group of this.groups) {
      await group.trim(this.config.trim.maxLength);
      await group.retireIdleConsumers(this.config.retireConsumersAfterMs);
    }
  }

  private async backlog() {
    const backlogs = await Promise.all(this.groups.map((group) => group.backlog().catch(() => null)));
    return backlogs.filter((backlog) => backlog !== null);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
