import type { FastifyRequest } from 'fastify';

/** The token of `Authorization: Bearer <token>`; the header only, never the URL or the body. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
