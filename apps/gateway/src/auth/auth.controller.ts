import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Redirect,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiFoundResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestMagicLinkResponse, StartOidcResponse, TokenPair } from '@scriptripper/contracts';
import { AuthRpc } from '@scriptripper/contracts';
import { InteractiveSession, Public } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';
import { AcceptedDto, ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { RateLimit } from '../rate-limit/rate-limit.policies';
import {
  OidcProviderParams,
  RefreshDto,
  RequestMagicLinkDto,
  SessionTokensDto,
  SignOutDto,
  StartOidcQueryDto,
  VerifyMagicLinkDto,
} from './auth.dto';
import { BrowserSessions, safeReturnPath } from './browser-session';

const CONSOLE_HEADER_DOC = {
  name: 'X-ScriptRipper-Client',
  required: false,
  description:
    '`console` (the web console only): the refresh token travels in the httpOnly `sr_refresh` cookie ' +
    '(SameSite=Strict, Path=/api/v1/auth), not in the body; the Origin must be this server or an allowed ' +
    'origin, else 403',
};

/** Answers that carry a secret must not be kept by any cache. */
const NO_STORE = 'no-store';

/**
 * Signing in and out: magic links, OpenID Connect, refresh. The auth service decides. API
 * clients get both tokens in the body; the web console gets its refresh token in a cookie
 * (see BrowserSessions) and signs in from the mailed link's console page by POSTing its token.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly sessions: BrowserSessions;

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {
    this.sessions = new BrowserSessions(config);
  }

  @Post('magic-link')
  @Public()
  @RateLimit('sign-in')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a one-time sign-in link (same answer whether or not the address has an account)',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors()
  requestMagicLink(@Body() body: RequestMagicLinkDto, @Caller() caller: CallContext) {
    return this.services.call<RequestMagicLinkResponse>(
      AuthRpc.requestMagicLink,
      { email: body.email },
      caller,
    );
  }

  @Get('magic-link/verify')
  @Public()
  @RateLimit('sign-in')
  @ApiOperation({
    summary: 'Sign in with the token of a magic link, for API clients (the mailed link opens the console)',
  })
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiErrors(401)
  async verifyMagicLinkFromLink(
    @Query() query: VerifyMagicLinkDto,
    @Caller() caller: CallContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokensDto> {
    reply.header('cache-control', NO_STORE);
    return this.services.call<TokenPair>(AuthRpc.verifyMagicLink, { token: query.token }, caller);
  }

  @Post('magic-link/verify')
  @Public()
  @RateLimit('sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with the token of a magic link',
    description:
      'The mailed link opens the console page /sign-in/verify?token=..., which POSTs the token here; ' +
      'fetching the link itself uses nothing up.',
  })
  @ApiHeader(CONSOLE_HEADER_DOC)
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiErrors(401, 403)
  async verifyMagicLinkFromBody(
    @Body() body: VerifyMagicLinkDto,
    @Caller() caller: CallContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokensDto> {
    reply.header('cache-control', NO_STORE);
    // Checked before the token is spent: a refused request leaves the link usable.
    if (this.sessions.isConsole(request)) this.sessions.assertFromConsole(request);
    const pair = await this.services.call<TokenPair>(AuthRpc.verifyMagicLink, { token: body.token }, caller);
    return this.tokensFor(request, reply, pair);
  }

  @Get('oidc/:provider/start')
  @Public()
  @Redirect()
  @ApiOperation({
    summary: "Start OpenID Connect sign-in: redirects to the provider's login page",
    description:
      'With client=console the callback signs this browser in (the session cookie) and redirects to ' +
      'return_to, a path of the console; otherwise the callback answers the tokens as JSON.',
  })
  @ApiFoundResponse({ description: 'Redirect to the identity provider', headers: { Location: {} } })
  @ApiErrors(404)
  async startOidc(
    @Param() params: OidcProviderParams,
    @Query() query: StartOidcQueryDto,
    @Caller() caller: CallContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer = await this.services.call<StartOidcResponse>(
      AuthRpc.startOidc,
      { provider: params.provider, redirect_uri: this.callbackUrl(params.provider) },
      caller,
    );
    const state = new URL(answer.authorization_url).searchParams.get('state');
    if (query.client === 'console' && state) {
      this.sessions.setOidcCookie(request, reply, { state, return_to: safeReturnPath(query.return_to) });
    }
    return { url: answer.authorization_url, statusCode: 302 };
  }

  @Get('oidc/:provider/callback')
  @Public()
  @ApiOperation({
    summary: 'Where the identity provider sends the browser back',
    description:
      'Answers the tokens as JSON; for a sign-in the console started in this browser, sets the session ' +
      'cookie and redirects (303) to the console page it came from (or /sign-in?error=... when refused).',
  })
  @ApiQuery({ name: 'code', required: false, type: String })
  @ApiQuery({ name: 'state', required: false, type: String })
  @ApiQuery({ name: 'error', required: false, type: String })
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiResponse({ status: 303, description: 'Back to the console (a sign-in it started)' })
  @ApiErrors(401, 404)
  async completeOidc(
    @Param() params: OidcProviderParams,
    @Query() query: Record<string, unknown>,
    @Caller() caller: CallContext,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const complete = () =>
      this.services.call<TokenPair>(
        AuthRpc.completeOidc,
        {
          provider: params.provider,
          redirect_uri: this.callbackUrl(params.provider),
          params: stringsOf(query),
        },
        caller,
      );
    reply.header('cache-control', NO_STORE);
    // Only the browser that started the sign-in from the console holds its state: a callback
    // URL planted in another browser signs nobody in there (login CSRF).
    const attempt = this.sessions.oidcAttemptOf(request);
    if (!attempt || attempt.state !== query['state']) {
      await reply.send(await complete());
      return;
    }
    this.sessions.clearOidcCookie(request, reply);
    let pair: TokenPair;
    try {
      pair = await complete();
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'The sign-in did not complete';
      const back = new URLSearchParams({ error: message, return_to: attempt.return_to });
      await reply.redirect(`/sign-in?${back.toString()}`, 303);
      return;
    }
    this.sessions.setRefreshCookie(request, reply, pair.refresh_token);
    await reply.redirect(attempt.return_to, 303);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for new tokens (single use, rotating)',
    description:
      'API clients send the refresh token in the body. The web console sends none: its cookie is read ' +
      '(with the console header and a matching Origin; a cookie without them is refused 403) and ' +
      'replaced by the new one.',
  })
  @ApiHeader(CONSOLE_HEADER_DOC)
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiErrors(401, 403)
  async refresh(
    @Body() body: RefreshDto,
    @Caller() caller: CallContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokensDto> {
    reply.header('cache-control', NO_STORE);
    if (this.sessions.isConsole(request)) {
      this.sessions.assertFromConsole(request);
      const cookie = this.sessions.refreshTokenOf(request);
      if (!cookie) throw ApiError.unauthorized('No session in this browser: sign in again');
      try {
        const pair = await this.services.call<TokenPair>(AuthRpc.refresh, { refresh_token: cookie }, caller);
        return this.tokensFor(request, reply, pair);
      } catch (error) {
        // A refused session (used, revoked, expired) is over: the browser forgets its cookie.
        if (error instanceof ApiError && error.status === 401)
          this.sessions.clearRefreshCookie(request, reply);
        throw error;
      }
    }
    const refreshToken = this.bodyToken(request, body.refresh_token);
    return this.services.call<TokenPair>(AuthRpc.refresh, { refresh_token: refreshToken }, caller);
  }

  @Post('sign-out')
  @InteractiveSession()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Sign out: revokes the session of the refresh token',
    description:
      'API clients send the refresh token in the body; the web console sends its header and its cookie, ' +
      'which this clears.',
  })
  @ApiHeader(CONSOLE_HEADER_DOC)
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401, 403)
  async signOut(
    @Body() body: SignOutDto,
    @Caller() caller: CallContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (this.sessions.isConsole(request)) {
      this.sessions.assertFromConsole(request);
      const cookie = this.sessions.refreshTokenOf(request);
      this.sessions.clearRefreshCookie(request, reply);
      if (cookie) await this.services.call(AuthRpc.signOut, { refresh_token: cookie }, caller);
      return;
    }
    const refreshToken = this.bodyToken(request, body.refresh_token);
    await this.services.call(AuthRpc.signOut, { refresh_token: refreshToken }, caller);
  }

  /** An API client's refresh token, from the body; a session cookie alone is the console's. */
  private bodyToken(request: FastifyRequest, token: string | undefined): string {
    if (token !== undefined) return token;
    if (this.sessions.refreshTokenOf(request)) this.sessions.assertFromConsole(request);
    throw ApiError.validation('refresh_token must be a string');
  }

  /** The console's refresh token goes into its cookie and out of the body. */
  private tokensFor(request: FastifyRequest, reply: FastifyReply, pair: TokenPair): SessionTokensDto {
    if (!this.sessions.isConsole(request)) return pair;
    this.sessions.setRefreshCookie(request, reply, pair.refresh_token);
    const { refresh_token: _inTheCookie, ...tokens } = pair;
    return tokens;
  }

  private callbackUrl(provider: string): string {
    return new URL(
      `api/v1/auth/oidc/${provider}/callback`,
      withSlash(this.config.PUBLIC_BASE_URL),
    ).toString();
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Query values as the provider sent them; repeated or nested ones are not part of OIDC. */
function stringsOf(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
