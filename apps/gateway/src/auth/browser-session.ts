import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';

/** The header the web console sends with its auth requests: with the Origin check, its CSRF proof. */
export const CONSOLE_CLIENT_HEADER = 'x-scriptripper-client';
export const CONSOLE_CLIENT = 'console';

/** The console's refresh token: httpOnly, SameSite=Strict, sent only to the auth routes. */
export const REFRESH_COOKIE = 'sr_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/**
 * A console-started OpenID Connect sign-in: its state and the page to return to. Lax, as the
 * provider sends the browser back cross-site; only the OIDC routes see it, for ten minutes.
 */
export const OIDC_COOKIE = 'sr_oidc';
const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';
const OIDC_COOKIE_SECONDS = 600;

/** Where a page may send a person back to: a path of the console, never another site or the API. */
const RETURN_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

/**
 * Sessions of the web console. Its refresh token lives in an httpOnly cookie, never in a body
 * its scripts could read; its access token only in its memory. A request that a cookie
 * authenticates must prove it came from the console: the console's header, which no other
 * site can send without a CORS preflight the gateway refuses, and an Origin of the gateway
 * itself (its public URL, its own host) or of an allowed CORS origin.
 */
export class BrowserSessions {
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly cookieMaxAgeSeconds: number;

  constructor(config: GatewayConfig) {
    this.allowedOrigins = new Set([config.PUBLIC_BASE_URL, ...config.CORS_ORIGINS].map(originOf));
    this.cookieMaxAgeSeconds = config.SESSION_COOKIE_MAX_AGE_DAYS * 86_400;
  }

  /** Whether the request says it is the console's: then its refresh token travels in the cookie. */
  isConsole(request: FastifyRequest): boolean {
    return request.headers[CONSOLE_CLIENT_HEADER] === CONSOLE_CLIENT;
  }

  /** Refuses (403) a console request whose Origin is not the gateway's nor an allowed one. */
  assertFromConsole(request: FastifyRequest): void {
    if (!this.isConsole(request)) {
      throw ApiError.forbidden(
        `A session cookie is accepted only from the web console (the ${CONSOLE_CLIENT_HEADER} header); ` +
          'API clients send their refresh token in the body',
      );
    }
    const origin = request.headers.origin;
    if (!origin || !(this.allowedOrigins.has(origin) || origin === ownOriginOf(request))) {
      throw ApiError.forbidden('This request did not come from the web console of this server (Origin)');
    }
  }

  refreshTokenOf(request: FastifyRequest): string | undefined {
    return cookieOf(request, REFRESH_COOKIE);
  }

  setRefreshCookie(request: FastifyRequest, reply: FastifyReply, refreshToken: string): void {
    setCookie(request, reply, REFRESH_COOKIE, refreshToken, {
      sameSite: 'Strict',
      path: REFRESH_COOKIE_PATH,
      maxAgeSeconds: this.cookieMaxAgeSeconds,
    });
  }

  clearRefreshCookie(request: FastifyRequest, reply: FastifyReply): void {
    setCookie(request, reply, REFRESH_COOKIE, '', {
      sameSite: 'Strict',
      path: REFRESH_COOKIE_PATH,
      maxAgeSeconds: 0,
    });
  }

  /** Remembers a console-started OIDC sign-in in this browser: its state and the page to return to. */
  setOidcCookie(request: FastifyRequest, reply: FastifyReply, attempt: OidcConsoleAttempt): void {
    const value = Buffer.from(JSON.stringify(attempt)).toString('base64url');
    setCookie(request, reply, OIDC_COOKIE, value, {
      sameSite: 'Lax',
      path: OIDC_COOKIE_PATH,
      maxAgeSeconds: OIDC_COOKIE_SECONDS,
    });
  }

  /** The console-started sign-in this browser began, or undefined (an API client's, or none). */
  oidcAttemptOf(request: FastifyRequest): OidcConsoleAttempt | undefined {
    const raw = cookieOf(request, OIDC_COOKIE);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(
        Buffer.from(raw, 'base64url').toString('utf8'),
      ) as Partial<OidcConsoleAttempt>;
      if (typeof parsed.state !== 'string' || typeof parsed.return_to !== 'string') return undefined;
      return { state: parsed.state, return_to: safeReturnPath(parsed.return_to) };
    } catch {
      return undefined;
    }
  }

  clearOidcCookie(request: FastifyRequest, reply: FastifyReply): void {
    setCookie(request, reply, OIDC_COOKIE, '', { sameSite: 'Lax', path: OIDC_COOKIE_PATH, maxAgeSeconds: 0 });
  }
}

export interface OidcConsoleAttempt {
  /** The provider's `state` of this attempt: the callback must carry the same. */
  readonly state: string;
  /** A path of the console. */
  readonly return_to: string;
}

/**
 * `value` when it is a path on this server outside the API (`/jobs/1?tab=tasks`), else `/`:
 * never another origin (`//evil.example`, `/\evil.example`, `https://...`), so never an open redirect.
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value || value.length > 2_048 || !RETURN_PATH.test(value)) return '/';
  const resolved = new URL(value, 'https://console.invalid');
  if (resolved.origin !== 'https://console.invalid') return '/';
  if (resolved.pathname === '/api' || resolved.pathname.startsWith('/api/')) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

function originOf(url: string): string {
  return new URL(url).origin;
}

/** The origin the browser addressed (Host, and the protocol as TRUST_PROXY lets Fastify see it). */
function ownOriginOf(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  return host ? `${request.protocol}://${host}` : undefined;
}

/** Cookie values are ours (base64url, token characters): nothing needs quoting or decoding. */
const COOKIE_VALUE = /^[A-Za-z0-9_\-.~]*$/;

/**
 * A cookie of the request. Parsed here rather than with @fastify/cookie, whose ES-module-only
 * `cookie` dependency Jest's CommonJS runtime cannot load; our two cookies need no more.
 */
function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    return value && COOKIE_VALUE.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * Adds a Set-Cookie: always httpOnly; Secure when the browser reached us over https (as
 * TRUST_PROXY lets Fastify see the protocol); Max-Age 0 with a past Expires clears it.
 */
function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  options: { sameSite: 'Strict' | 'Lax'; path: string; maxAgeSeconds: number },
): void {
  if (!COOKIE_VALUE.test(value)) throw new Error(`cookie ${name}: unexpected characters in its value`);
  const attributes = [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.maxAgeSeconds === 0 ? ['Expires=Thu, 01 Jan 1970 00:00:00 GMT'] : []),
    'HttpOnly',
    ...(request.protocol === 'https' ? ['Secure'] : []),
    `SameSite=${options.sameSite}`,
  ];
  const earlier = reply.getHeader('set-cookie');
  const cookies = earlier === undefined ? [] : [earlier].flat().map(String);
  reply.header('set-cookie', [...cookies, attributes.join('; ')]);
}
