import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { serviceActor, signWebhookPayload, WebhookHeaders } from '@scriptripper/contracts';
import type { AppendContext, RecordedEvent } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { JobsConfig } from '../config';
import type { AttemptResult, RetryPolicy } from './webhook-delivery.aggregate';
import { WebhookDeliveryRecord } from './webhook-delivery.entity';
import { WebhookRecord } from './webhook.entity';
import { WebhookRepository } from './webhook.repository';
import { sendWebhook } from './webhook-sender';

/** Deliveries claimed (and tried at once) per pass. */
const BATCH = 20;
/** A claim outlives the try's deadline by this much, so a slow try is not taken over mid-flight. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Tries due webhook deliveries. All its state is in Postgres (`webhook_deliveries`): a pass
 * claims due rows with `FOR UPDATE SKIP LOCKED` and a lease (`lease_until`), so several instances
 * never try one delivery at once, and a delivery whose instance died is taken again once its
 * lease ran out. Each try's outcome is appended to the delivery's stream at the version it was
 * decided on; a delivery another instance settled meanwhile takes no more tries.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(WebhookDispatcher.name);
  private readonly policy: RetryPolicy;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(WebhookRepository) private readonly webhooks: WebhookRepository,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(JobsConfig) private readonly config: JobsConfig,
  ) {
    this.policy = {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxMs: config.WEBHOOK_RETRY_MAX_MS,
    };
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: every delivery due at `now` claimed and tried; answers how many were tried. */
  async runOnce(now = new Date()): Promise<number> {
    const claimed = await this.claimDue(now);
    await Promise.all(claimed.map((id) => this.tryDelivery(id)));
    return claimed.length;
  }

  private async claimDue(now: Date): Promise<string[]> {
    const em = this.em.fork();
    const table = em.getMetadata().get(WebhookDeliveryRecord.name);
    const name = `"${table.schema ?? em.config.get('schema')}"."${table.tableName}"`;
    const leaseUntil = new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS);
    const rows = await em.execute<{ id: string }[]>(
      `update ${name} set lease_until = ?
        where id in (select id from ${name}
                      where status = 'pending' and next_attempt_at <= ?
                        and (lease_until is null or lease_until <= ?)
                      order by next_attempt_at limit ? for update skip locked)
        returning id`,
      [leaseUntil, now, now, BATCH],
    );
    return rows.map((row) => row.id);
  }

  private async tryDelivery(deliveryId: string): Promise<void> {
    try {
      const em = this.em.fork();
      const delivery = await em.findOne(WebhookDeliveryRecord, { id: deliveryId });
      const webhook = delivery && (await em.findOne(WebhookRecord, { id: delivery.webhookId }));
      if (!delivery || !webhook || delivery.status !== 'pending') return;
      const result = await this.send(delivery, webhook);
      await this.webhooks.executeDelivery(deliveryId, contextOfDelivery, {
        type: 'RecordAttempt',
        result,
        policy: this.policy,
        at: new Date().toISOString(),
      });
    } catch (error) {
      // The lease runs out and a later pass tries again.
      this.log.warn(
        `webhook delivery ${deliveryId} not recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The signed POST: the body fixed at scheduling, signed now (receivers check the time). */
  private async send(delivery: WebhookDeliveryRecord, webhook: WebhookRecord): Promise<AttemptResult> {
    const url = await this.cipher.decrypt(webhook.userId, webhook.url);
    const secret = await this.cipher.decrypt(webhook.userId, webhook.secret);
    if (url === null || secret === null) {
      return {
        statusCode: null,
        durationMs: 0,
        error: "the webhook's owner was purged",
        delivered: false,
        retryable: false,
      };
    }
    const body = JSON.stringify(delivery.payload);
    return sendWebhook({
      url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ScriptRipper-Webhooks/1',
        [WebhookHeaders.signature]: signWebhookPayload(secret, body, Math.floor(Date.now() / 1000)),
        [WebhookHeaders.deliveryId]: delivery.id,
        [WebhookHeaders.event]: delivery.eventType,
      },
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivateNetworks: this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.log.warn(`webhook pass failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.schedule());
    }, this.config.WEBHOOK_SCHEDULER_INTERVAL_MS);
  }
}

/** A try belongs to the job event that caused its delivery: same correlation id, caused by the delivery's last event. */
function contextOfDelivery(history: readonly RecordedEvent[]): AppendContext {
  return {
    actor: serviceActor('jobs'),
    correlationId: history[0]?.metadata.correlationId ?? randomUUID(),
    causationId: history.at(-1)?.metadata.messageId ?? null,
    traceparent: null,
  };
}
