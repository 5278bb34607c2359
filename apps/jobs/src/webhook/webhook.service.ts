import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  isUuid,
  conflict,
  invalid,
  notFound,
  WEBHOOK_EVENT_TYPES,
  type Actor,
  type CreatedWebhook,
  type CreateWebhookRequest,
  type ListWebhookDeliveriesRequest,
  type MessageEnvelope,
  type Page,
  type PageRequest,
  type WebhookDeliveryView,
  type WebhookEventType,
  type WebhookPayload,
  type WebhookView,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { JobsConfig } from '../config';
import { WebhookRecord } from './webhook.entity';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.entity';
import { WebhookRepository } from './webhook.repository';
import { validateWebhookUrl } from './webhook-url';

/** What jobs' JobCompleted / JobFailed carry that a delivery's body needs. */
export interface TerminalJobEvent {
  readonly job_id: string;
  readonly user_id: string;
  readonly status: string;
  readonly attempt: number;
  readonly cost?: number;
  readonly artifact_ids?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
}

/** Register, list and delete webhooks; schedule a delivery per subscribed webhook of a job event. */
@Injectable()
export class WebhookService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(WebhookRepository) private readonly webhooks: WebhookRepository,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(JobsConfig) private readonly config: JobsConfig,
  ) {}

  /** The answer holds the signing secret, this once: only its sealed form is kept. */
  async register(
    request: CreateWebhookRequest,
    owner: Actor,
    context: AppendContext,
  ): Promise<CreatedWebhook> {
    const events = eventsOf(request.events);
    const url = await validateWebhookUrl(request.url, this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true');
    const registered = await this.em.fork().count(WebhookRecord, { userId: owner.id });
    if (registered >= this.config.WEBHOOK_MAX_PER_USER) {
      throw conflict(`you have ${registered} webhooks, the most allowed; delete one first`);
    }
    const webhookId = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const at = new Date();
    await this.webhooks.executeWebhook(webhookId, context, {
      type: 'RegisterWebhook',
      webhookId,
      userId: owner.id,
      sealedUrl: await this.cipher.encrypt(owner.id, url),
      events,
      sealedSecret: await this.cipher.encrypt(owner.id, secret),
      at: at.toISOString(),
    });
    const record = await this.em.fork().findOneOrFail(WebhookRecord, { id: webhookId });
    return { id: webhookId, url, events, created_at: record.createdAt.toISOString(), secret };
  }

  /** The reader's own webhooks, newest first. */
  async list(request: PageRequest, reader: Actor): Promise<Page<WebhookView>> {
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const where: Record<string, unknown> = { userId: reader.id };
    if (after) {
      const [createdAt, id] = after as [string, string];
      where['$or'] = [
        { createdAt: { $lt: new Date(createdAt) } },
        { createdAt: new Date(createdAt), id: { $lt: id } },
      ];
    }
    const found = await this.em
      .fork()
      .find(WebhookRecord, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: await Promise.all(
        items.map(async (record) => ({
          id: record.id,
          url: (await this.cipher.decrypt(record.userId, record.url)) ?? '',
          events: record.events,
          created_at: record.createdAt.toISOString(),
        })),
      ),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async delete(webhookId: string, owner: Actor, context: AppendContext): Promise<void> {
    await this.findOwn(webhookId, owner);
    await this.webhooks.executeWebhook(webhookId, context, {
      type: 'DeleteWebhook',
      webhookId,
      at: new Date().toISOString(),
    });
  }

  /** A webhook's deliveries, newest first, each with every attempt. */
  async listDeliveries(
    request: ListWebhookDeliveriesRequest,
    reader: Actor,
  ): Promise<Page<WebhookDeliveryView>> {
    const webhook = await this.findOwn(request.webhook_id, reader);
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const where: Record<string, unknown> = { webhookId: webhook.id };
    if (after) {
      const [createdAt, id] = after as [string, string];
      where['$or'] = [
        { createdAt: { $lt: new Date(createdAt) } },
        { createdAt: new Date(createdAt), id: { $lt: id } },
      ];
    }
    const em = this.em.fork();
    const found = await em.find(WebhookDeliveryRecord, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const attempts = await em.find(
      WebhookAttemptRecord,
      { deliveryId: { $in: items.map((item) => item.id) } },
      { orderBy: { deliveryId: 'asc', attempt: 'asc' } },
    );
    const last = items.at(-1);
    return {
      items: items.map((delivery) => ({
        id: delivery.id,
        webhook_id: delivery.webhookId,
        event_id: delivery.eventId,
        event_type: delivery.eventType,
        job_id: delivery.jobId,
        status: delivery.status,
        next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
        created_at: delivery.createdAt.toISOString(),
        attempts: attempts
          .filter((attempt) => attempt.deliveryId === delivery.id)
          .map((attempt) => ({
            attempt: attempt.attempt,
            attempted_at: attempt.attemptedAt.toISOString(),
            status_code: attempt.statusCode,
            duration_ms: attempt.durationMs,
            error: attempt.error,
            next_attempt_at: attempt.nextAttemptAt?.toISOString() ?? null,
          })),
      })),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /**
   * One delivery per webhook of the job's owner subscribed to `type`. Runs inside the inbox's
   * transaction (the global EntityManager joins it), so a redelivered job event schedules nothing twice.
   */
  async scheduleDeliveries(
    envelope: MessageEnvelope<TerminalJobEvent>,
    type: WebhookEventType,
    context: AppendContext,
  ): Promise<number> {
    const job = envelope.data;
    const subscribed = await this.em.find(
      WebhookRecord,
      { userId: job.user_id, events: { $contains: [type] } },
      { fields: ['id'] },
    );
    const payload: WebhookPayload = {
      id: envelope.id,
      type,
      created_at: envelope.occurredAt,
      data: {
        job_id: job.job_id,
        status: job.status,
        attempt: job.attempt,
        ...(job.cost === undefined ? {} : { cost: job.cost }),
        ...(job.artifact_ids === undefined ? {} : { artifact_ids: job.artifact_ids }),
        ...(job.error === undefined ? {} : { error: job.error }),
      },
    };
    for (const webhook of subscribed) {
      const deliveryId = randomUUID();
      await this.webhooks.executeDelivery(deliveryId, context, {
        type: 'ScheduleDelivery',
        deliveryId,
        webhookId: webhook.id,
        userId: job.user_id,
        eventId: envelope.id,
        eventType: type,
        jobId: job.job_id,
        payload,
        at: new Date().toISOString(),
      });
    }
    return subscribed.length;
  }

  /** Another user's webhook answers NOT_FOUND, as one that does not exist. */
  private async findOwn(webhookId: string, reader: Actor): Promise<WebhookRecord> {
    const record = isUuid(webhookId) ? await this.em.fork().findOne(WebhookRecord, { id: webhookId }) : null;
    if (!record || record.userId !== reader.id) throw notFound(`no webhook ${webhookId}`);
    return record;
  }
}

function eventsOf(value: unknown): WebhookEventType[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((event) => WEBHOOK_EVENT_TYPES.includes(event as WebhookEventType))
  ) {
    throw invalid(`events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(value as WebhookEventType[])];
}
