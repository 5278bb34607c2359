import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import { WebhookRecord } from './webhook.entity';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.entity';
import { WEBHOOK_EVENT_NAMES, type WebhookEvent } from './webhook.events';

/** The `webhooks`, `webhook_deliveries` and `webhook_delivery_attempts` read models. */
export const webhookProjection: Projection = {
  name: 'webhooks',
  handles: WEBHOOK_EVENT_NAMES,
  apply: (em, recorded) => applyWebhookEvent(em, recorded),
};

async function applyWebhookEvent(em: EntityManager, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as WebhookEvent;
  const at = recorded.recordedAt;
  switch (event.type) {
    case 'WebhookRegistered':
      await em.insert(WebhookRecord, {
        id: event.data.webhook_id,
        userId: event.data.user_id,
        url: event.data.url,
        events: [...event.data.events],
        secret: event.data.secret,
        createdAt: at,
      });
      return;
    case 'WebhookDeleted': {
      const webhookId = event.data.webhook_id;
      const deliveries = await em.find(WebhookDeliveryRecord, { webhookId }, { fields: ['id'] });
      await em.nativeDelete(WebhookAttemptRecord, { deliveryId: { $in: deliveries.map((d) => d.id) } });
      await em.nativeDelete(WebhookDeliveryRecord, { webhookId });
      await em.nativeDelete(WebhookRecord, { id: webhookId });
      return;
    }
    case 'WebhookDeliveryScheduled':
      await em.insert(WebhookDeliveryRecord, {
        id: event.data.delivery_id,
        webhookId: event.data.webhook_id,
        userId: event.data.user_id,
        eventId: event.data.event_id,
        eventType: event.data.event_type,
        jobId: event.data.job_id,
        payload: event.data.payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: null,
        createdAt: at,
        updatedAt: at,
      });
      return;
    case 'WebhookDeliveryAttempted': {
      const data = event.data;
      const nextAttemptAt = data.next_attempt_at === null ? null : new Date(data.next_attempt_at);
      const updated = await em.nativeUpdate(
        WebhookDeliveryRecord,
        { id: data.delivery_id },
        {
          status: data.outcome === 'retrying' ? 'pending' : data.outcome,
          attempts: data.attempt,
          nextAttemptAt,
          leaseUntil: null,
          updatedAt: at,
        },
      );
      // A try that ended after its webhook was deleted leaves nothing behind in the read models.
      if (updated === 0) return;
      await em.insert(WebhookAttemptRecord, {
        deliveryId: data.delivery_id,
        attempt: data.attempt,
        attemptedAt: new Date(data.at),
        statusCode: data.status_code,
        durationMs: data.duration_ms,
        error: data.error,
        nextAttemptAt,
      });
      return;
    }
  }
}
