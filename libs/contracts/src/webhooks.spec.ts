import { createHmac } from 'node:crypto';
import { signWebhookPayload, verifyWebhookSignature } from './webhooks';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"job.completed"}';
  const now = new Date('2026-11-28T10:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('signs "<t>.<body>" with HMAC-SHA256 of the secret, as the header format says', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhookPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature of the raw body', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature({ secret, header, body, now })).toBe(true);
    expect(verifyWebhookSignature({ secret, header, body: Buffer.from(body), now })).toBe(true);
  });

  it('refuses another secret, a changed body, or a changed timestamp', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature({ secret: 'whsec_other', header, body, now })).toBe(false);
    expect(verifyWebhookSignature({ secret, header, body: body.replace('e1', 'e2'), now })).toBe(false);
    expect(
      verifyWebhookSignature({ secret, header: header.replace(`t=${t}`, `t=${t + 1}`), body, now }),
    ).toBe(false);
  });

  it('refuses a signature older (or newer) than the tolerance: a replayed delivery', () => {
    const header = signWebhookPayload(secret, body, t - 301);
    expect(verifyWebhookSignature({ secret, header, body, now })).toBe(false);
    expect(verifyWebhookSignature({ secret, header, body, now, toleranceSeconds: 600 })).toBe(true);
    expect(
      verifyWebhookSignature({ secret, header: signWebhookPayload(secret, body, t + 301), body, now }),
    ).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    expect(verifyWebhookSignature({ secret, header: undefined, body, now })).toBe(false);
    expect(verifyWebhookSignature({ secret, header: 'garbage', body, now })).toBe(false);
    expect(verifyWebhookSignature({ secret, header: `t=${t},v1=abc`, body, now })).toBe(false);
  });
});
