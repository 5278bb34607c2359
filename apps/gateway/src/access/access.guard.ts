import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import { RATE_LIMIT_POLICY, RateLimits, type RateLimitPolicy } from '../rate-limit/rate-limit.policies';
import { IS_PUBLIC, REQUIRED_ROLES, REQUIRED_SCOPES } from './access.decorators';
import { API_TOKEN_STRATEGY } from './api-token.strategy';
import { JWT_STRATEGY } from './jwt.strategy';
import { PurgedUsers } from './purged-users';
import { requestActor, setRequestActor } from './request-actor';

/** Health and metrics (observability's controllers) answer probes and scrapers, outside the API. */
export const OPERATIONAL_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The one global guard: every route needs a bearer token unless marked `@Public()`; then
 * the rate limit (per IP on public routes, per user otherwise); then `@Roles` and `@Scopes`.
 * Authentication is Passport's (an API token or a JWT, without sessions); an IP that failed
 * it too often is refused before its next token is even looked at.
 */
@Injectable()
export class AccessGuard extends AuthGuard([API_TOKEN_STRATEGY, JWT_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimits,
    private readonly purgedUsers: PurgedUsers,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (OPERATIONAL_ROUTES.has(request.routeOptions.url ?? '')) return true;

    const targets = [context.getHandler(), context.getClass()];
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_POLICY, targets);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      await this.rateLimits.enforce(policy ?? 'public', `ip:${request.ip}`);
      return true;
    }

    await this.authenticate(context, `ip:${request.ip}`);
    const actor = requestActor(request);
    // A purged user's access token verifies until it expires; the account is gone all the same.
    if (await this.purgedUsers.isPurged(actor.id)) throw ApiError.unauthorized('This account was deleted');
    await this.rateLimits.enforce(policy ?? 'user', `user:${actor.id}`);
    authorize(
      actor,
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets) ?? [],
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
    );
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

  private async authenticate(context: ExecutionContext, client: string): Promise<void> {
    await this.rateLimits.refuseIfExhausted('auth-failures', client);
    try {
      await super.canActivate(context);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        await this.rateLimits.count('auth-failures', client);
      throw error;
    }
  }
}

function authorize(actor: Actor, roles: readonly string[], scopes: readonly string[]): void {
  if (roles.length > 0 && !roles.includes(actor.role)) {
    throw ApiError.forbidden(`Needs the role ${roles.join(' or ')}`);
  }
  const missing = scopes.filter((scope) => !actor.scopes.includes(scope));
  if (missing.length > 0) throw ApiError.forbidden(`Needs the scope ${missing.join(', ')}`);
}
