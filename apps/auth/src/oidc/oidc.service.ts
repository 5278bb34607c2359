import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { errors, generators, type BaseClient, type TokenSet, type UserinfoResponse } from 'openid-client';
import type {
  CompleteOidcRequest,
  StartOidcRequest,
  StartOidcResponse,
  TokenPair,
} from '@scriptripper/contracts';
import { OidcAttemptsRepository } from './oidc-attempts.repository';
import { OidcErrors } from './oidc-errors';
import { OidcProviderClients } from './oidc-provider-clients';
import {
  OIDC_SIGN_IN,
  type OidcIdentity,
  type OidcSignIn,
  type OidcSignInContext,
} from './oidc-sign-in.port';

/** What `OidcService` needs from the configuration. */
export interface OidcServiceSettings {
  readonly defaultProvider: string;
  readonly attemptTtlSeconds: number;
}
export const OIDC_SERVICE_SETTINGS = Symbol('OIDC_SERVICE_SETTINGS');

const SCOPE = 'openid email profile';
const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** An OAuth error code (`access_denied`); anything else the callback carried is not echoed. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * Sign-in with OpenID Connect, authorization code flow with PKCE. `start` sends the person to
 * the provider with a fresh state, nonce and code verifier kept server side; `complete` takes
 * the provider's callback, exchanges the code, lets openid-client check the ID token
 * (signature, issuer, audience, expiry, nonce), and hands the verified identity to the
 * auth service's sign-in.
 */
@Injectable()
export class OidcService {
  private readonly log = new Logger(OidcService.name);

  constructor(
    @Inject(OIDC_SERVICE_SETTINGS) private readonly settings: OidcServiceSettings,
    private readonly clients: OidcProviderClients,
    private readonly attempts: OidcAttemptsRepository,
    @Inject(OIDC_SIGN_IN) private readonly signIn: OidcSignIn,
  ) {}

  async start(request: StartOidcRequest): Promise<StartOidcResponse> {
    requireObject(request);
    const provider = this.providerNameOf(request.provider);
    const redirectUri = redirectUriOf(request.redirect_uri);
    const client = await this.clients.clientFor(provider);

    const state = generators.state();
    const nonce = generators.nonce();
    const codeVerifier = generators.codeVerifier();
    await this.attempts.add({
      stateHash: hashOf(state),
      nonce,
      codeVerifier,
      provider,
      redirectUri,
      expiresAt: new Date(Date.now() + this.settings.attemptTtlSeconds * 1000),
    });
    return {
      authorization_url: client.authorizationUrl({
        scope: SCOPE,
        redirect_uri: redirectUri,
        response_type: 'code',
        code_challenge: generators.codeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }),
    };
  }

  async complete(request: CompleteOidcRequest, context: OidcSignInContext): Promise<TokenPair> {
    requireObject(request);
    // A callback URL need not name the provider: the attempt knows it; a named one must agree.
    const named = request.provider === undefined ? undefined : this.providerNameOf(request.provider);
    const redirectUri = redirectUriOf(request.redirect_uri);
    const params = paramsOf(request.params);
    const state = params['state'];
    if (!state) throw OidcErrors.attemptRefused();

    // Used up before anything else: whatever happens next, this state cannot be played again.
    const attempt = await this.attempts.consume(hashOf(state));
    if (!attempt || (named ?? attempt.provider) !== attempt.provider || attempt.redirectUri !== redirectUri) {
      throw OidcErrors.attemptRefused();
    }
    const { provider } = attempt;
    const providerError = params['error'];
    if (providerError !== undefined) {
      throw OidcErrors.providerRefused(ERROR_CODE.test(providerError) ? providerError : 'error');
    }

    const client = await this.clients.clientFor(provider);
    const tokens = await this.exchange(client, provider, redirectUri, params, {
      state,
      nonce: attempt.nonce,
      code_verifier: attempt.codeVerifier,
    });
    const identity = await this.identityOf(client, provider, tokens);
    return this.signIn.signIn(identity, context);
  }

  private async exchange(
    client: BaseClient,
    provider: string,
    redirectUri: string,
    params: Record<string, string>,
    checks: { state: string; nonce: string; code_verifier: string },
  ): Promise<TokenSet> {
    try {
      return await client.callback(redirectUri, params, { ...checks, response_type: 'code' });
    } catch (error) {
      throw this.refusalOf(error, provider);
    }
  }

  /**
   * The ID token's claims, completed from the userinfo endpoint when the provider keeps email
   * out of the ID token (as the code flow allows); openid-client checks that both name the
   * same subject.
   */
  private async identityOf(client: BaseClient, provider: string, tokens: TokenSet): Promise<OidcIdentity> {
    let claims: Partial<UserinfoResponse> = tokens.claims();
    if (claims.email === undefined || claims.email_verified === undefined) {
      try {
        claims = { ...(await client.userinfo(tokens)), ...claims };
      } catch (error) {
        throw this.refusalOf(error, provider);
      }
    }
    const { sub, email, email_verified: emailVerified, name } = claims;
    if (typeof sub !== 'string' || typeof email !== 'string' || email === '') {
      throw OidcErrors.providerRefused('no subject or email address');
    }
    if (emailVerified !== true) throw OidcErrors.emailNotVerified();
    return {
      email: email.toLowerCase(),
      name: typeof name === 'string' && name !== '' ? name : null,
      provider,
      subject: sub,
    };
  }

  /**
   * A provider's or openid-client's refusal becomes UNAUTHORIZED with its reason's first
   * clause only (openid-client appends the expected and received values); anything else is
   * the provider being unreachable.
   */
  private refusalOf(error: unknown, provider: string): Error {
    const message = error instanceof Error ? error.message : String(error);
    this.log.warn(`OpenID sign-in with "${provider}" refused: ${message}`);
    if (error instanceof errors.OPError || error instanceof errors.RPError) {
      return OidcErrors.providerRefused(message.split(',')[0] ?? 'invalid answer');
    }
    return OidcErrors.providerUnavailable(provider);
  }

  private providerNameOf(name: string | undefined): string {
    const provider = name ?? this.settings.defaultProvider;
    if (typeof provider !== 'string' || !PROVIDER_NAME.test(provider)) {
      throw OidcErrors.invalidRequest('provider must be a provider name');
    }
    return provider;
  }
}

function requireObject(request: unknown): void {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw OidcErrors.invalidRequest('the request must be an object');
  }
}

function redirectUriOf(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) {
    throw OidcErrors.invalidRequest('redirect_uri must be an http(s) URL');
  }
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // falls through to the refusal
  }
  throw OidcErrors.invalidRequest('redirect_uri must be an http(s) URL');
}

function paramsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw OidcErrors.invalidRequest('params must be an object of strings');
  }
  const entries = Object.entries(value);
  if (!entries.every(([, item]) => typeof item === 'string')) {
    throw OidcErrors.invalidRequest('params must be an object of strings');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function hashOf(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}
