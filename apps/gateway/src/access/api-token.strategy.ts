import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { Actor } from '@scriptripper/contracts';
import { API_TOKEN_PREFIX, ApiTokenVerifier } from './api-token.verifier';
import { bearerTokenOf } from './bearer-token';

export const API_TOKEN_STRATEGY = 'api-token';

/** Bearer API tokens (`srt_...`), verified by the auth service. Other bearer tokens pass to the next strategy. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  constructor(private readonly apiTokens: ApiTokenVerifier) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Actor | false> {
    const token = bearerTokenOf(request);
    if (!token?.startsWith(API_TOKEN_PREFIX)) return false;
    return this.apiTokens.verify(token, request.id);
  }
}
