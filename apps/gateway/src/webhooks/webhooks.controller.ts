import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { CreatedWebhook, Page, WebhookDeliveryView, WebhookView } from '@scriptripper/contracts';
import { Scopes as Scope, WebhooksRpc } from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors, pageRequestOf, PageQueryDto } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryPageDto,
  WebhookIdParams,
  WebhookPageDto,
} from './webhooks.dto';

/**
 * The user's webhooks: a URL called with a signed POST when one of their jobs completes or
 * fails, retried with backoff, every attempt logged. Owned by the jobs service.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly services: ServiceCaller) {}

  @Post()
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Register a webhook for job.completed and/or job.failed; its signing secret is shown once',
    description:
      'Deliveries POST `{ id, type, created_at, data: { job_id, status, ... } }` with the headers ' +
      '`ScriptRipper-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` and ' +
      '`ScriptRipper-Delivery-Id` (the same across retries). Any 2xx answer counts as delivered; no ' +
      'answer, 408, 429 and 5xx are retried with exponential backoff; redirects are not followed.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(401, 403, 409)
  create(@Body() body: CreateWebhookDto, @Caller() caller: CallContext) {
    return this.services.call<CreatedWebhook>(
      WebhooksRpc.create,
      { url: body.url, events: body.events },
      caller,
    );
  }

  @Get()
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'My webhooks, newest first (never their secrets)' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiErrors(401, 403)
  list(@Query() page: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<WebhookView>>(WebhooksRpc.list, pageRequestOf(page), caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({ summary: 'Delete a webhook; its pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async delete(@Param() params: WebhookIdParams, @Caller() caller: CallContext): Promise<void> {
    await this.services.call(WebhooksRpc.delete, { webhook_id: params.id }, caller);
  }

  @Get(':id/deliveries')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary:
      "A webhook's deliveries, newest first, each with every attempt (status code, duration, error, next attempt)",
  })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiErrors(401, 403, 404)
  deliveries(@Param() params: WebhookIdParams, @Query() page: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<WebhookDeliveryView>>(
      WebhooksRpc.listDeliveries,
      { webhook_id: params.id, ...pageRequestOf(page) },
      caller,
    );
  }
}
