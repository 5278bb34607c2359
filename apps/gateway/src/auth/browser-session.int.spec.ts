import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type { CompleteOidcRequest, StartOidcRequest, TokenPair } from '@scriptripper/contracts';
import { AuthRpc, ErrorCodes } from '@scriptripper/contracts';
import { RedisStreamsContext, RedisStreamsServer, StreamsExceptionFilter } from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { AuthPeerState } from '../test-support/auth-peer.fixture';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const PUBLIC_BASE_URL = 'https://console.example.test';
const CONSOLE = { 'x-scriptripper-client': 'console', origin: PUBLIC_BASE_URL };

/**
 * The auth service's sessions as far as the gateway can tell: magic links, OIDC, refresh
 * tokens in families that rotate (reusing a used one revokes its family) and sign-out.
 */
class SessionsWorld {
  readonly keys = new AuthPeerState();
  readonly links = new Set<string>();
  /** Refresh token -> its family and whether it was used. */
  readonly refreshTokens = new Map<string, { family: string; used: boolean }>();
  readonly revokedFamilies = new Set<string>();
  readonly oidcStates = new Set<string>();
  readonly calls: string[] = [];

  async issue(family: string = randomUUID()): Promise<TokenPair> {
    const refresh = `refresh-${randomUUID()}`;
    this.refreshTokens.set(refresh, { family, used: false });
    return {
      token_type: 'Bearer',
      access_token: await this.keys.accessToken({ sub: 'user-1', role: 'user' }),
      expires_in: 900,
      refresh_token: refresh,
      user: {
        id: 'user-1',
        email: 'ada@example.test',
        name: null,
        role: 'user',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      },
    };
  }

  familyOf(refreshToken: string): string | undefined {
    return this.refreshTokens.get(refreshToken)?.family;
  }
}

const WORLD = Symbol('WORLD');

function refuse(message: string): never {
  throw new RpcException({ code: ErrorCodes.unauthorized, message, retryable: false });
}

@Controller()
class SessionsStandIn {
  constructor(@Inject(WORLD) private readonly world: SessionsWorld) {}

  @MessagePattern(AuthRpc.jwks)
  jwks() {
    return { keys: this.world.keys.keys.map((key) => key.publicJwk) };
  }

  @MessagePattern(AuthRpc.verifyMagicLink)
  verifyMagicLink(@Payload() data: { token: string }) {
    this.world.calls.push(`verifyMagicLink ${data.token}`);
    if (!this.world.links.delete(data.token)) refuse('the sign-in link is invalid, used or expired');
    return this.world.issue();
  }

  @MessagePattern(AuthRpc.refresh)
  refresh(@Payload() data: { refresh_token: string }) {
    this.world.calls.push(`refresh ${data.refresh_token}`);
    const known = this.world.refreshTokens.get(data.refresh_token);
    if (!known || this.world.revokedFamilies.has(known.family)) refuse('the session is over; sign in again');
    if (known.used) {
      this.world.revokedFamilies.add(known.family);
      refuse('this refresh token was already used; the session is revoked');
    }
    known.used = true;
    return this.world.issue(known.family);
  }

  /** Signing out needs a live session: the stand-in vouches for the actor as it is. */
  @MessagePattern(AuthRpc.checkCredential)
  checkCredential(@Ctx() context: RedisStreamsContext) {
    const { actor } = context.getEnvelope();
    return { user_id: actor.id, role: actor.role, scopes: actor.scopes };
  }

  @MessagePattern(AuthRpc.signOut)
  signOut(@Payload() data: { refresh_token: string }) {
    this.world.calls.push(`signOut ${data.refresh_token}`);
    const family = this.world.familyOf(data.refresh_token);
    if (family) this.world.revokedFamilies.add(family);
    return { signed_out: true };
  }

  @MessagePattern(AuthRpc.startOidc)
  startOidc(@Payload() data: StartOidcRequest) {
    const state = `state-${randomUUID()}`;
    this.world.oidcStates.add(state);
    const url = new URL('https://idp.example.test/authorize');
    url.searchParams.set('redirect_uri', data.redirect_uri);
    url.searchParams.set('state', state);
    return { authorization_url: url.toString() };
  }

  @MessagePattern(AuthRpc.completeOidc)
  completeOidc(@Payload() data: CompleteOidcRequest, @Ctx() context: RedisStreamsContext) {
    this.world.calls.push(`completeOidc ${context.getEnvelope().actor.id}`);
    const state = data.params['state'] ?? '';
    if (!this.world.oidcStates.delete(state) || data.params['code'] !== 'good-code') {
      refuse('This sign-in attempt is unknown, used or expired; start again');
    }
    return this.world.issue();
  }
}

