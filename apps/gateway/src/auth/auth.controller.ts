import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Redirect } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { RequestMagicLinkResponse, StartOidcResponse, TokenPair } from '@scriptripper/contracts';
import { AuthRpc } from '@scriptripper/contracts';
import { Public } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { AcceptedDto, ApiErrors } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { RateLimit } from '../rate-limit/rate-limit.policies';
import {
  OidcProviderParams,
  RefreshDto,
  RequestMagicLinkDto,
  SignOutDto,
  TokenPairDto,
  VerifyMagicLinkDto,
} from './auth.dto';

/** Signing in and out: magic links, OpenID Connect, refresh. The auth service decides. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

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
  @ApiOperation({ summary: 'Sign in with the token of a magic link (the link itself)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(401)
  verifyMagicLinkFromLink(@Query() query: VerifyMagicLinkDto, @Caller() caller: CallContext) {
    return this.verifyMagicLink(query.token, caller);
  }

  @Post('magic-link/verify')
  @Public()
  @RateLimit('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with the token of a magic link' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(401)
  verifyMagicLinkFromBody(@Body() body: VerifyMagicLinkDto, @Caller() caller: CallContext) {
    return this.verifyMagicLink(body.token, caller);
  }

  @Get('oidc/:provider/start')
  @Public()
  @Redirect()
  @ApiOperation({ summary: "Start OpenID Connect sign-in: redirects to the provider's login page" })
  @ApiFoundResponse({ description: 'Redirect to the identity provider', headers: { Location: {} } })
  @ApiErrors(404)
  async startOidc(@Param() params: OidcProviderParams, @Caller() caller: CallContext) {
    const answer = await this.services.call<StartOidcResponse>(
      AuthRpc.startOidc,
      { provider: params.provider, redirect_uri: this.callbackUrl(params.provider) },
      caller,
    );
    return { url: answer.authorization_url, statusCode: 302 };
  }

  @Get('oidc/:provider/callback')
  @Public()
  @ApiOperation({ summary: 'Where the identity provider sends the browser back; answers the tokens' })
  @ApiQuery({ name: 'code', required: false, type: String })
  @ApiQuery({ name: 'state', required: false, type: String })
  @ApiQuery({ name: 'error', required: false, type: String })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(401, 404)
  completeOidc(
    @Param() params: OidcProviderParams,
    @Query() query: Record<string, unknown>,
    @Caller() caller: CallContext,
  ) {
    return this.services.call<TokenPair>(
      AuthRpc.completeOidc,
      {
        provider: params.provider,
        redirect_uri: this.callbackUrl(params.provider),
        params: stringsOf(query),
      },
      caller,
    );
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for new tokens (single use, rotating)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(401)
  refresh(@Body() body: RefreshDto, @Caller() caller: CallContext) {
    return this.services.call<TokenPair>(AuthRpc.refresh, { refresh_token: body.refresh_token }, caller);
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: revokes the session of the refresh token' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401)
  async signOut(@Body() body: SignOutDto, @Caller() caller: CallContext): Promise<void> {
    await this.services.call(AuthRpc.signOut, { refresh_token: body.refresh_token }, caller);
  }

  private verifyMagicLink(token: string, caller: CallContext) {
    return this.services.call<TokenPair>(AuthRpc.verifyMagicLink, { token }, caller);
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
