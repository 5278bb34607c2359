import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { Registry } from 'prom-client';
import type {
  AuditEntry,
  MessageEnvelope,
  Page,
  StartOidcRequest,
  UserView,
  VerifiedApiToken,
} from '@scriptripper/contracts';
import { AuthRpc, auditRpc, ErrorCodes, SCOPES_BY_ROLE } from '@scriptripper/contracts';
import { RedisStreamsContext, RedisStreamsServer, StreamsExceptionFilter } from '@scriptripper/streams';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

/**
 * The test's stand-in for the auth service, over the real Redis Streams transport: it
 * publishes keys it generates through AuthRpc.jwks, signs access tokens with them, knows a
 * set of API tokens, answers the rest with fixed data, and records every envelope it got.
 */
export class AuthPeerState {
  readonly received: MessageEnvelope[] = [];
  readonly apiTokens = new Map<string, VerifiedApiToken>();
  readonly audit = new Map<string, AuditEntry[]>();
  keys: SigningKey[] = [];
  jwksCalls = 0;
  /** Sessions auth's records say ended: AuthRpc.checkCredential refuses them. */
  readonly endedSessions = new Set<string>();
  /** When set, AuthRpc.me answers after this many milliseconds. */
  meDelayMs = 0;

  async addKey(kid: string): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const key = {
      kid,
      privateKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    };
    this.keys.push(key);
    return key;
  }

  /** An access token as auth issues it; `claims` and `options` make it wrong on purpose. */
  async accessToken(
    claims: { sub: string; role: 'admin' | 'user'; scopes?: readonly string[] } & Record<string, unknown>,
    options: { key?: SigningKey; audience?: string; expiresIn?: string | number; issuer?: string } = {},
  ): Promise<string> {
    const key = options.key ?? this.keys[0];
    if (!key) throw new Error('AuthPeerState has no signing key yet');
    return new SignJWT({ scopes: SCOPES_BY_ROLE[claims.role], sid: 'session-1', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? 'scriptripper-auth')
      .setAudience(options.audience ?? 'scriptripper')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '15m')
      .sign(key.privateKey);
  }
}

export const AUTH_PEER_STATE = Symbol('AUTH_PEER_STATE');

const user = (id: string, role: 'admin' | 'user'): UserView => ({
  id,
  email: `${id}@example.test`,
  name: null,
  role,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
});

function refuse(code: string, message: string): never {
  throw new RpcException({ code, message, retryable: false });
}

@Controller()
class AuthPeerController {
  constructor(@Inject(AUTH_PEER_STATE) private readonly state: AuthPeerState) {}

  private record(context: RedisStreamsContext): MessageEnvelope {
    const envelope = context.getEnvelope();
    this.state.received.push(envelope);
    return envelope;
  }

  @MessagePattern(AuthRpc.jwks)
  jwks(@Ctx() context: RedisStreamsContext) {
    this.record(context);
    this.state.jwksCalls += 1;
    return { keys: this.state.keys.map((key) => key.publicJwk) };
  }

  @MessagePattern(AuthRpc.verifyApiToken)
  verifyApiToken(@Payload() data: { token: string }, @Ctx() context: RedisStreamsContext) {
    this.record(context);
    return this.state.apiTokens.get(data.token) ?? refuse(ErrorCodes.unauthorized, 'unknown API token');
  }

  /** The actor's claims as they are, unless its session ended. */
  @MessagePattern(AuthRpc.checkCredential)
  checkCredential(@Ctx() context: RedisStreamsContext) {
    const { actor } = this.record(context);
    const credential = actor.credential;
    if (!credential) refuse(ErrorCodes.unauthorized, "a person's credential is needed");
    if (credential.kind === 'session' && this.state.endedSessions.has(credential.session_id))
      refuse(ErrorCodes.unauthorized, 'the session has ended');
    return { user_id: actor.id, role: actor.role, scopes: actor.scopes };
  }