/** One Set-Cookie of a response, by name, with its attributes. */
function cookieOf(response: Response, name: string): { value: string; attributes: string[] } | undefined {
  const line = response.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  return { value: decodeURIComponent(pair.slice(name.length + 1)), attributes };
}

describe('browser sessions of the web console', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('browser-session');
  const world = new SessionsWorld();
  let standIn: INestMicroservice;
  let gateway: RunningGateway;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'browser-session-'));
    await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>ScriptRipper</title>');
    await world.keys.addKey('key-1');
    @Module({ controllers: [SessionsStandIn], providers: [{ provide: WORLD, useValue: world }] })
    class StandInModule {}
    standIn = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
      strategy: new RedisStreamsServer({
        redisUrl,
        keyPrefix,
        service: 'auth',
        streams: [],
        blockMs: 200,
        metricsRegistry: new Registry(),
      }),
      logger: false,
    });
    standIn.useGlobalFilters(new StreamsExceptionFilter());
    await standIn.listen();
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      PUBLIC_BASE_URL,
      CONSOLE_DIR: consoleDir,
      CORS_ORIGINS: 'http://localhost:5173',
      RATE_LIMIT_SIGN_IN: '1000',
      RATE_LIMIT_PUBLIC: '1000',
      // The test's requests come from loopback, which may say it forwarded https.
      TRUST_PROXY: 'loopback',
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await standIn?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await rm(consoleDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      redirect: 'manual',
    });

  async function expectError(response: Response, status: number, code: string): Promise<string> {
    const body = (await response.json()) as { error: { code: string; message: string; retryable: boolean } };
    expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'retryable']);
    return body.error.message;
  }

  /** Signs in as the console does: POSTs a fresh link's token with the console's header. */
  async function consoleSignIn(): Promise<{ cookie: string; accessToken: string }> {
    const link = `link-${randomUUID()}`;
    world.links.add(link);
    const response = await post('/api/v1/auth/magic-link/verify', { token: link }, CONSOLE);
    expect(response.status).toBe(200);
    const cookie = cookieOf(response, 'sr_refresh');
    const body = (await response.json()) as { access_token: string };
    if (!cookie) throw new Error('no session cookie');
    return { cookie: cookie.value, accessToken: body.access_token };
  }

  describe('signing in with a magic link from the console', () => {
    it("opens the mailed link's console page without using the token up (a mail scanner's GET)", async () => {
      world.links.add('link-scanned');

      const response = await fetch(`${gateway.url}/sign-in/verify?token=link-scanned`, {
        headers: { accept: 'text/html' },
      });

      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>ScriptRipper</title>');
      expect(world.links.has('link-scanned')).toBe(true);
      expect(world.calls).not.toContain('verifyMagicLink link-scanned');
    });

    it('sets the refresh token as an httpOnly, SameSite=Strict cookie on the auth path, and not in the body', async () => {
      world.links.add('link-1');

      const response = await post('/api/v1/auth/magic-link/verify', { token: 'link-1' }, CONSOLE);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: 'user-1' } });
      expect(typeof body['access_token']).toBe('string');
      expect(body).not.toHaveProperty('refresh_token');
      const cookie = cookieOf(response, 'sr_refresh');
      expect(cookie?.value).toMatch(/^refresh-/);
      expect(world.refreshTokens.has(cookie?.value ?? '')).toBe(true);
      expect(cookie?.attributes).toEqual(
        expect.arrayContaining([
          'HttpOnly',
          'SameSite=Strict',
          'Path=/api/v1/auth',
          `Max-Age=${30 * 86_400}`,
        ]),
      );
      // Reached over plain http here; Secure comes with https (see below).
      expect(cookie?.attributes).not.toContain('Secure');
    });

    it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
      world.links.add('link-https');

      const response = await post(
        '/api/v1/auth/magic-link/verify',
        { token: 'link-https' },
        { ...CONSOLE, 'x-forwarded-proto': 'https' },
      );

      expect(response.status).toBe(200);
      expect(cookieOf(response, 'sr_refresh')?.attributes).toContain('Secure');
    });

    it('accepts the console on an allowed CORS origin and on the host the browser addressed', async () => {
      for (const origin of ['http://localhost:5173', gateway.url]) {
        world.links.add(`link-${origin}`);
        const response = await post(
          '/api/v1/auth/magic-link/verify',
          { token: `link-${origin}` },
          { ...CONSOLE, origin },
        );
        expect({ origin, status: response.status }).toEqual({ origin, status: 200 });
      }
    });

    it('refuses the console header from another origin, or with none, without spending the link', async () => {
      world.links.add('link-csrf');

      for (const headers of [
        { ...CONSOLE, origin: 'https://evil.example.test' },
        { 'x-scriptripper-client': 'console' },
      ]) {
        const response = await post('/api/v1/auth/magic-link/verify', { token: 'link-csrf' }, headers);
        await expectError(response, 403, 'FORBIDDEN');
        expect(response.headers.getSetCookie()).toEqual([]);
      }
      expect(world.links.has('link-csrf')).toBe(true);
    });

    it('answers API clients both tokens in the body, no cookie, and no-store', async () => {
      world.links.add('link-api');

      const response = await post('/api/v1/auth/magic-link/verify', { token: 'link-api' });

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.json()).toMatchObject({ refresh_token: expect.stringMatching(/^refresh-/) });
    });

    it('marks the link verification by GET no-store too', async () => {
      world.links.add('link-get');

      const response = await fetch(`${gateway.url}/api/v1/auth/magic-link/verify?token=link-get`);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('refreshing through the cookie', () => {
    it('rotates: the new refresh token replaces the cookie, the body holds only the access token', async () => {
      const { cookie } = await consoleSignIn();

      const response = await post('/api/v1/auth/refresh', {}, { ...CONSOLE, cookie: `sr_refresh=${cookie}` });

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(typeof body['access_token']).toBe('string');
      expect(body).not.toHaveProperty('refresh_token');
      const rotated = cookieOf(response, 'sr_refresh');
      expect(rotated?.value).toMatch(/^refresh-/);
      expect(rotated?.value).not.toBe(cookie);
      expect(rotated?.attributes).toEqual(
        expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']),
      );
      expect(world.calls).toContain(`refresh ${cookie}`);
      expect(world.familyOf(rotated?.value ?? '')).toBe(world.familyOf(cookie));

      // The rotated cookie works once more; the old one, replayed, revokes the family and is cleared.
      const next = await post(
        '/api/v1/auth/refresh',
        {},
        { ...CONSOLE, cookie: `sr_refresh=${rotated?.value}` },
      );
      expect(next.status).toBe(200);
      const replayed = await post('/api/v1/auth/refresh', {}, { ...CONSOLE, cookie: `sr_refresh=${cookie}` });
      await expectError(replayed, 401, 'UNAUTHORIZED');
      const cleared = cookieOf(replayed, 'sr_refresh');
      expect(cleared?.value).toBe('');
      expect(cleared?.attributes).toEqual(expect.arrayContaining(['Path=/api/v1/auth']));
      expect(world.revokedFamilies.has(world.familyOf(cookie) ?? '')).toBe(true);
    });

    it('refuses a cookie without the console header with 403, and does not use it', async () => {
      const { cookie } = await consoleSignIn();

      const response = await post(
        '/api/v1/auth/refresh',
        {},
        { cookie: `sr_refresh=${cookie}`, origin: PUBLIC_BASE_URL },
      );

      const message = await expectError(response, 403, 'FORBIDDEN');
      expect(message).toMatch(/web console/);
      expect(world.calls).not.toContain(`refresh ${cookie}`);
    });

    it('refuses a cookie with the header from a foreign origin with 403 (CSRF)', async () => {
      const { cookie } = await consoleSignIn();

      const response = await post(
        '/api/v1/auth/refresh',
        {},
        { ...CONSOLE, origin: 'https://evil.example.test', cookie: `sr_refresh=${cookie}` },
      );

      await expectError(response, 403, 'FORBIDDEN');
      expect(world.calls).not.toContain(`refresh ${cookie}`);
    });

    it('answers the console 401 when its browser has no session', async () => {
      await expectError(await post('/api/v1/auth/refresh', {}, CONSOLE), 401, 'UNAUTHORIZED');
    });

    it('keeps the body-based refresh of API clients unchanged', async () => {
      const pair = await world.issue();

      const response = await post('/api/v1/auth/refresh', { refresh_token: pair.refresh_token });

      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.json()).toMatchObject({ refresh_token: expect.stringMatching(/^refresh-/) });
      await expectError(await post('/api/v1/auth/refresh', {}), 400, 'VALIDATION_FAILED');
    });
  });

  describe('signing out', () => {
    it("revokes the cookie's family and clears the cookie", async () => {
      const { cookie, accessToken } = await consoleSignIn();

      const response = await post(
        '/api/v1/auth/sign-out',
        {},
        { ...CONSOLE, cookie: `sr_refresh=${cookie}`, authorization: `Bearer ${accessToken}` },
      );

      expect(response.status).toBe(204);
      const cleared = cookieOf(response, 'sr_refresh');
      expect(cleared?.value).toBe('');
      expect(cleared?.attributes).toEqual(
        expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']),
      );
      expect(cleared?.attributes.some((attribute) => /^Expires=Thu, 01 Jan 1970/.test(attribute))).toBe(true);
      expect(world.revokedFamilies.has(world.familyOf(cookie) ?? '')).toBe(true);
      const after = await post('/api/v1/auth/refresh', {}, { ...CONSOLE, cookie: `sr_refresh=${cookie}` });
      await expectError(after, 401, 'UNAUTHORIZED');
    });

    it('refuses a cookie sign-out from a foreign origin', async () => {
      const { cookie, accessToken } = await consoleSignIn();

      const response = await post(
        '/api/v1/auth/sign-out',
        {},
        {
          ...CONSOLE,
          origin: 'https://evil.example.test',
          cookie: `sr_refresh=${cookie}`,
          authorization: `Bearer ${accessToken}`,
        },
      );

      await expectError(response, 403, 'FORBIDDEN');
      expect(world.revokedFamilies.has(world.familyOf(cookie) ?? '')).toBe(false);
    });

    it('keeps the body-based sign-out of API clients', async () => {
      const pair = await world.issue();

      const response = await post(
        '/api/v1/auth/sign-out',
        { refresh_token: pair.refresh_token },
        { authorization: `Bearer ${pair.access_token}` },
      );

      expect(response.status).toBe(204);
      expect(world.revokedFamilies.has(world.familyOf(pair.refresh_token) ?? '')).toBe(true);
    });
  });

  describe('OpenID Connect started from the console', () => {
    async function startFromConsole(returnTo: string): Promise<{ state: string; cookie: string }> {
      const query = new URLSearchParams({ client: 'console', return_to: returnTo });
      const response = await fetch(`${gateway.url}/api/v1/auth/oidc/google/start?${query.toString()}`, {
        redirect: 'manual',
      });
      expect(response.status).toBe(302);
      const state = new URL(response.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const cookie = cookieOf(response, 'sr_oidc');
      expect(cookie?.attributes).toEqual(
        expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/api/v1/auth/oidc', 'Max-Age=600']),
      );
      return { state, cookie: cookie?.value ?? '' };
    }

    const callback = (query: Record<string, string>, cookie?: string) =>
      fetch(`${gateway.url}/api/v1/auth/oidc/google/callback?${new URLSearchParams(query).toString()}`, {
        redirect: 'manual',
        headers: cookie ? { cookie: `sr_oidc=${cookie}` } : {},
      });

    it('sets the session cookie and returns to the console page the person came from', async () => {
      const { state, cookie } = await startFromConsole('/jobs/6f1c2f0e?tab=tasks');

      const response = await callback({ code: 'good-code', state }, cookie);

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/jobs/6f1c2f0e?tab=tasks');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const session = cookieOf(response, 'sr_refresh');
      expect(world.refreshTokens.has(session?.value ?? '')).toBe(true);
      expect(session?.attributes).toEqual(
        expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']),
      );
      expect(cookieOf(response, 'sr_oidc')?.value).toBe('');
    });

    it('never redirects off the console: other origins and API paths return to /', async () => {
      for (const returnTo of [
        '//evil.example.test/x',
        '/\\evil.example.test',
        'https://evil.example.test',
        '/api/v1/me',
      ]) {
        const { state, cookie } = await startFromConsole(returnTo);
        const response = await callback({ code: 'good-code', state }, cookie);
        expect({ returnTo, location: response.headers.get('location') }).toEqual({ returnTo, location: '/' });
      }
    });

    it('sends the person back to sign-in with the reason when the provider refused', async () => {
      const { state, cookie } = await startFromConsole('/batches');

      const response = await callback({ code: 'bad-code', state }, cookie);

      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location') ?? '', 'https://x.test');
      expect(location.pathname).toBe('/sign-in');
      expect(location.searchParams.get('error')).toMatch(/start again/);
      expect(location.searchParams.get('return_to')).toBe('/batches');
      expect(cookieOf(response, 'sr_refresh')).toBeUndefined();
    });

    it('answers JSON (no cookie, no redirect) to a callback this browser did not start from the console', async () => {
      const start = await fetch(`${gateway.url}/api/v1/auth/oidc/google/start`, { redirect: 'manual' });
      expect(start.headers.getSetCookie()).toEqual([]);
      const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const planted = await startFromConsole('/');

      // Another attempt's console cookie does not make this callback the console's.
      const response = await callback({ code: 'good-code', state }, planted.cookie);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(cookieOf(response, 'sr_refresh')).toBeUndefined();
      expect(await response.json()).toMatchObject({ refresh_token: expect.stringMatching(/^refresh-/) });
    });
  });
});
