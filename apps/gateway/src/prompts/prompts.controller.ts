import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  PromptsRpc,
  Scopes as Scope,
  type CreatePromptResponse,
  type Page,
  type PromptView,
} from '@scriptripper/contracts';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { ApiErrors, PageQueryDto, pageRequestOf } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { idempotencyKeyOf } from '../jobs/job-submission';
import { JobIdParams } from '../jobs/jobs.dto';
import {
  CreatePromptDto,
  CreatedPromptDto,
  PromptIdParams,
  PromptPageDto,
  PromptViewDto,
} from './prompts.dto';

/**
 * Custom prompts: a question about a completed job of the caller, answered by the worker (the
 * configured LLM, or offline the best-matching passages of the transcript) as an artifact.
 */
@ApiTags('prompts')
@ApiBearerAuth()
@Controller('prompts')
export class PromptsController {
  constructor(private readonly services: ServiceCaller) {}

  @Post()
  @HttpCode(202)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Ask a question about a completed job',
    description:
      'Answers 202 with the prompt id; follow it with GET /prompts/{id}. A job that is not completed ' +
      'answers 409; one whose transcript expired under the retention policy, 410.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1 to 255 printable ASCII characters, kept per user: the same request again answers the same prompt',
  })
  @ApiAcceptedResponse({ type: CreatedPromptDto })
  @ApiErrors(401, 402, 403, 404, 409, 410)
  async create(
    @Body() body: CreatePromptDto,
    @Req() request: FastifyRequest,
    @Caller() caller: CallContext,
  ): Promise<CreatedPromptDto> {
    const key = idempotencyKeyOf(request);
    const asked = { job_id: body.job_id, prompt: body.prompt };
    const created = await this.services.call<CreatePromptResponse>(
      PromptsRpc.create,
      {
        ...asked,
        ...(key === undefined
          ? {}
          : {
              idempotency_key: key,
              request_hash: createHash('sha256').update(JSON.stringify(asked)).digest('hex'),
            }),
      },
      caller,
    );
    return { prompt_id: created.prompt_id };
  }

  @Get(':id')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'A custom prompt: its status, and its answer artifacts once answered' })
  @ApiOkResponse({ type: PromptViewDto })
  @ApiErrors(401, 403, 404)
  get(@Param() params: PromptIdParams, @Caller() caller: CallContext) {
    return this.services.call<PromptView>(PromptsRpc.get, { prompt_id: params.id }, caller);
  }
}

/** A job's custom prompts, under the job. */
@ApiTags('prompts')
@ApiBearerAuth()
@Controller('jobs')
export class JobPromptsController {
  constructor(private readonly services: ServiceCaller) {}

  @Get(':id/prompts')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: "A job's custom prompts in the order asked, with their status" })
  @ApiOkResponse({ type: PromptPageDto })
  @ApiErrors(401, 403, 404)
  list(@Param() params: JobIdParams, @Query() query: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<PromptView>>(
      PromptsRpc.listForJob,
      { job_id: params.id, ...pageRequestOf(query) },
      caller,
    );
  }
}
