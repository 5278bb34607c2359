import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import { RATE_LIMIT_POLICY, RateLimits, type RateLimitPolicy } from '../rate-limit/rate-limit.policies';
import { IS_PUBLIC, REQUIRED_ROLES, REQUIRED_SCOPES } from './access.decorators';
import { Authenticator } from './authenticator';
import { setRequestActor } from './request-actor';

/** Health and metrics (observability's controllers) answer probes and scrapers, outside the API. */
export const OPERATIONAL_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * The one global guard: every route needs a bearer token unless marked `@Public()`; then
 * the rate limit (per IP on public routes, per user otherwise); then `@Roles` and `@Scopes`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly rateLimits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (OPERATIONAL_ROUTES.has(request.routeOptions.url ?? '')) return true;

    const targets = [context.getHandler(), context.getClass()];
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_POLICY, targets);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      await this.rateLimits.enforce(policy ?? 'public', `ip:${request.ip}`);
      return true;
    }

    const actor = await this.authenticator.authenticate(request);
    setRequestActor(request, actor);
    await this.rateLimits.enforce(policy ?? 'user', `user:${actor.id}`);
    authorize(
      actor,
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets) ?? [],
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
    );
    return true;
  }
}

function authorize(actor: Actor, roles: readonly string[], scopes: readonly string[]): void {
  if (roles.length > 0 && !roles.includes(actor.role)) {
    throw ApiError.forbidden(`Needs the role ${roles.join(' or ')}`);
  }
  const missing = scopes.filter((scope) => !actor.scopes.includes(scope));
  if (missing.length > 0) throw ApiError.forbidden(`Needs the scope ${missing.join(', ')}`);
}
