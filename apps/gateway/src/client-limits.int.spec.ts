import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startAuthPeer, type RunningPeers } from './test-support/auth-peer.fixture';
import { startGateway, type RunningGateway } from './test-support/gateway-test-app';

/**
 * Per-IP limits need the client's address: behind a proxy only if TRUST_PROXY says so.
 * Failed authentications are limited per IP and per token fingerprint; a valid credential is
 * never refused for other clients' failures (one client behind a NAT must not lock out the office).
 */
describe('the gateway limiting clients by address', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('gateway-clients');
  const limits = { RATE_LIMIT_PUBLIC: '3', RATE_LIMIT_AUTH_FAILURES: '2' };
  let peers: RunningPeers;
  let direct: RunningGateway;
  let proxied: RunningGateway;

  beforeAll(async () => {
    peers = await startAuthPeer(redisUrl, keyPrefix);
    // The same counters; only the second believes X-Forwarded-For from its (loopback) peer.
    direct = await startGateway({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, ...limits });
    proxied = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      TRUST_PROXY: '127.0.0.1',
      ...limits,
    });
    peers.state.apiTokens.set('srt_known', {
      token_id: 't-1',
      user_id: 'user-1',
      role: 'user',
      scopes: ['jobs:read'],
    });
  });

  afterAll(async () => {
    await direct?.app.close();
    await proxied?.app.close();
    await peers?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  /** A public route that answers 400 without calling a service: only the limit is exercised. */
  const publicRequest = (gateway: RunningGateway, forwardedFor: string) =>
    fetch(`${gateway.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: '{}',
    });
  const me = (gateway: RunningGateway, forwardedFor: string, token: string, requestId?: string) =>
    fetch(`${gateway.url}/api/v1/me`, {
      headers: {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': forwardedFor,
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
    });
  const statusesOf = async (responses: Promise<Response>[]) =>
    (await Promise.all(responses)).map((r) => r.status);

  it('ignores X-Forwarded-For without TRUST_PROXY: every client behind it is one address', async () => {
    const statuses: number[] = [];
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      statuses.push((await publicRequest(direct, client)).status);
    }

    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  it('counts each forwarded client address on its own when the proxy is trusted', async () => {
    const first = await statusesOf([1, 2, 3, 4].map(() => publicRequest(proxied, '203.0.113.10')));
    const second = await publicRequest(proxied, '203.0.113.11');

    expect(first.sort()).toEqual([400, 400, 400, 429]);
    expect(second.status).toBe(400);
  });

  it('refuses bad tokens from an address that failed too often with 429, but never a good token there', async () => {
    const guesses = [
      await me(proxied, '203.0.113.20', 'srt_guess-1'),
      await me(proxied, '203.0.113.20', 'not-a-jwt'),
    ];
    expect(guesses.map((response) => response.status)).toEqual([401, 401]);

    const refused = await me(proxied, '203.0.113.20', 'srt_guess-2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many requests/), retryable: true },
    });

    const good = await me(proxied, '203.0.113.20', 'srt_known', 'req-after-guesses');
    expect(good.status).toBe(200);
  });

  it('refuses a token that failed too often before looking at it again, from any address', async () => {
    const statuses: number[] = [];
    for (const client of ['203.0.113.30', '203.0.113.31', '203.0.113.32']) {
      statuses.push((await me(proxied, client, 'srt_stolen-and-revoked', `req-${client}`)).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect(peers.state.received.some((envelope) => envelope.correlationId === 'req-203.0.113.32')).toBe(
      false,
    );
  });

  it('still authenticates other addresses, and never counts successful ones', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 4; request += 1) {
      statuses.push((await me(proxied, '203.0.113.21', 'srt_known')).status);
    }

    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('answers without a session cookie', async () => {
    const response = await me(proxied, '203.0.113.22', 'srt_known');

    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});
