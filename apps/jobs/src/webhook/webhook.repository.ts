import { Inject, Injectable } from '@nestjs/common';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type RecordedEvent,
} from '@scriptripper/event-store';
import {
  decideDelivery,
  evolveDelivery,
  initialDeliveryState,
  type DeliveryCommand,
  type DeliveryStreamEvent,
} from './webhook-delivery.aggregate';
import {
  decideWebhook,
  evolveWebhook,
  initialWebhookState,
  type WebhookCommand,
  type WebhookStreamEvent,
} from './webhook.aggregate';
import {
  WEBHOOK_DELIVERY_STREAM_TYPE,
  WEBHOOK_STREAM_TYPE,
  webhookDeliveryStreamId,
  webhookStreamId,
} from './webhook.events';

const ATTEMPTS = 3;

/** A context decided on the stream's history as loaded. */
export type ContextOfStream = (history: readonly RecordedEvent[]) => AppendContext;

interface Aggregate<S, E extends { type: string; data: unknown }, C> {
  readonly streamId: string;
  readonly streamType: string;
  readonly initial: S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (state: S, command: C) => E[];
}

/**
 * Webhooks and their deliveries, each on its own stream: load, decide, append at the version
 * decided on; a lost race is decided again on the newer state. These events stay in the jobs
 * service (no outbox): nobody else acts on them.
 */
@Injectable()
export class WebhookRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  executeWebhook(webhookId: string, context: AppendContext, command: WebhookCommand) {
    return this.execute(
      {
        streamId: webhookStreamId(webhookId),
        streamType: WEBHOOK_STREAM_TYPE,
        initial: initialWebhookState,
        evolve: evolveWebhook,
        decide: decideWebhook,
      },
      context,
      command,
    );
  }

  executeDelivery(deliveryId: string, context: AppendContext | ContextOfStream, command: DeliveryCommand) {
    return this.execute(
      {
        streamId: webhookDeliveryStreamId(deliveryId),
        streamType: WEBHOOK_DELIVERY_STREAM_TYPE,
        initial: initialDeliveryState,
        evolve: evolveDelivery,
        decide: decideDelivery,
      },
      context,
      command,
    );
  }

  private async execute<S, E extends WebhookStreamEvent | DeliveryStreamEvent, C>(
    aggregate: Aggregate<S, E, C>,
    contextOf: AppendContext | ContextOfStream,
    command: C,
  ): Promise<E[]> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.eventStore.readStream(aggregate.streamId);
      const state = history.reduce(
        (current, recorded) => aggregate.evolve(current, { type: recorded.type, data: recorded.data } as E),
        aggregate.initial,
      );
      const events = aggregate.decide(state, command);
      if (events.length === 0) return events;
      const version = history.at(-1)?.streamVersion ?? 0;
      try {
        await this.eventStore.append({
          streamId: aggregate.streamId,
          streamType: aggregate.streamType,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context: typeof contextOf === 'function' ? contextOf(history) : contextOf,
        });
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
