import {
  createLocalJWKSet,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWTHeaderParameters,
  type KeyLike,
} from 'jose';
import type { JsonWebKeySet } from '@scriptripper/contracts';
import { AuthRpc, serviceActor } from '@scriptripper/contracts';
import type { ServiceCaller } from '../http/service-caller';
import { ApiError } from '../http/api-error';

export interface JwksCacheOptions {
  /** A token with an unknown `kid` refetches at most once per this interval. */
  readonly refetchMinIntervalMs: number;
  /** After this long the set is refetched anyway, so retired keys drop out. */
  readonly maxAgeMs: number;
}

interface LoadedKeys {
  readonly kids: ReadonlySet<string>;
  readonly resolve: ReturnType<typeof createLocalJWKSet>;
  readonly fetchedAt: number;
}

/**
 * The auth service's signing keys (AuthRpc.jwks), cached. A token naming an unknown key id
 * refetches the set (keys rotate), but no more often than the interval, so a flood of
 * tokens with made-up key ids cannot flood the auth service.
 */
export class JwksCache {
  private keys: LoadedKeys | undefined;
  private loading: Promise<LoadedKeys> | undefined;

  constructor(
    private readonly services: ServiceCaller,
    private readonly options: JwksCacheOptions,
  ) {}

  async keyFor(
    header: JWTHeaderParameters,
    token: FlattenedJWSInput,
    correlationId: string,
  ): Promise<KeyLike> {
    const kid = header.kid;
    if (!kid) throw ApiError.unauthorized('Access token has no key id');
    let keys = this.keys;
    const now = Date.now();
    const canRefetch = !keys || now - keys.fetchedAt >= this.options.refetchMinIntervalMs;
    if (!keys || now - keys.fetchedAt >= this.options.maxAgeMs || (!keys.kids.has(kid) && canRefetch)) {
      keys = await this.load(correlationId);
    }
    if (!keys.kids.has(kid)) throw ApiError.unauthorized('Access token signed with an unknown key');
    return keys.resolve(header, token);
  }

  private load(correlationId: string): Promise<LoadedKeys> {
    this.loading ??= this.fetch(correlationId).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetch(correlationId: string): Promise<LoadedKeys> {
    const jwks = await this.services.call<JsonWebKeySet>(
      AuthRpc.jwks,
      {},
      { actor: serviceActor('gateway'), correlationId, traceparent: null },
    );
    const keys = jwks.keys.filter((key) => typeof key['kid'] === 'string');
    const loaded: LoadedKeys = {
      kids: new Set(keys.map((key) => key['kid'] as string)),
      resolve: createLocalJWKSet({ keys } as unknown as JSONWebKeySet),
      fetchedAt: Date.now(),
    };
    this.keys = loaded;
    return loaded;
  }
}
