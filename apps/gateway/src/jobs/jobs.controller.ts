import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReplaySubject } from 'rxjs';
import type {
  CreateJobRequest,
  CreateJobResponse,
  JobView,
  ListJobsRequest,
  Page,
} from '@scriptripper/contracts';
import { JobsRpc, Scopes as Scope } from '@scriptripper/contracts';
import { LocalBlobStore, type BlobStore } from '@scriptripper/blob-store';
import { Scopes } from '../access/access.decorators';
import { Caller } from '../access/request-actor';
import { GatewayConfig } from '../config';
import { createApiValidationPipe } from '../http/api-validation.pipe';
import { ApiErrors, pageRequestOf } from '../http/common.dto';
import { ServiceCaller, type CallContext } from '../http/service-caller';
import { JobEventsFeed, type JobStatusUpdate } from './job-events.feed';
import { JobStatusStream } from './job-status.stream';
import { idempotencyKeyOf, readJobSubmission, requestHashOf } from './job-submission';
import {
  CreatedJobDto,
  CreateJobDto,
  JobIdParams,
  JobPageDto,
  JobStatusEventDto,
  JobViewDto,
  ListJobsQueryDto,
  UploadJobDto,
} from './jobs.dto';
import { UploadRoute } from './upload-route';

/**
 * The user's analysis jobs: submit a transcript (stored in the blob store here, so only its
 * reference travels to the jobs service), list, read, cancel, and follow a job's status live.
 * Another user's job answers 404, as the jobs service does.
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController implements OnModuleDestroy {
  private readonly blobs: BlobStore;
  private readonly validation = createApiValidationPipe();

  constructor(
    private readonly services: ServiceCaller,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
    // The one fan-out read of the instance, shared with the all-jobs stream.
    private readonly feed: JobEventsFeed,
  ) {
    this.blobs = new LocalBlobStore(config.BLOB_ROOT);
  }

  /** Before the HTTP server closes: ends every open event stream, which would otherwise hold it open. */
  onModuleDestroy(): Promise<void> {
    return this.feed.close();
  }

  @Post()
  @HttpCode(202)
  @UploadRoute()
  @Scopes(Scope.jobsWrite)
  @ApiOperation({
    summary: 'Submit a transcript for analysis',
    description:
      'JSON with the transcript inline, or multipart/form-data with the transcript as the `file` part ' +
      'and the other fields as text parts (better for large files). Either way the transcript may be up ' +
      'to the upload limit (UPLOAD_LIMIT_BYTES, 20 MiB by default; for JSON the whole body counts); ' +
      'larger answers 413. With an `Idempotency-Key`, the same request again answers the same job; ' +
      'another request under the same key answers 409.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(CreateJobDto) } },
        'multipart/form-data': { schema: { $ref: getSchemaPath(UploadJobDto) } },
      },
    },
  })
  @ApiExtraModels(CreateJobDto, UploadJobDto)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1 to 255 printable ASCII characters, kept per user',
  })
  @ApiAcceptedResponse({ type: CreatedJobDto, description: 'Queued (or the earlier job of this key)' })
  @ApiErrors(401, 402, 403, 404, 409, 413)
  async create(@Req() request: FastifyRequest, @Caller() caller: CallContext): Promise<CreatedJobDto> {
    const idempotencyKey = idempotencyKeyOf(request);
    const submission = await readJobSubmission(request, this.blobs, this.validation);
    const { fields, input } = submission;
    const body: CreateJobRequest = {
      profile: fields.profile,
      ...(fields.profile_version === undefined ? {} : { profile_version: fields.profile_version }),
      ...(fields.format === undefined ? {} : { format: fields.format }),
      ...(fields.filename === undefined ? {} : { filename: fields.filename }),
      ...(fields.meeting_date === undefined ? {} : { meeting_date: fields.meeting_date }),
      input: { uri: input.uri, sha256: input.sha256, size: input.size },
      request_hash: requestHashOf(submission),
      ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
    };
    const created = await this.services.call<CreateJobResponse>(JobsRpc.create, body, caller);
    return { job_id: created.job_id };
  }

  @Get()
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'My jobs, newest first; filters: status, profile, batch, creation time' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiErrors(401, 403)
  list(@Query() query: ListJobsQueryDto, @Caller() caller: CallContext) {
    const { status, profile, batch_id, created_from, created_to } = query;
    const filters = { status, profile, batch_id, created_from, created_to };
    const request: ListJobsRequest = {
      ...pageRequestOf(query),
      ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
    };
    return this.services.call<Page<JobView>>(JobsRpc.list, request, caller);
  }

  @Get(':id')
  @Scopes(Scope.jobsRead)
  @ApiOperation({ summary: 'A job: status, attempts, metrics, cost, error' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiErrors(401, 403, 404)
  get(@Param() params: JobIdParams, @Caller() caller: CallContext) {
    return this.services.call<JobView>(JobsRpc.get, { job_id: params.id }, caller);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes(Scope.jobsWrite)
  @ApiOperation({ summary: 'Cancel a job that has not finished; a finished one answers 409' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiErrors(401, 403, 404, 409)
  cancel(@Param() params: JobIdParams, @Caller() caller: CallContext) {
    return this.services.call<JobView>(JobsRpc.cancel, { job_id: params.id }, caller);
  }

  @Get(':id/events')
  @Scopes(Scope.jobsRead)
  @ApiOperation({
    summary: "A job's status as Server-Sent Events",
    description:
      'Events named `status` with the data below: the current status first, then each change as it ' +
      'happens; `: heartbeat` comments keep the connection open. The stream ends after a terminal ' +
      'status (completed, failed, cancelled). A reconnecting client gets the current status again.',
  })
  @ApiExtraModels(JobStatusEventDto)
  // Only the stream is text/event-stream; refusals come before it, as JSON errors.
  @ApiResponse({
    status: 200,
    description: 'A text/event-stream of `status` events, each with this data',
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(JobStatusEventDto) } } },
  })
  @ApiErrors(401, 403, 404)
  async events(
    @Param() params: JobIdParams,
    @Caller() caller: CallContext,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Watch before reading the current status, so no change between the two is missed.
    const changes = new ReplaySubject<JobStatusUpdate>();
    const watching = (await this.feed.watch(params.id)).subscribe(changes);
    let job: JobView;
    try {
      job = await this.services.call<JobView>(JobsRpc.get, { job_id: params.id }, caller);
    } catch (error) {
      watching.unsubscribe();
      throw error;
    }
    reply.hijack();
    const stream = new JobStatusStream(reply.raw, this.config.SSE_HEARTBEAT_MS);
    reply.raw.on('close', () => watching.unsubscribe());
    stream.start(
      reply.getHeaders() as Record<string, string | number | string[]>,
      { job_id: job.id, status: job.status, attempt: job.attempts, at: job.updated_at },
      changes,
    );
  }
}
