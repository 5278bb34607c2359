import { createHash } from 'node:crypto';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuthRpc, type Actor, type CheckedCredential } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import { ServiceCaller } from '../http/service-caller';
import { RATE_LIMIT_POLICY, RateLimits, type RateLimitPolicy } from '../rate-limit/rate-limit.policies';
import { accessPolicyOf, declaresAccess, isPrivileged, type AccessPolicy } from './access-policy';
import { API_TOKEN_PREFIX, ApiTokenVerifier } from './api-token.verifier';
import { API_TOKEN_STRATEGY } from './api-token.strategy';
import { bearerTokenOf } from './bearer-token';
import { CredentialMarkers } from './credential-markers';
import { JWT_STRATEGY } from './jwt.strategy';
import { callContextOf, requestActor, setRequestActor } from './request-actor';

/** Health and metrics (observability's controllers) answer probes and scrapers, outside the API. */
export const OPERATIONAL_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The one global guard. Every route needs a bearer token unless marked `@Public()`, and must
 * declare `@Scopes(...)` or `@InteractiveSession()` (deny by default: a route declaring neither is
 * refused). Then the credential is checked at use: privileged routes (admin roles, account and
 * admin scopes, session-only) ask auth, whose records are the truth, for the current role, scopes
 * and session; other routes read auth's Redis markers (ended sessions, role changes, purges).
 * Then the rate limit (per IP on public routes, per user otherwise), roles and scopes.
 *
 * Failed authentications are counted per token fingerprint and per IP; a valid credential is
 * never refused for other clients' failures.
 */
@Injectable()
export class AccessGuard extends AuthGuard([API_TOKEN_STRATEGY, JWT_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimits,
    private readonly markers: CredentialMarkers,
    private readonly apiTokens: ApiTokenVerifier,
    private readonly services: ServiceCaller,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (OPERATIONAL_ROUTES.has(request.routeOptions.url ?? '')) return true;

    const targets = [context.getHandler(), context.getClass()];
    const rateLimit = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(
      RATE_LIMIT_POLICY,
      targets,
    );
    const policy = accessPolicyOf(this.reflector, targets);
    if (policy.isPublic) {
      await this.rateLimits.enforce(rateLimit ?? 'public', `ip:${request.ip}`);
      return true;
    }
    if (!declaresAccess(policy)) throw ApiError.forbidden('This route declares no access policy');

    await this.authenticate(context, request);
    const actor = await this.checkedAtUse(requestActor(request), policy, request);
    setRequestActor(request, actor);
    await this.rateLimits.enforce(rateLimit ?? 'user', `user:${actor.id}`);
    authorize(actor, policy);
    return true;
  }

  /** Passport hands over the strategies' outcome: the actor, a strategy's ApiError, or no match. */
  override handleRequest<TUser = Actor>(
    error: unknown,
    actor: Actor | false | null,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error) throw error;
    if (!actor) throw ApiError.unauthorized();
    setRequestActor(context.switchToHttp().getRequest<FastifyRequest>(), actor);
    return actor as TUser;
  }

  /** The actor as it stands now, not as its token said when it was issued. */
  private async checkedAtUse(actor: Actor, policy: AccessPolicy, request: FastifyRequest): Promise<Actor> {
    if (policy.interactiveSession && actor.credential?.kind !== 'session') {
      throw ApiError.forbidden('Needs a signed-in person (an interactive session), not an API token');
    }
    if (!isPrivileged(policy)) {
      const { verdict, reason } = await this.markers.verdictOn(actor);
      if (verdict === 'refused') throw ApiError.unauthorized(reason);
      if (verdict === 'in-force') return actor;
    }
    if (actor.credential?.kind === 'api-token') {
      const token = bearerTokenOf(request);
      if (!token?.startsWith(API_TOKEN_PREFIX)) throw ApiError.unauthorized();
      return this.apiTokens.verify(token, request.id, { fresh: true });
    }
    if (actor.credential?.kind !== 'session') throw ApiError.unauthorized('Sign in again');
    const checked = await this.services.call<CheckedCredential>(
      AuthRpc.checkCredential,
      {},
      callContextOf(request),
    );
    return { ...actor, role: checked.role, scopes: [...checked.scopes] };
  }

  private async authenticate(context: ExecutionContext, request: FastifyRequest): Promise<void> {
    const token = bearerTokenOf(request);
    const fingerprint = token ? `token:${createHash('sha256').update(token).digest('base64url')}` : null;
    // A token that failed too often is refused before it is looked at again; a good one never fails.
    if (fingerprint) await this.rateLimits.refuseIfExhausted('auth-failures', fingerprint);
    try {
      await super.canActivate(context);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        const address = `ip:${request.ip}`;
        if (fingerprint) await this.rateLimits.count('auth-failures', fingerprint);
        await this.rateLimits.refuseIfExhausted('auth-failures', address);
        await this.rateLimits.count('auth-failures', address);
      }
      throw error;
    }
  }
}

function authorize(actor: Actor, policy: AccessPolicy): void {
  if (policy.roles.length > 0 && !policy.roles.includes(actor.role)) {
    throw ApiError.forbidden(`Needs the role ${policy.roles.join(' or ')}`);
  }
  const missing = policy.scopes.filter((scope) => !actor.scopes.includes(scope));
  if (missing.length > 0) throw ApiError.forbidden(`Needs the scope ${missing.join(', ')}`);
}
