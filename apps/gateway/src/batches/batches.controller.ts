import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { BatchView, CreateBatchRequest, CreateBatchResponse, Page } from '@scriptripper/contracts';
import { BatchesRpc, Scopes as Scope } from '@scriptripper/contracts';
import { LocalBlobStore, type BlobStore } from '@scriptripper/blob-store';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { createApiValidationPipe } from '../http/api-validation.pipe';
import { ApiErrors, PageQueryDto, pageRequestOf } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { idempotencyKeyOf } from '../jobs/job-submission';
import { UploadRoute } from '../jobs/upload-route';
import { batchRequestHashOf, readBatchSubmission, type BatchLimits } from './batch-submission';
import {
  BatchIdParams,
  BatchPageDto,
  BatchViewDto,
  CreateBatchDto,
  CreatedBatchDto,
  UploadBatchDto,
} from './batches.dto';

/**
 * Batches: many transcripts submitted at once (each stored in the blob store here, so only
 * references travel to jobs), and their per-item status. Another user's batch answers 404.
 */
@ApiTags('batches')
@ApiBearerAuth()
@Controller()
export class BatchesController {
  private readonly blobs: BlobStore;
  private readonly validation = createApiValidationPipe();
  private readonly limits: BatchLimits;

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.blobs = new LocalBlobStore(config.BLOB_ROOT);
    this.limits = { maxItems: config.BATCH_MAX_ITEMS, maxTotalBytes: config.BATCH_LIMIT_BYTES };
  }

  @Post('jobs/batch')
  @HttpCode(202)
  @UploadRoute()
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Submit several transcripts at once, one job each, under one profile version',
    description:
      'JSON with the transcripts inline in `items` (the whole body up to the upload limit), or ' +
      'multipart/form-data with one part named `file` per transcript (each up to the upload limit, ' +
      'all together up to BATCH_LIMIT_BYTES) and the other fields as text parts. At most BATCH_MAX_ITEMS ' +
      '(100) transcripts. All jobs are created or none; an error names the failing item by its index. ' +
      'A transcript that cannot be parsed fails its own job only. With an `Idempotency-Key`, the same ' +
      'request again answers the same batch; another request under the same key answers 409.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(CreateBatchDto) } },
        'multipart/form-data': { schema: { $ref: getSchemaPath(UploadBatchDto) } },
      },
    },
  })
  @ApiExtraModels(CreateBatchDto, UploadBatchDto)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1 to 255 printable ASCII characters, kept per user',
  })
  @ApiAcceptedResponse({ type: CreatedBatchDto, description: 'Queued (or the earlier batch of this key)' })
  @ApiErrors(401, 403, 404, 409, 413)
  async create(@Req() request: FastifyRequest, @Caller() caller: CallContext): Promise<CreatedBatchDto> {
    const idempotencyKey = idempotencyKeyOf(request);
    const submission = await readBatchSubmission(request, this.blobs, this.validation, this.limits);
    const { fields, items } = submission;
    const body: CreateBatchRequest = {
      profile: fields.profile,
      ...(fields.profile_version === undefined ? {} : { profile_version: fields.profile_version }),
      ...(fields.meeting_date === undefined ? {} : { meeting_date: fields.meeting_date }),
      items: items.map((item) => ({
        input: { uri: item.input.uri, sha256: item.input.sha256, size: item.input.size },
        ...(item.filename === undefined ? {} : { filename: item.filename }),
        ...(item.format === undefined ? {} : { format: item.format }),
      })),
      request_hash: batchRequestHashOf(submission),
      ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
    };
    const created = await this.services.call<CreateBatchResponse>(BatchesRpc.create, body, caller);
    return { batch_id: created.batch_id, job_ids: [...created.job_ids] };
  }

  @Get('batches')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'My batches, newest first, each with its per-item status and counts' })
  @ApiOkResponse({ type: BatchPageDto })
  @ApiErrors(401, 403)
  list(@Query() query: PageQueryDto, @Caller() caller: CallContext) {
    return this.services.call<Page<BatchView>>(BatchesRpc.list, pageRequestOf(query), caller);
  }

  @Get('batches/:id')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: 'A batch: per-item status, counts and the derived status',
    description:
      'status is running while any job is queued or running; then completed (all completed), ' +
      'partially_failed (some completed), failed (none completed, some failed) or cancelled.',
  })
  @ApiOkResponse({ type: BatchViewDto })
  @ApiErrors(401, 403, 404)
  get(@Param() params: BatchIdParams, @Caller() caller: CallContext) {
    return this.services.call<BatchView>(BatchesRpc.get, { batch_id: params.id }, caller);
  }
}
