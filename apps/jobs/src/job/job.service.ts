import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  isUuid,
  conflict,
  notFound,
  type Actor,
  type BlobReference,
  type CreateJobRequest,
  type CreateJobResponse,
  type JobMetrics,
  type JobView,
  type ListJobsRequest,
  type Page,
  type ResolvedProfile,
  type TranscriptFormatName,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { JobsConfig } from '../config';
import { QuotaService } from '../quota/quota.service';
import { IdempotencyKey } from './idempotency-key.entity';
import type { JobCommand } from './job.aggregate';
import { JobRecord } from './job.entity';
import type { JobError } from './job.events';
import { JobRepository } from './job.repository';
import { ProfilesClient } from './profiles.client';

/** One job of a create request, under the request's pinned profile version. */
export interface NewJob {
  readonly jobId: string;
  readonly input: BlobReference;
  readonly format: TranscriptFormatName | null;
  readonly filename: string | null;
  readonly meetingDate: string | null;
  readonly batchId: string | null;
  /** The job this one re-runs (RerunService), if any. */
  readonly rerunOf?: string | null;
}

/** Job commands (through the aggregate) and queries (on the read model). Callers are authorised already. */
@Injectable()
export class JobService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(ProfilesClient) private readonly profiles: ProfilesClient,
    @Inject(JobsConfig) private readonly config: JobsConfig,
    @Inject(QuotaService) private readonly quota: QuotaService,
  ) {}

  /**
   * Pins the profile version, then appends JobCreated + JobQueued with their work message. With
   * an idempotency key, the key's row is written in the same transaction: a concurrent create
   * with the same key collides on its primary key and answers the winner's job instead.
   */
  async create(request: CreateJobRequest, owner: Actor, context: AppendContext): Promise<CreateJobResponse> {
    const key = request.idempotency_key;
    if (key !== undefined) {
      const earlier = await this.replay(owner.id, key, request.request_hash);
      if (earlier) return earlier;
    }
    const profile = await this.pinProfile(request.profile, request.profile_version, context);
    const jobId = randomUUID();
    const at = new Date();
    try {
      await this.createJobs(
        [
          {
            jobId,
            input: request.input,
            format: request.format ?? null,
            filename: request.filename ?? null,
            meetingDate: request.meeting_date ?? null,
            batchId: null,
          },
        ],
        owner,
        profile,
        context,
        key === undefined
          ? undefined
          : async (em) => {
              await em.insert(IdempotencyKey, {
                userId: owner.id,
                key,
                requestHash: request.request_hash,
                jobId,
                createdAt: at,
              });
            },
      );
    } catch (error) {
      if (key === undefined || !(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.replay(owner.id, key, request.request_hash);
      if (!winner) throw error;
      return winner;
    }
    return { job_id: jobId, replayed: false };
  }

  /** The profile version every job of a request runs: the one asked for, or the profile's default. */
  pinProfile(key: string, version: number | undefined, context: AppendContext): Promise<ResolvedProfile> {
    return this.profiles.resolve({ key, ...(version === undefined ? {} : { version }) }, context);
  }

  /**
   * The one path by which jobs come to be, alone (`create`) or as a batch (`BatchService`):
   * each job's JobCreated + JobQueued with its work message, then `alsoWrite` (an idempotency
   * key, the batch's own events), all in ONE transaction, so either every one of them exists
   * or none does. Checks that hold for every new job (quotas) belong here, before the
   * transaction: `jobs` are all the jobs of the request, so a batch of N is checked as N.
   */
  async createJobs(
    jobs: readonly NewJob[],
    owner: Actor,
    profile: ResolvedProfile,
    context: AppendContext,
    alsoWrite?: (em: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.quota.checkSubmission(
      owner,
      jobs.map((job) => job.input.size),
    );
    const now = new Date();
    const at = now.toISOString();
    await this.em.transactional(async (em) => {
      for (const job of jobs) {
        await this.jobs.execute(job.jobId, context, {
          type: 'CreateJob',
          jobId: job.jobId,
          userId: owner.id,
          userRole: owner.role === 'admin' ? 'admin' : 'user',
          profile: { id: profile.profile_id, key: profile.key, version: profile.version },
          input: job.input,
          format: job.format,
          filename: job.filename,
          meetingDate: job.meetingDate,
          batchId: job.batchId,
          rerunOf: job.rerunOf ?? null,
          at,
        });
      }
      await alsoWrite?.(em);
      // After the idempotency key, so a same-key duplicate is answered as a replay, not refused.
      await this.quota.enforceDailyJobs(em, owner, now, jobs.length);
    });
  }

  async get(jobId: string, reader: Actor): Promise<JobView> {
    return viewOf(await this.findVisible(jobId, reader));
  }

  /** The reader's own jobs, newest first. */
  async list(request: ListJobsRequest, reader: Actor): Promise<Page<JobView>> {
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const where: Record<string, unknown> = { userId: reader.id };
    if (request.status !== undefined) where['status'] = request.status;
    if (request.profile !== undefined) where['profileKey'] = request.profile;
    if (request.batch_id !== undefined) where['batchId'] = request.batch_id;
    const created = {
      ...(request.created_from === undefined ? {} : { $gte: new Date(request.created_from) }),
      ...(request.created_to === undefined ? {} : { $lt: new Date(request.created_to) }),
    };
    if (Object.keys(created).length > 0) where['createdAt'] = created;
    if (after) {
      const [createdAt, id] = after as [string, string];
      where['$or'] = [
        { createdAt: { $lt: new Date(createdAt) } },
        { createdAt: new Date(createdAt), id: { $lt: id } },
      ];
    }
    const found = await this.em.fork().find(JobRecord, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(viewOf),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async cancel(jobId: string, reader: Actor, context: AppendContext): Promise<JobView> {
    const record = await this.findVisible(jobId, reader);
    if (record.userId !== reader.id) throw notFound(`no job ${jobId}`);
    return this.execute(jobId, context, { type: 'CancelJob', at: new Date().toISOString() });
  }

  markStarted(jobId: string, attempt: number, context: AppendContext): Promise<JobView> {
    return this.execute(jobId, context, { type: 'MarkStarted', attempt, at: new Date().toISOString() });
  }

  /** The worker's heartbeat for a running attempt (see `JobProgressed`). */
  heartbeat(jobId: string, attempt: number, context: AppendContext): Promise<JobView> {
    return this.execute(jobId, context, { type: 'Heartbeat', attempt, at: new Date().toISOString() });
  }

  markCompleted(
    jobId: string,
    report: { attempt: number; metrics: JobMetrics; cost: number; artifactIds: readonly string[] },
    context: AppendContext,
  ): Promise<JobView> {
    return this.execute(jobId, context, {
      type: 'MarkCompleted',
      ...report,
      at: new Date().toISOString(),
    });
  }

  /** A retryable failure with attempts left is retried after 2^(attempt-1) times the base backoff. */
  markFailed(jobId: string, attempt: number, error: JobError, context: AppendContext): Promise<JobView> {
    const now = Date.now();
    const backoff = this.config.JOB_RETRY_BACKOFF_MS * 2 ** Math.min(attempt - 1, 10);
    return this.execute(jobId, context, {
      type: 'MarkFailed',
      attempt,
      error,
      maxAttempts: this.config.JOB_MAX_ATTEMPTS,
      retryAt: new Date(now + backoff).toISOString(),
      at: new Date(now).toISOString(),
    });
  }

  private async execute(jobId: string, context: AppendContext, command: JobCommand): Promise<JobView> {
    if (!isUuid(jobId)) throw notFound(`no job ${jobId}`);
    await this.jobs.execute(jobId, context, command);
    const record = await this.em.fork().findOne(JobRecord, { id: jobId });
    if (!record) throw notFound(`no job ${jobId}`);
    return viewOf(record);
  }

  /** Another user's job answers NOT_FOUND, as one that does not exist: its existence is not theirs to learn. */
  private async findVisible(jobId: string, reader: Actor): Promise<JobRecord> {
    const record = isUuid(jobId) ? await this.em.fork().findOne(JobRecord, { id: jobId }) : null;
    if (!record || (record.userId !== reader.id && reader.role !== 'admin'))
      throw notFound(`no job ${jobId}`);
    return record;
  }

  private async replay(userId: string, key: string, requestHash: string): Promise<CreateJobResponse | null> {
    const earlier = await this.em.fork().findOne(IdempotencyKey, { userId, key });
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw conflict('this Idempotency-Key was used with a different request');
    }
    return { job_id: earlier.jobId, replayed: true };
  }
}

export function viewOf(record: JobRecord): JobView {
  return {
    id: record.id,
    user_id: record.userId,
    profile_id: record.profileId,
    profile_key: record.profileKey,
    profile_version: record.profileVersion,
    status: record.status,
    input_uri: record.inputUri,
    format: record.format,
    filename: record.filename,
    meeting_date: record.meetingDate,
    attempts: record.attempts,
    metrics: record.metrics,
    cost: record.cost,
    // `openai:gpt-4o-mini` or `offline`; jobs completed before providers were recorded have none.
    provider: record.metrics?.provider
      ? [record.metrics.provider, record.metrics.model].filter(Boolean).join(':')
      : null,
    error: record.error,
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
    completed_at: record.completedAt?.toISOString() ?? null,
    batch_id: record.batchId,
    rerun_of: record.rerunOf,
    transcript_expired_at: record.transcriptExpiredAt?.toISOString() ?? null,
  };
}
