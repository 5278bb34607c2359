import type { FastifyInstance } from 'fastify';

/**
 * Every API answer is one person's data, and many carry secrets (sign-in tokens, a new API token
 * or webhook secret, signed download URLs): no cache, shared or private, may keep them. Routes
 * that set their own Cache-Control (downloads, exports) keep it.
 */
export function forbidCachingOfApiAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/v1/') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
