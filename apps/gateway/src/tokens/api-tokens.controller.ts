import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ApiTokenView, CreatedApiToken, Page } from '@scriptripper/contracts';
import { AuthRpc, Scopes as Scope } from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors, pageRequestOf, PageQueryDto } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { ApiTokenIdParams, ApiTokenPageDto, CreateApiTokenDto, CreatedApiTokenDto } from './api-token.dto';

/** The signed-in user's API tokens (for the CLI and scripts). */
@ApiTags('tokens')
@ApiBearerAuth()
@Scopes(Scope.accountAdmin)
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly services: ServiceCaller) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API token; its secret is shown once, in this answer',
    description:
      'Needs `account:admin` (a session has it; a token only when granted). A token made with an API ' +
      'token records it as its parent, carries at most its scopes, expires no later than it and is ' +
      'revoked with it.',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiErrors(401, 403)
  create(@Body() body: CreateApiTokenDto, @Caller() caller: CallContext) {
    return this.services.call<CreatedApiToken>(
      AuthRpc.createApiToken,
      { name: body.name, scopes: body.scopes, ...(body.expires_at ? { expires_at: body.expires_at } : {}) },
      caller,
    );
  }

  @Get()
  @ApiOperation({ summary: "List the signed-in user's API tokens (never their secrets)" })
  @ApiOkResponse({ type: ApiTokenPageDto })
  @ApiErrors(401)
  list(@Query() page: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<ApiTokenView>>(AuthRpc.listApiTokens, pageRequestOf(page), caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token; it is refused within seconds' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(401, 404)
  async revoke(@Param() params: ApiTokenIdParams, @Caller() caller: CallContext): Promise<void> {
    await this.services.call(AuthRpc.revokeApiToken, { id: params.id }, caller);
  }
}
