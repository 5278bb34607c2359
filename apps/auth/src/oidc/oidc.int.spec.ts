import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { lastValueFrom } from 'rxjs';
import { loadConfig } from '@scriptripper/config';
import {
  AuthRpc,
  ErrorCodes,
  type CompleteOidcRequest,
  type StartOidcResponse,
  type TokenPair,
} from '@scriptripper/contracts';
import { schemaDriftSql, serviceOrmOptions } from '@scriptripper/event-store';
import { connectStreamsServer } from '@scriptripper/service-runtime';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  freePort,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { oidcEntities, oidcMigrations } from './index';
import { OidcConfig } from './oidc.config';
import { OidcModule } from './oidc.module';
import { startOpenIdProvider, type RunningOpenIdProvider } from './test-support/openid-provider.process';
import { signInAtProvider } from './test-support/provider-browser';
import { StandInSignIn } from './test-support/stand-in-sign-in';

const CLIENT_ID = 'scriptripper';
const REDIRECT_URI = 'http://127.0.0.1:8080/api/v1/auth/oidc/callback';
const PROVIDER = 'test-idp';

@Module({ providers: [StandInSignIn], exports: [StandInSignIn] })
class StandInSignInModule {}

describe('OpenID Connect sign-in against a real provider', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('auth-oidc');
  let database: TestDatabase;
  let provider: RunningOpenIdProvider;
  let app: INestApplication;
  let client: RedisStreamsClient;
  let driftAfterMigrations: string;

  const call = <T>(pattern: string, data: unknown, correlationId: string = randomUUID()) =>
    lastValueFrom(client.send<T>(pattern, withContext({ correlationId }, data)));
  const start = () =>
    call<StartOidcResponse>(AuthRpc.startOidc, { provider: PROVIDER, redirect_uri: REDIRECT_URI });
  const complete = (params: Record<string, string>, correlationId?: string) =>
    call<TokenPair>(
      AuthRpc.completeOidc,
      { provider: PROVIDER, redirect_uri: REDIRECT_URI, params } satisfies CompleteOidcRequest,
      correlationId,
    );
  /** Start, then sign in at the provider as `login`: the callback's parameters. */
  const callbackAs = async (login: string) => {
    const { authorization_url } = await start();
    return signInAtProvider(authorization_url, login, REDIRECT_URI);
  };
  const changeAttempt = (state: string, assignment: string) =>
    app
      .get(EntityManager)
      .getConnection()
      .execute(`update auth.oidc_attempts set ${assignment} where state_hash = ?`, [
        createHash('sha256').update(state).digest('base64url'),
      ]);
  const signedIn = () => app.get(StandInSignIn).signedIn;

  beforeAll(async () => {
    const clientSecret = randomBytes(24).toString('base64url');
    database = await createTestDatabase('auth_oidc');
    provider = await startOpenIdProvider({
      clientId: CLIENT_ID,
      clientSecret,
      redirectUri: REDIRECT_URI,
      accounts: {
        alice: { email: 'Alice@Example.com', email_verified: true, name: 'Alice Liddell' },
        mallory: { email: 'mallory@example.com', email_verified: false, name: 'Mallory' },
      },
    });

    const ormOptions = serviceOrmOptions({
      clientUrl: database.url,
      schema: 'auth',
      entities: oidcEntities,
      migrations: oidcMigrations,
    });
    const migrator = await MikroORM.init({
      ...ormOptions,
      migrations: { ...ormOptions.migrations, silent: true },
    });
    await migrator.em.getConnection().execute('create schema if not exists auth');
    await migrator.getMigrator().up();
    driftAfterMigrations = await schemaDriftSql(migrator);
    await migrator.close(true);

    const config = loadConfig(OidcConfig, {
      OIDC_PROVIDERS: JSON.stringify({
        [PROVIDER]: { issuer: provider.issuer, client_id: CLIENT_ID, client_secret: clientSecret },
        // Nothing listens there: discovery fails.
        offline: { issuer: `http://127.0.0.1:${await freePort()}`, client_id: 'x', client_secret: 'y' },
      }),
    });

    @Module({
      imports: [
        MikroOrmModule.forRoot(ormOptions),
        OidcModule.register({ config, imports: [StandInSignInModule], signIn: StandInSignIn }),
      ],
    })
    class OidcTestModule {}

    app = await NestFactory.create(OidcTestModule, new FastifyAdapter(), { logger: ['error'] });
    await connectStreamsServer(app, { redisUrl, keyPrefix, service: 'auth', streams: [], blockMs: 100 });
    await app.init();
    client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'oidc-test' });
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await provider?.stop();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('migrates exactly the table the OidcAttempt entity declares', () => {
    expect(driftAfterMigrations).toBe('');
  });

  it('sends the person to the provider with PKCE S256, a state, a nonce and the openid email profile scope', async () => {
    const { authorization_url } = await start();

    const url = new URL(authorization_url);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
  });

  it("signs the person in with the provider's verified email and answers the sign-in's token pair", async () => {
    const params = await callbackAs('alice');
    const correlationId = randomUUID();

    const tokens = await complete(params, correlationId);

    expect(tokens.access_token).toBe(`stand-in-access:${PROVIDER}:alice`);
    expect(tokens.user.email).toBe('alice@example.com');
    expect(signedIn().at(-1)).toMatchObject({
      identity: { email: 'alice@example.com', name: 'Alice Liddell', provider: PROVIDER, subject: 'alice' },
      context: { correlationId, actor: { role: 'anonymous' } },
    });
  });

  it('completes with the provider the attempt started with when the callback names none', async () => {
    const params = await callbackAs('alice');

    const tokens = await call<TokenPair>(AuthRpc.completeOidc, { redirect_uri: REDIRECT_URI, params });

    expect(tokens.access_token).toBe(`stand-in-access:${PROVIDER}:alice`);
  });

  it('refuses a callback that names another provider than the attempt started with', async () => {
    const params = await callbackAs('alice');

    await expect(
      call(AuthRpc.completeOidc, { provider: 'google', redirect_uri: REDIRECT_URI, params }),
    ).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
  });

  it('refuses a callback whose state it never issued', async () => {
    const params = await callbackAs('alice');
    const before = signedIn().length;

    await expect(complete({ ...params, state: 'forged-state-0123456789' })).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
    });
    await expect(complete({ code: params['code'] ?? '' })).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
    });
    expect(signedIn()).toHaveLength(before);
  });

  it('refuses a state played a second time', async () => {
    const params = await callbackAs('alice');
    await complete(params);
    const before = signedIn().length;

    await expect(complete(params)).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
      message: expect.stringContaining('unknown, used or expired'),
    });
    expect(signedIn()).toHaveLength(before);
  });

  it('refuses an ID token whose nonce is not the one the attempt stored', async () => {
    const params = await callbackAs('alice');
    await changeAttempt(params['state'] ?? '', `nonce = 'tampered-nonce'`);
    const before = signedIn().length;

    await expect(complete(params)).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
      message: expect.stringContaining('nonce mismatch'),
    });
    expect(signedIn()).toHaveLength(before);
  });

  it('refuses an attempt past its expiry', async () => {
    const params = await callbackAs('alice');
    await changeAttempt(params['state'] ?? '', `expires_at = now() - interval '1 second'`);

    await expect(complete(params)).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
  });

  it('refuses a callback to another redirect_uri than the attempt started with', async () => {
    const params = await callbackAs('alice');

    await expect(
      call(AuthRpc.completeOidc, { provider: PROVIDER, redirect_uri: 'https://evil.example/cb', params }),
    ).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
  });

  it('refuses an identity whose email the provider has not verified', async () => {
    const params = await callbackAs('mallory');
    const before = signedIn().length;

    await expect(complete(params)).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
      message: expect.stringContaining('verified email'),
    });
    expect(signedIn()).toHaveLength(before);
  });

  it('refuses the callback when the provider answered with an error instead of a code', async () => {
    const { authorization_url } = await start();
    const state = new URL(authorization_url).searchParams.get('state') ?? '';

    await expect(complete({ state, error: 'access_denied' })).rejects.toMatchObject({
      code: ErrorCodes.unauthorized,
      message: expect.stringContaining('access_denied'),
    });
  });

  it('answers a retryable UNAVAILABLE when the provider cannot be reached', async () => {
    await expect(
      call(AuthRpc.startOidc, { provider: 'offline', redirect_uri: REDIRECT_URI }),
    ).rejects.toMatchObject({ code: ErrorCodes.unavailable, retryable: true });
  });

  it('answers NOT_FOUND for a provider that is not configured', async () => {
    await expect(
      call(AuthRpc.startOidc, { provider: 'nowhere', redirect_uri: REDIRECT_URI }),
    ).rejects.toMatchObject({ code: ErrorCodes.notFound, message: expect.stringContaining('"nowhere"') });
  });

  it('answers VALIDATION_FAILED for a redirect_uri that is not an http(s) URL', async () => {
    await expect(
      call(AuthRpc.startOidc, { provider: PROVIDER, redirect_uri: 'javascript:alert(1)' }),
    ).rejects.toMatchObject({ code: ErrorCodes.validationFailed });
  });
});
