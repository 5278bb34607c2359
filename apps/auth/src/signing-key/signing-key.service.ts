import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  createLocalJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  SignJWT,
  type JWK,
  type KeyLike,
} from 'jose';
import { serviceActor, type JsonWebKeySet, type Scope, type UserRole } from '@scriptripper/contracts';
import { ConcurrencyConflictError, EventStore } from '@scriptripper/event-store';
import { open, seal } from '@scriptripper/privacy';
import { AuthSettings } from '../shared/auth-settings';
import { Clock } from '../shared/clock';
import {
  decideRotation,
  evolveSigningKeys,
  initialSigningKeysState,
  SIGNING_KEYS_STREAM,
  type SigningKeyRotated,
  type SigningKeysState,
} from './signing-key.aggregate';
import { SigningKey } from './signing-key.entity';

export const TOKEN_ISSUER = 'scriptripper-auth';
export const TOKEN_AUDIENCE = 'scriptripper';
const ALGORITHM = 'ES256';
const ROTATION_CHECK_MS = 3_600_000;

export interface AccessClaims {
  readonly sub: string;
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
  readonly sid: string;
}

/**
 * Access-token signing with rotating ES256 keys. The current key signs; retired keys stay in
 * the JWKS, and their tokens valid, for AUTH_KEY_GRACE_SECONDS after retirement. Private keys
 * are kept sealed with the key-encryption key, in the events and the read model alike.
 */
@Injectable()
export class SigningKeyService implements OnApplicationShutdown {
  private readonly privateKeys = new Map<string, KeyLike>();
  private rotationTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Rotates when the current key is older than AUTH_KEY_ROTATION_DAYS (or there is none), now and hourly. */
  async startRotationSchedule(): Promise<void> {
    await this.rotateIfDue();
    this.rotationTimer = setInterval(() => void this.rotateIfDue().catch(() => undefined), ROTATION_CHECK_MS);
    this.rotationTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.rotationTimer);
  }

  rotateIfDue(): Promise<string | null> {
    return this.rotate(this.settings.config.AUTH_KEY_ROTATION_DAYS * 86_400_000);
  }

  /** Makes a new key current and retires the previous one; answers the new key id. */
  async rotateSigningKey(): Promise<string> {
    const kid = await this.rotate(undefined);
    if (!kid) throw new Error('the signing key was not rotated');
    return kid;
  }

  async sign(claims: AccessClaims): Promise<{ token: string; expiresIn: number }> {
    const key = await this.currentKey();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const expiresIn = this.settings.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role: claims.role, scopes: [...claims.scopes], sid: claims.sid })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(await this.privateKey(key));
    return { token, expiresIn };
  }

  /** Current and retired-within-grace public keys: what verifiers may trust now. */
  async jwks(): Promise<JsonWebKeySet> {
    const keys = await this.publishedKeys();
    return { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.algorithm, use: 'sig' })) };
  }

  /** Verifies an access token as the gateway does, against the keys published now. */
  async verifyAccessToken(token: string): Promise<AccessClaims> {
    const keySet = createLocalJWKSet((await this.jwks()) as unknown as { keys: JWK[] });
    const { payload } = await jwtVerify(token, keySet, {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: [ALGORITHM],
      currentDate: this.clock.now(),
    });
    return payload as unknown as AccessClaims;
  }

  private async publishedKeys(): Promise<SigningKey[]> {
    const graceStart = new Date(
      this.clock.now().getTime() - this.settings.config.AUTH_KEY_GRACE_SECONDS * 1000,
    );
    return this.em
      .fork()
      .find(
        SigningKey,
        { $or: [{ retiredAt: null }, { retiredAt: { $gt: graceStart } }] },
        { orderBy: { createdAt: 'desc' } },
      );
  }

  private async currentKey(): Promise<SigningKey> {
    const key = await this.em
      .fork()
      .findOne(SigningKey, { retiredAt: null }, { orderBy: { createdAt: 'desc' } });
    if (key) return key;
    await this.rotateIfDue();
    return this.currentKey();
  }

  private async privateKey(key: SigningKey): Promise<KeyLike> {
    const cached = this.privateKeys.get(key.kid);
    if (cached) return cached;
    const pem = open(this.settings.keyEncryptionKey, Buffer.from(key.privateKey, 'base64'), key.kid).toString(
      'utf8',
    );
    const imported = await importPKCS8(pem, ALGORITHM);
    this.privateKeys.set(key.kid, imported);
    return imported;
  }

  /** Another instance rotating at the same moment wins the race; this one then has nothing to do. */
  private async rotate(ifOlderThanMs: number | undefined): Promise<string | null> {
    const { state, version } = await this.eventStore.aggregateStream<SigningKeysState>(
      SIGNING_KEYS_STREAM,
      (current, recorded) =>
        evolveSigningKeys(current, recorded as never as SigningKeyRotated, recorded.recordedAt.toISOString()),
      initialSigningKeysState,
    );
    const events = decideRotation(state, {
      key: await this.newKey(),
      now: this.clock.now().toISOString(),
      ...(ifOlderThanMs === undefined ? {} : { ifOlderThanMs }),
    });
    const [rotated] = events;
    if (!rotated) return null;
    try {
      await this.eventStore.append({
        streamId: SIGNING_KEYS_STREAM,
        streamType: 'signing-keys',
        expectedVersion: version === 0 ? 'no-stream' : version,
        events,
        context: {
          actor: serviceActor('auth'),
          correlationId: randomUUID(),
          causationId: null,
          traceparent: null,
        },
      });
    } catch (error) {
      if (error instanceof ConcurrencyConflictError && ifOlderThanMs !== undefined) return null;
      throw error;
    }
    return rotated.data.kid;
  }

  private async newKey(): Promise<Omit<SigningKeyRotated['data'], 'previous_kid'>> {
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const sealed = seal(
      this.settings.keyEncryptionKey,
      Buffer.from(await exportPKCS8(privateKey), 'utf8'),
      kid,
    );
    return {
      kid,
      algorithm: ALGORITHM,
      public_jwk: { ...(await exportJWK(publicKey)) },
      private_key: sealed.toString('base64'),
    };
  }
}
