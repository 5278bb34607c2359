import Redis from 'ioredis';
import { decodeJwt } from 'jose';
import {
  credentialMarkerKeys,
  ErrorCodes,
  type CreatedApiToken,
  type Page,
  type TokenPair,
  type UserView,
} from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { decodeQuotedPrintable, mailsTo } from './test-support/mailbox';

interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

interface RequestOptions {
  readonly method?: string;
  readonly token?: string;
  readonly body?: unknown;
  /** The client's address, as the (trusted, loopback) proxy in front of the gateway says. */
  readonly ip: string;
}

const ADMIN_EMAIL = 'admin@authority-e2e.test';
const AUTH_FAILURE_LIMIT = 5;

/**
 * How far and how long a grant reaches (issue 10's findings), tried as an attacker with one
 * leaked credential would: the real auth, profiles, jobs, artifacts and gateway processes from
 * dist/, every step through the gateway's HTTP API. Each test acts from its own client address.
 */
describe('authority through the gateway', () => {
  let stack: IdentityStack;
  let clientNumber = 0;
  const mailsSeen = new Map<string, number>();
  const newClientIp = () => `198.51.100.${++clientNumber}`;

  async function api<T = unknown>(path: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': options.ip };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack.gatewayUrl}/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  /** The token of the newest sign-in mail to `email`, whatever page its link opens. */
  async function signInToken(email: string): Promise<string> {
    const count = (mailsSeen.get(email) ?? 0) + 1;
    mailsSeen.set(email, count);
    const mail = await pollUntil(`mail number ${count} to ${email}`, async () => {
      const mails = await mailsTo(stack.mailFolder, email);
      return mails.length >= count ? mails[count - 1] : undefined;
    });
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(decodeQuotedPrintable(mail))?.[1];
    if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
    return token;
  }

  async function signIn(email: string, ip: string): Promise<Answer<TokenPair>> {
    expect((await api('/auth/magic-link', { method: 'POST', body: { email }, ip })).status).toBe(202);
    const token = await signInToken(email);
    const verified = await api<TokenPair>('/auth/magic-link/verify', { method: 'POST', body: { token }, ip });
    expect(verified.status).toBe(200);
    return verified;
  }

  const createToken = (token: string, ip: string, body: Record<string, unknown>) =>
    api<CreatedApiToken>('/tokens', { method: 'POST', token, body, ip });

  /** Polls until the request answers `status`: a change is refused "within seconds", not at once. */
  const eventually = (what: string, status: number, request: () => Promise<Answer>) =>
    pollUntil(what, async () => {
      const answer = await request();
      return answer.status === status ? answer : undefined;
    });

  beforeAll(async () => {
    stack = await startIdentityStack('authority_e2e', {
      adminEmail: ADMIN_EMAIL,
      gateway: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_AUTH_FAILURES: String(AUTH_FAILURE_LIMIT) },
      // As in production: webhooks may reach public addresses only.
      jobs: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('refuses a jobs:read token every account-level power: deleting the account, minting and revoking tokens', async () => {
    const ip = newClientIp();
    const session = (await signIn('reader@authority-e2e.test', ip)).body;
    const reader = await createToken(session.access_token, ip, { name: 'reader', scopes: ['jobs:read'] });
    expect(reader.status).toBe(201);
    const token = reader.body.token;

    expect((await api('/jobs', { token, ip })).status).toBe(200);
    for (const [method, path, body] of [
      ['DELETE', '/me', undefined],
      ['GET', '/me/export', undefined],
      ['POST', '/tokens', { name: 'child', scopes: ['jobs:read'] }],
      ['GET', '/tokens', undefined],
      ['DELETE', `/tokens/${reader.body.id}`, undefined],
    ] as const) {
      const refused = await api(path, { method, token, body, ip });
      expect({ method, path, status: refused.status }).toEqual({ method, path, status: 403 });
      expect(refused.body).toMatchObject({ error: { code: ErrorCodes.forbidden } });
    }
    // Nothing happened: the account and the token are still there.
    expect((await api<UserView>('/me', { token: session.access_token, ip })).status).toBe(200);
    expect((await api('/jobs', { token, ip })).status).toBe(200);
  });

  it('caps a token minted by a token at its parent, and refuses the child once the parent is revoked', async () => {
    const ip = newClientIp();
    const session = (await signIn('minter@authority-e2e.test', ip)).body;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const parent = await createToken(session.access_token, ip, {
      name: 'parent',
      scopes: ['jobs:read', 'account:admin'],
      expires_at: inAnHour,
    });
    expect(parent.status).toBe(201);

    const child = await createToken(parent.body.token, ip, { name: 'forever', scopes: ['jobs:read'] });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parent_token_id: parent.body.id, expires_at: parent.body.expires_at });
    const wider = await createToken(parent.body.token, ip, { name: 'wider', scopes: ['jobs:write'] });
    expect(wider.status).toBe(403);
    expect((await api('/jobs', { token: child.body.token, ip })).status).toBe(200);

    const revoked = await api(`/tokens/${parent.body.id}`, {
      method: 'DELETE',
      token: session.access_token,
      ip,
    });
    expect(revoked.status).toBe(204);
    await eventually('the revoked parent refused', 401, () => api('/jobs', { token: parent.body.token, ip }));
    const refused = await eventually('the child of the revoked parent refused', 401, () =>
      api('/jobs', { token: child.body.token, ip }),
    );
    expect(refused.body).toMatchObject({ error: { code: ErrorCodes.unauthorized } });
    const listed = await api<Page<CreatedApiToken>>('/tokens', { token: session.access_token, ip });
    expect(listed.body.items.find((token) => token.id === child.body.id)?.revoked_at).not.toBeNull();
  });

  it("refuses a demoted admin's earlier access token on admin routes within seconds", async () => {
    const ip = newClientIp();
    const admin = (await signIn(ADMIN_EMAIL, ip)).body;
    const deputy = (await signIn('deputy@authority-e2e.test', ip)).body;
    const promoted = await api(`/admin/users/${deputy.user.id}/role`, {
      method: 'PATCH',
      token: admin.access_token,
      body: { role: 'admin' },
      ip,
    });
    expect(promoted.status).toBe(200);
    const asAdmin = (await signIn('deputy@authority-e2e.test', ip)).body;
    expect((await api('/admin/users', { token: asAdmin.access_token, ip })).status).toBe(200);
    expect((await api('/audit', { token: asAdmin.access_token, ip })).status).toBe(200);

    const demoted = await api(`/admin/users/${deputy.user.id}/role`, {
      method: 'PATCH',
      token: admin.access_token,
      body: { role: 'user' },
      ip,
    });
    expect(demoted.status).toBe(200);

    // The access token still says admin for up to 15 minutes; the gateway asks auth's records.
    await eventually('the demoted admin refused on /admin/users', 401, () =>
      api('/admin/users', { token: asAdmin.access_token, ip }),
    );
    expect((await api('/audit', { token: asAdmin.access_token, ip })).status).toBe(401);
    const selfPromotion = await api(`/admin/users/${deputy.user.id}/role`, {
      method: 'PATCH',
      token: asAdmin.access_token,
      body: { role: 'admin' },
      ip,
    });
    expect(selfPromotion.status).toBe(401);
    // And on ordinary routes too, through auth's Redis marker of the role change.
    await eventually('the demoted token refused on /jobs', 401, () =>
      api('/jobs', { token: asAdmin.access_token, ip }),
    );
    const users = await api<Page<UserView>>('/admin/users?limit=100', { token: admin.access_token, ip });
    expect(users.body.items.find((user) => user.id === deputy.user.id)?.role).toBe('user');
  });

  it('refuses the access token of a signed-out session, also when Redis lost the markers', async () => {
    const ip = newClientIp();
    const session = (await signIn('leaver@authority-e2e.test', ip)).body;
    expect((await api('/jobs', { token: session.access_token, ip })).status).toBe(200);

    const signedOut = await api('/auth/sign-out', {
      method: 'POST',
      token: session.access_token,
      body: { refresh_token: session.refresh_token },
      ip,
    });
    expect(signedOut.status).toBe(204);
    await eventually('the signed-out session refused', 401, () =>
      api('/jobs', { token: session.access_token, ip }),
    );

    // Redis loses the markers: the gateway must ask auth (Postgres), not let the token through.
    const redis = new Redis(stack.redisUrl);
    try {
      const keys = credentialMarkerKeys(stack.keyPrefix);
      const sessionId = String(decodeJwt(session.access_token)['sid']);
      await redis.del(keys.epoch, keys.endedSession(sessionId));
      const afterLoss = await api('/jobs', { token: session.access_token, ip });
      expect(afterLoss.status).toBe(401);
    } finally {
      redis.disconnect();
    }
  });

  it('answers every response carrying a secret with Cache-Control: no-store', async () => {
    const ip = newClientIp();
    const email = 'secrets@authority-e2e.test';
    expect((await api('/auth/magic-link', { method: 'POST', body: { email }, ip })).status).toBe(202);
    const token = await signInToken(email);
    const verified = await api<TokenPair>('/auth/magic-link/verify', { method: 'POST', body: { token }, ip });
    const refreshed = await api<TokenPair>('/auth/refresh', {
      method: 'POST',
      body: { refresh_token: verified.body.refresh_token },
      ip,
    });
    const apiToken = await createToken(refreshed.body.access_token, ip, {
      name: 'secret',
      scopes: ['jobs:read'],
    });
    const webhook = await api('/webhooks', {
      method: 'POST',
      token: refreshed.body.access_token,
      body: { url: 'https://8.8.8.8/hook', events: ['job.completed'] },
      ip,
    });
    for (const [what, answer] of [
      ['magic-link verify', verified],
      ['refresh', refreshed],
      ['API token', apiToken],
      ['webhook secret', webhook],
    ] as const) {
      expect({ what, succeeded: answer.status >= 200 && answer.status < 300 }).toEqual({
        what,
        succeeded: true,
      });
      expect({ what, cacheControl: answer.headers.get('cache-control') }).toEqual({
        what,
        cacheControl: 'no-store',
      });
    }
  });

  it('refuses webhook addresses that reach private networks in any IPv6 form', async () => {
    const ip = newClientIp();
    const session = (await signIn('hooks@authority-e2e.test', ip)).body;
    for (const host of [
      '[::7f00:1]',
      '[::a9fe:a9fe]',
      '[2002:7f00:1::]',
      '[64:ff9b:1::1]',
      '[fec0::1]',
      '[::ffff:7f00:1]',
    ]) {
      const refused = await api('/webhooks', {
        method: 'POST',
        token: session.access_token,
        body: { url: `http://${host}/hook`, events: ['job.completed'] },
        ip,
      });
      expect({ host, status: refused.status }).toEqual({ host, status: 400 });
    }
  });

  it('serves no metrics on the public port, only on the metrics port', async () => {
    const publicPort = await fetch(`${stack.gatewayUrl}/metrics`);
    expect(publicPort.status).toBe(404);
    expect(await publicPort.text()).not.toContain('process_resident_memory_bytes');
    const metrics = await fetch(stack.metricsUrl('gateway'));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('service="gateway"');
  });

  it('never locks a good token out of an address flooded with bad ones', async () => {
    const ip = newClientIp();
    const session = (await signIn('office@authority-e2e.test', ip)).body;
    const statuses: number[] = [];
    for (let guess = 0; guess < AUTH_FAILURE_LIMIT + 3; guess += 1) {
      statuses.push((await api('/jobs', { token: `srt_guess-${guess}`, ip })).status);
    }
    expect(statuses.slice(0, AUTH_FAILURE_LIMIT)).toEqual(new Array(AUTH_FAILURE_LIMIT).fill(401));
    expect(statuses.slice(AUTH_FAILURE_LIMIT)).toEqual([429, 429, 429]);

    expect((await api('/jobs', { token: session.access_token, ip })).status).toBe(200);
  });
});
