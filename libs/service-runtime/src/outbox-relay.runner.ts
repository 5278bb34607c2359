import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelayFactory, type OutboxRelay } from '@scriptripper/event-store';
import { StreamPublisher } from '@scriptripper/streams';

export interface OutboxRelayRunnerOptions {
  /** Names the relay's checkpoint: the service's name. */
  readonly service: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** Pause between polls once the outbox is drained (default 200 ms). */
  readonly pollIntervalMs?: number;
}

/**
 * Runs the service's outbox relay for the app's lifetime: publishes what the service's
 * transactions committed to Redis Streams, and republishes after Redis lost its data.
 * Every instance runs one; they take turns (the relay holds an advisory lock per run).
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayRunner.name);
  private readonly publisher: StreamPublisher;
  private readonly relay: OutboxRelay;

  constructor(options: OutboxRelayRunnerOptions, relayFactory: OutboxRelayFactory) {
    this.publisher = new StreamPublisher({
      redisUrl: options.redisUrl,
      keyPrefix: options.keyPrefix,
      connectionName: `${options.service}-outbox-relay`,
    });
    this.relay = relayFactory.create({
      name: options.service,
      publisher: this.publisher,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      onError: (error) => this.log.warn(`outbox relay run failed, retrying: ${describe(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.close();
  }

  /** One relay run now, for tests and operators' tools. */
  runOnce() {
    return this.relay.runOnce();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
