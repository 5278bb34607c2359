import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { TrustProxy } from '@scriptripper/config';
import { correlationIdOf } from '../logging/correlation-context';

/**
 * The HTTP adapter of every service: Fastify's request id is the correlation id (a valid
 * `X-Request-Id` or a new one), so Fastify, the request logs and the response header agree.
 * `trustProxy` (config TRUST_PROXY) decides whose `X-Forwarded-For` makes `request.ip`.
 */
export function createFastifyAdapter(trustProxy: TrustProxy = false): FastifyAdapter {
  return new FastifyAdapter({ genReqId: (request: IncomingMessage) => correlationIdOf(request), trustProxy });
}
