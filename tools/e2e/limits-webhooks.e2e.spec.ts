import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  verifyWebhookSignature,
  WebhookHeaders,
  type CreatedWebhook,
  type Page,
  type TokenPair,
  type WebhookDeliveryView,
  type WebhookPayload,
  type WebhookView,
} from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { GatewayClient } from './test-support/gateway-client';
import { asWebVtt, VENDOR_MEETING } from './test-support/transcripts';

const JOBS_PER_DAY = 2;

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly retryable: boolean };
}

/**
 * Quotas, spend caps and webhooks through the gateway, with every service and the worker as
 * processes: a webhook receiver on this machine gets a signed job.completed for a finished job
 * (after one failed try, retried); the job past the daily quota answers 429 and, with the spend
 * cap at 0 (no LLM cost offline, and the cap compares >=), a new job answers 402, both in the
 * one error shape with Retry-After.
 */
describe('quotas, spend caps and webhooks through the gateway', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let bob: TokenPair;
  const transcript = asWebVtt(VENDOR_MEETING);

  /** POST /jobs answering the raw response, for its status, headers and error body. */
  const submitRaw = (token: string) =>
    fetch(`${stack.gatewayUrl}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'meeting', transcript, format: 'webvtt' }),
    });

  beforeAll(async () => {
    stack = await startIdentityStack('limits_webhooks_e2e', {
      adminEmail: 'admin@limits.test',
      withWorker: true,
      jobs: {
        QUOTA_JOBS_PER_DAY: String(JOBS_PER_DAY),
        WEBHOOK_RETRY_BASE_MS: '500',
        WEBHOOK_SCHEDULER_INTERVAL_MS: '200',
      },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@limits.test');
    bob = await client.signIn('bob@limits.test');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers a signed job.completed to a registered webhook, retried after a failed try, and logs both', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(received.length === 1 ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolveListen) => receiver.listen(0, '127.0.0.1', resolveListen));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/scriptripper`;
      const created = await client.api<CreatedWebhook>('/webhooks', {
        token: ana.access_token,
        method: 'POST',
        body: { url, events: ['job.completed', 'job.failed'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url, events: ['job.completed', 'job.failed'] });
      const webhook = created.body;
      expect(webhook.secret).toMatch(/^whsec_/);
      const listed = await client.api<Page<WebhookView>>('/webhooks', { token: ana.access_token });
      expect(listed.body.items).toEqual([
        { id: webhook.id, url, events: webhook.events, created_at: webhook.created_at },
      ]);

      const jobId = await client.submit(ana.access_token, {
        profile: 'meeting',
        transcript,
        format: 'webvtt',
      });
      expect((await client.finished(jobId, ana.access_token)).status).toBe('completed');

      const delivered = await pollUntil('a successful delivery', async () => {
        const page = await client.api<Page<WebhookDeliveryView>>(`/webhooks/${webhook.id}/deliveries`, {
          token: ana.access_token,
        });
        const [delivery] = page.body.items;
        return delivery?.status === 'succeeded' ? delivery : undefined;
      });
      expect(delivered).toMatchObject({ job_id: jobId, event_type: 'job.completed', next_attempt_at: null });
      expect(delivered.attempts.map((attempt) => attempt.status_code)).toEqual([503, 200]);
      expect(delivered.attempts[0]?.next_attempt_at).toEqual(expect.any(String));

      expect(received).toHaveLength(2);
      for (const { headers, body } of received) {
        expect(headers[WebhookHeaders.deliveryId]).toBe(delivered.id);
        expect(
          verifyWebhookSignature({
            secret: webhook.secret,
            header: headers[WebhookHeaders.signature] as string,
            body,
          }),
        ).toBe(true);
        const payload = JSON.parse(body) as WebhookPayload;
        expect(payload).toMatchObject({
          id: delivered.event_id,
          type: 'job.completed',
          data: { job_id: jobId, status: 'completed' },
        });
      }

      // Another user sees none of it; a bad URL is refused in the one error shape.
      const foreign = await client.api<ErrorAnswer>(`/webhooks/${webhook.id}/deliveries`, {
        token: bob.access_token,
      });
      expect(foreign.status).toBe(404);
      const refused = await client.api<ErrorAnswer>('/webhooks', {
        token: ana.access_token,
        method: 'POST',
        body: { url: 'ftp://127.0.0.1/hook', events: ['job.completed'] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });

      const deleted = await client.api(`/webhooks/${webhook.id}`, {
        token: ana.access_token,
        method: 'DELETE',
      });
      expect(deleted.status).toBe(204);
      expect(
        (await client.api<Page<WebhookView>>('/webhooks', { token: ana.access_token })).body.items,
      ).toEqual([]);
    } finally {
      await new Promise<void>((resolveClose) => receiver.close(() => resolveClose()));
    }
  });

  it("answers the job past the user's daily quota with 429, the limit and when it resets", async () => {
    for (let n = 0; n < JOBS_PER_DAY; n++) {
      expect((await submitRaw(bob.access_token)).status).toBe(202);
    }
    const refused = await submitRaw(bob.access_token);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    const body = (await refused.json()) as ErrorAnswer;
    expect(body.error).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringMatching(
        /^you have reached the daily quota of 2 jobs \(2 created today\); it resets at \d{4}-\d{2}-\d{2}T00:00:00\.000Z$/,
      ),
      retryable: true,
    });
    const jobs = await client.api<Page<unknown>>('/jobs', { token: bob.access_token });
    expect(jobs.body.items).toHaveLength(JOBS_PER_DAY);
  });

  it('answers a new job with 402 once the daily spend cap is reached (a cap of 0: reached at once)', async () => {
    await stack.kill('jobs', 'SIGTERM');
    await stack.start('jobs', { SPEND_CAP_USER_DAILY_USD: '0' });
    const cleo = await client.signIn('cleo@limits.test');
    const refused = await submitRaw(cleo.access_token);
    expect(refused.status).toBe(402);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as ErrorAnswer;
    expect(body.error).toEqual({
      code: 'SPEND_CAP_REACHED',
      message: expect.stringMatching(
        /^your daily LLM spend cap of \$0\.00 is reached \(\$0\.00 spent today\)/,
      ),
      retryable: true,
    });
    expect((await client.api<Page<unknown>>('/jobs', { token: cleo.access_token })).body.items).toEqual([]);
  });
});
