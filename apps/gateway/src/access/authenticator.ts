import type { FastifyRequest } from 'fastify';
import type { Actor } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import { API_TOKEN_PREFIX, type ApiTokenVerifier } from './api-token.verifier';
import type { JwtVerifier } from './jwt.verifier';

/** `Authorization: Bearer <token>`: an API token (`srt_...`) or a JWT access token. */
export class Authenticator {
  constructor(
    private readonly jwts: JwtVerifier,
    private readonly apiTokens: ApiTokenVerifier,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Actor> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw ApiError.unauthorized();
    return token.startsWith(API_TOKEN_PREFIX)
      ? this.apiTokens.verify(token, request.id)
      : this.jwts.verify(token, request.id);
  }
}

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match?.[1];
}
