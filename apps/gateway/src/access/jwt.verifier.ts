import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { Actor, UserRole } from '@scriptripper/contracts';
import { USER_ROLES } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';
import type { JwksCache } from './jwks.cache';

/** What the auth service puts into access tokens (issue 3's shared decisions). */
export const ACCESS_TOKEN_ISSUER = 'scriptripper-auth';
export const ACCESS_TOKEN_AUDIENCE = 'scriptripper';
/** Asymmetric only: `none` and HS* (a public key misused as an HMAC secret) are refused. */
export const ACCESS_TOKEN_ALGORITHMS = ['ES256', 'EdDSA'];

/** Verifies a bearer JWT against the auth service's JWKS and turns its claims into the actor. */
export class JwtVerifier {
  constructor(private readonly jwks: JwksCache) {}

  async verify(token: string, correlationId: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header, input) => this.jwks.keyFor(header, input, correlationId),
        {
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
          algorithms: ACCESS_TOKEN_ALGORITHMS,
          requiredClaims: ['sub', 'exp', 'iat'],
        },
      ));
    } catch (error) {
      if (error instanceof ApiError && error.status !== 401) throw error;
      throw ApiError.unauthorized(reasonOf(error));
    }
    return actorOf(payload);
  }
}

function actorOf(payload: JWTPayload): Actor {
  const role = payload['role'];
  const scopes = payload['scopes'];
  if (
    typeof payload.sub !== 'string' ||
    payload.sub === '' ||
    !(USER_ROLES as readonly unknown[]).includes(role) ||
    !Array.isArray(scopes) ||
    !scopes.every((scope) => typeof scope === 'string')
  ) {
    throw ApiError.unauthorized('Access token claims are incomplete');
  }
  const sessionId = payload['sid'];
  return {
    id: payload.sub,
    role: role as UserRole,
    scopes: scopes as string[],
    // The session is what sign-out and revocation end; the gateway checks it at every use.
    ...(typeof sessionId === 'string' && sessionId !== '' && typeof payload.iat === 'number'
      ? { credential: { kind: 'session' as const, session_id: sessionId, issued_at: payload.iat } }
      : {}),
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof errors.JWTExpired) return 'Access token expired';
  return 'Access token invalid';
}
