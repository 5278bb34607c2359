import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  invalid,
  JobEvents,
  serviceActor,
  WebhooksRpc,
  type CreateWebhookRequest,
  type DeleteWebhookRequest,
  type ListWebhookDeliveriesRequest,
  type MessageEnvelope,
  type PageRequest,
  type WebhookEventType,
} from '@scriptripper/contracts';
import { Inbox } from '@scriptripper/event-store';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer, appendContextOf, requireReader, requireWriter } from '../shared/rpc-context';
import { WebhookService, type TerminalJobEvent } from './webhook.service';

/** The inbox consumer that turns jobs' terminal events into deliveries. */
const DELIVERY_CONSUMER = 'jobs.webhook-deliveries';

/**
 * `rpc:jobs` for a user's webhooks (jobs:write to register and delete, jobs:read to list them
 * and their deliveries), and jobs' own `events:jobs`: every JobCompleted / JobFailed becomes a
 * delivery to each of the owner's subscribed webhooks, once per event (inbox).
 */
@Controller()
export class WebhooksController {
  constructor(
    @Inject(WebhookService) private readonly webhooks: WebhookService,
    @Inject(Inbox) private readonly inbox: Inbox,
  ) {}

  @MessagePattern(WebhooksRpc.create)
  create(@Payload() data: CreateWebhookRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      return this.webhooks.register(
        { url: data?.url, events: data?.events },
        owner,
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(WebhooksRpc.list)
  list(@Payload() data: PageRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => this.webhooks.list(data ?? {}, requireReader(ctx.getEnvelope().actor)));
  }

  @MessagePattern(WebhooksRpc.delete)
  delete(@Payload() data: DeleteWebhookRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () => {
      const owner = requireWriter(envelope.actor);
      await this.webhooks.delete(idOf(data?.webhook_id), owner, appendContextOf(envelope));
      return { deleted: true };
    });
  }

  @MessagePattern(WebhooksRpc.listDeliveries)
  listDeliveries(@Payload() data: ListWebhookDeliveriesRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() =>
      this.webhooks.listDeliveries(
        { ...(data ?? {}), webhook_id: idOf(data?.webhook_id) },
        requireReader(ctx.getEnvelope().actor),
      ),
    );
  }

  @EventPattern(JobEvents.completed)
  jobCompleted(@Ctx() ctx: RedisStreamsContext) {
    return this.schedule(ctx.getEnvelope() as MessageEnvelope<TerminalJobEvent>, 'job.completed');
  }

  @EventPattern(JobEvents.failed)
  jobFailed(@Ctx() ctx: RedisStreamsContext) {
    return this.schedule(ctx.getEnvelope() as MessageEnvelope<TerminalJobEvent>, 'job.failed');
  }

  /** Published by jobs' own outbox only; a throw leaves the message to the transport's retries. */
  private async schedule(envelope: MessageEnvelope<TerminalJobEvent>, type: WebhookEventType): Promise<void> {
    await this.inbox.handleOnce(DELIVERY_CONSUMER, envelope.id, () =>
      this.webhooks.scheduleDeliveries(envelope, type, {
        actor: serviceActor('jobs'),
        correlationId: envelope.correlationId,
        causationId: envelope.id,
        traceparent: envelope.traceparent,
      }),
    );
  }
}

function idOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw invalid('webhook_id must be an id');
  }
  return value;
}
