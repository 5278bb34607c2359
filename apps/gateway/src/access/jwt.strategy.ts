import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { Actor } from '@scriptripper/contracts';
import { API_TOKEN_PREFIX } from './api-token.verifier';
import { bearerTokenOf } from './bearer-token';
import { JwtVerifier } from './jwt.verifier';

export const JWT_STRATEGY = 'jwt';

/** Bearer JWT access tokens, verified against the auth service's JWKS. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(private readonly jwts: JwtVerifier) {
    super();
  }

  async validate(request: FastifyRequest): Promise<Actor | false> {
    const token = bearerTokenOf(request);
    if (!token || token.startsWith(API_TOKEN_PREFIX)) return false;
    return this.jwts.verify(token, request.id);
  }
}