  @MessagePattern(AuthRpc.me)
  async me(@Ctx() context: RedisStreamsContext) {
    const { actor } = this.record(context);
    if (this.state.meDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.state.meDelayMs));
    return user(actor.id, actor.role === 'admin' ? 'admin' : 'user');
  }

  @MessagePattern(AuthRpc.requestMagicLink)
  requestMagicLink(@Ctx() context: RedisStreamsContext) {
    this.record(context);
    return { accepted: true };
  }

  @MessagePattern(AuthRpc.verifyMagicLink)
  verifyMagicLink(@Payload() data: { token: string }, @Ctx() context: RedisStreamsContext) {
    this.record(context);
    if (data.token !== 'good-link') refuse(ErrorCodes.unauthorized, 'magic link invalid or used');
    return {
      token_type: 'Bearer',
      access_token: 'access',
      expires_in: 900,
      refresh_token: 'refresh',
      user: user('u-1', 'user'),
    };
  }

  @MessagePattern(AuthRpc.startOidc)
  startOidc(@Payload() data: StartOidcRequest, @Ctx() context: RedisStreamsContext) {
    this.record(context);
    const url = new URL('https://idp.example.test/authorize');
    url.searchParams.set('redirect_uri', data.redirect_uri);
    return { authorization_url: url.toString() };
  }

  /** Fails the way a bug would, with internals in its message. */
  @MessagePattern(AuthRpc.purgeMe)
  purgeMe(@Ctx() context: RedisStreamsContext): never {
    this.record(context);
    throw new Error('relation "auth.user_keys" does not exist');
  }

  @MessagePattern(AuthRpc.listUsers)
  listUsers(@Ctx() context: RedisStreamsContext): Page<UserView> {
    this.record(context);
    return { items: [user('u-1', 'user'), user('u-2', 'admin')], next_cursor: null };
  }

  @MessagePattern(AuthRpc.revokeApiToken)
  revokeApiToken(@Payload() data: { id: string }, @Ctx() context: RedisStreamsContext) {
    this.record(context);
    for (const [token, verified] of this.state.apiTokens) {
      if (verified.token_id === data.id) this.state.apiTokens.delete(token);
    }
  }

  @MessagePattern(auditRpc('auth').verify)
  auditVerify(@Ctx() context: RedisStreamsContext) {
    this.record(context);
    return { ok: true, streams: 3, events: 12 };
  }

  @MessagePattern(auditRpc('auth').list)
  auditList(@Payload() query: { cursor?: string; limit: number }, @Ctx() context: RedisStreamsContext) {
    this.record(context);
    return pageOf(this.state.audit.get('auth') ?? [], query);
  }
}

/** A service's audit listing, paged by position (the cursor is the last position listed). */
export function pageOf(
  entries: readonly AuditEntry[],
  query: { cursor?: string; limit: number },
): Page<AuditEntry> {
  const after = query.cursor ? Number(query.cursor) : 0;
  const rest = entries.filter((entry) => entry.position > after);
  const items = rest.slice(0, query.limit);
  const last = items.at(-1);
  return { items, next_cursor: rest.length > items.length && last ? String(last.position) : null };
}

@Controller()
class JobsAuditPeerController {
  constructor(@Inject(AUTH_PEER_STATE) private readonly state: AuthPeerState) {}

  @MessagePattern(auditRpc('jobs').list)
  auditList(@Payload() query: { cursor?: string; limit: number }, @Ctx() context: RedisStreamsContext) {
    this.state.received.push(context.getEnvelope());
    return pageOf(this.state.audit.get('jobs') ?? [], query);
  }

  /** A tampered chain, as a service reports it. */
  @MessagePattern(auditRpc('jobs').verify)
  auditVerify(@Ctx() context: RedisStreamsContext) {
    this.state.received.push(context.getEnvelope());
    return {
      ok: false,
      firstBroken: {
        streamId: 'job-1',
        streamVersion: 2,
        globalPosition: 7,
        expectedHash: 'aa',
        actualHash: 'bb',
      },
    };
  }
}

export interface RunningPeers {
  readonly state: AuthPeerState;
  close(): Promise<void>;
}

/** Starts the auth stand-in (on `rpc:auth`) and a jobs stand-in answering only its audit (on `rpc:jobs`). */
export async function startAuthPeer(redisUrl: string, keyPrefix: string): Promise<RunningPeers> {
  const state = new AuthPeerState();
  await state.addKey('key-1');
  const apps = await Promise.all(
    [
      ['auth', AuthPeerController],
      ['jobs', JobsAuditPeerController],
    ].map(async ([service, controller]) => {
      @Module({
        controllers: [controller as never],
        providers: [{ provide: AUTH_PEER_STATE, useValue: state }],
      })
      class PeerModule {}
      const server = new RedisStreamsServer({
        redisUrl,
        keyPrefix,
        service: service as string,
        streams: [],
        blockMs: 200,
        metricsRegistry: new Registry(),
      });
      const app = await NestFactory.createMicroservice<MicroserviceOptions>(PeerModule, {
        strategy: server,
        logger: false,
      });
      app.useGlobalFilters(new StreamsExceptionFilter());
      await app.listen();
      return app;
    }),
  );
  return { state, close: async () => void (await Promise.all(apps.map((app) => app.close()))) };
}
