import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@scriptripper/contracts';
import { ANONYMOUS_ACTOR } from '@scriptripper/streams';
import type { CallContext } from '../http/service-caller';

const actors = new WeakMap<FastifyRequest, Actor>();

export function setRequestActor(request: FastifyRequest, actor: Actor): void {
  actors.set(request, actor);
}

/** The authenticated actor, or the anonymous one on public routes. */
export function requestActor(request: FastifyRequest): Actor {
  return actors.get(request) ?? ANONYMOUS_ACTOR;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * What a call on behalf of this request carries. The request id is the correlation id
 * (observability's Fastify adapter makes it from `X-Request-Id` or anew); a malformed
 * `traceparent` is dropped, as services would refuse the envelope.
 */
export function callContextOf(request: FastifyRequest): CallContext {
  const traceparent = request.headers['traceparent'];
  return {
    actor: requestActor(request),
    correlationId: request.id,
    traceparent: typeof traceparent === 'string' && TRACEPARENT.test(traceparent) ? traceparent : null,
  };
}

/** Injects the request's `CallContext` into a route handler. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallContext =>
  callContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
