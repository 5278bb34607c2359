import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  textOf,
  sha256Of,
  errorBodyOf,
  blobReferenceOf,
  invalid,
  JOB_STATUSES,
  JobsRpc,
  PROFILE_KEY_PATTERN,
  uuidOf,
  TRANSCRIPT_FORMATS,
  type CancelJobRequest,
  type CreateJobRequest,
  type GetJobRequest,
  type JobHeartbeatRequest,
  type JobMetrics,
  type JobStatus,
  type ListJobsRequest,
  type MarkJobCompletedRequest,
  type MarkJobFailedRequest,
  type MarkJobStartedRequest,
  type TranscriptFormatName,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { isCalendarDate } from '../shared/calendar-date';
import { answer, appendContextOf, requireReader, requireWorker, requireWriter } from '../shared/rpc-context';
import { JobService } from './job.service';

/**
 * `rpc:jobs`. Users create, read and cancel their own jobs (jobs:write / jobs:read); the worker
 * reports progress. Payloads are checked here, whatever the gateway checked before.
 */
@Controller()
export class JobsController {
  constructor(@Inject(JobService) private readonly jobs: JobService) {}

  @MessagePattern(JobsRpc.create)
  create(@Payload() data: CreateJobRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      return this.jobs.create(createRequestOf(data), owner, appendContextOf(envelope));
    });
  }

  @MessagePattern(JobsRpc.get)
  get(@Payload() data: GetJobRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.jobs.get(textOf(data?.job_id, 'job_id', 64), reader);
    });
  }

  @MessagePattern(JobsRpc.list)
  list(@Payload() data: ListJobsRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      const status = data?.status;
      if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus)) {
        throw invalid(`status must be one of ${JOB_STATUSES.join(', ')}`);
      }
      if (data?.profile !== undefined && !PROFILE_KEY_PATTERN.test(String(data.profile)))
        throw invalid('profile must be a profile key');
      if (data?.batch_id !== undefined) uuidOf(data.batch_id, 'batch_id');
      for (const name of ['created_from', 'created_to'] as const) {
        const value = data?.[name];
        if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value))))
          throw invalid(`${name} must be an ISO-8601 time`);
      }
      return this.jobs.list(data ?? {}, reader);
    });
  }

  @MessagePattern(JobsRpc.cancel)
  cancel(@Payload() data: CancelJobRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      return this.jobs.cancel(textOf(data?.job_id, 'job_id', 64), owner, appendContextOf(envelope));
    });
  }

  @MessagePattern(JobsRpc.markStarted)
  markStarted(@Payload() data: MarkJobStartedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.jobs.markStarted(
        textOf(data?.job_id, 'job_id', 64),
        attemptOf(data?.attempt),
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(JobsRpc.heartbeat)
  heartbeat(@Payload() data: JobHeartbeatRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.jobs.heartbeat(
        textOf(data?.job_id, 'job_id', 64),
        attemptOf(data?.attempt),
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(JobsRpc.markCompleted)
  markCompleted(@Payload() data: MarkJobCompletedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      const cost = data?.cost;
      if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) {
        throw invalid('cost must be a number of at least 0');
      }
      const artifactIds = data?.artifact_ids;
      if (!Array.isArray(artifactIds) || !artifactIds.every((id) => typeof id === 'string')) {
        throw invalid('artifact_ids must be a list of ids');
      }
      return this.jobs.markCompleted(
        textOf(data?.job_id, 'job_id', 64),
        { attempt: attemptOf(data?.attempt), metrics: metricsOf(data?.metrics), cost, artifactIds },
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(JobsRpc.markFailed)
  markFailed(@Payload() data: MarkJobFailedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.jobs.markFailed(
        textOf(data?.job_id, 'job_id', 64),
        attemptOf(data?.attempt),
        errorBodyOf(data?.error),
        appendContextOf(envelope),
      );
    });
  }
}

function createRequestOf(data: CreateJobRequest | undefined): CreateJobRequest {
  const format = data?.format;
  if (format !== undefined && !TRANSCRIPT_FORMATS.includes(format)) {
    throw invalid(`format must be one of ${TRANSCRIPT_FORMATS.join(', ')}`);
  }
  const version = data?.profile_version;
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
    throw invalid('profile_version must be a positive integer');
  }
  const meetingDate = data?.meeting_date;
  if (meetingDate !== undefined && !isCalendarDate(meetingDate)) {
    throw invalid('meeting_date must be a date YYYY-MM-DD that exists');
  }
  const requestHash = sha256Of(data?.request_hash, 'request_hash');
  return {
    profile: textOf(data?.profile, 'profile', 63),
    input: blobReferenceOf(data?.input, 'input'),
    request_hash: requestHash,
    ...(version === undefined ? {} : { profile_version: version }),
    ...(format === undefined ? {} : { format: format as TranscriptFormatName }),
    ...(data?.filename === undefined ? {} : { filename: textOf(data.filename, 'filename', 255) }),
    ...(meetingDate === undefined ? {} : { meeting_date: meetingDate }),
    ...(data?.idempotency_key === undefined
      ? {}
      : { idempotency_key: textOf(data.idempotency_key, 'idempotency_key', 255) }),
  };
}

function metricsOf(value: unknown): JobMetrics {
  const metrics = value as Record<string, unknown> | undefined;
  const fields = ['duration_ms', 'words', 'segments', 'speakers', 'tokens'] as const;
  if (typeof metrics !== 'object' || metrics === null) throw invalid('metrics must be an object');
  const counted = Object.fromEntries(
    fields.map((field) => {
      const figure = metrics[field] ?? null;
      if (figure !== null && !(typeof figure === 'number' && Number.isFinite(figure) && figure >= 0)) {
        throw invalid(`metrics.${field} must be a number of at least 0, or null`);
      }
      return [field, figure];
    }),
  ) as Record<(typeof fields)[number], number | null>;
  return { ...counted, ...llmMetricsOf(metrics) };
}

/** The optional figures LLM providers add: dropped items, token split, who answered. */
function llmMetricsOf(metrics: Record<string, unknown>): Partial<JobMetrics> {
  const extra: Record<string, number | string | null> = {};
  for (const field of ['dropped_items', 'input_tokens', 'output_tokens'] as const) {
    const figure = metrics[field];
    if (figure === undefined) continue;
    if (!(typeof figure === 'number' && Number.isInteger(figure) && figure >= 0)) {
      throw invalid(`metrics.${field} must be a whole number of at least 0`);
    }
    extra[field] = figure;
  }
  if (metrics['provider'] !== undefined) {
    extra['provider'] = textOf(metrics['provider'], 'metrics.provider', 40);
  }
  if (metrics['model'] !== undefined) {
    extra['model'] = metrics['model'] === null ? null : textOf(metrics['model'], 'metrics.model', 200);
  }
  return extra;
}

function attemptOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid('attempt must be a positive integer');
  }
  return value;
}
