import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  isUuid,
  batchCountsOf,
  batchStatusOf,
  conflict,
  invalid,
  JOB_EVENTS_STREAM,
  notFound,
  type Actor,
  type BatchView,
  type CreateBatchRequest,
  type CreateBatchResponse,
  type ExportSubject,
  type ListBatchesRequest,
  type Page,
} from '@scriptripper/contracts';
import { EventStore, type AppendContext } from '@scriptripper/event-store';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { JobsConfig } from '../config';
import { JobRecord } from '../job/job.entity';
import { JobService } from '../job/job.service';
import { BatchIdempotencyKey, BatchRecord } from './batch.entity';
import { BATCH_STREAM_TYPE, batchStreamId, type BatchEvent } from './batch.events';

/**
 * Batches: N jobs under one pinned profile version, created through the jobs' one create path
 * in one transaction with the batch's own stream (all or nothing); read with their jobs' statuses.
 */
@Injectable()
export class BatchService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(JobService) private readonly jobs: JobService,
    @Inject(JobsConfig) private readonly config: JobsConfig,
  ) {}

  async create(
    request: CreateBatchRequest,
    owner: Actor,
    context: AppendContext,
  ): Promise<CreateBatchResponse> {
    const max = this.config.BATCH_MAX_ITEMS;
    if (request.items.length === 0) throw invalid('items must hold at least one transcript');
    if (request.items.length > max)
      throw invalid(`a batch holds at most ${max} items, not ${request.items.length}`);
    const key = request.idempotency_key;
    if (key !== undefined) {
      const earlier = await this.replay(owner.id, key, request.request_hash);
      if (earlier) return earlier;
    }
    const profile = await this.jobs.pinProfile(request.profile, request.profile_version, context);
    const batchId = randomUUID();
    const jobIds = request.items.map(() => randomUUID());
    const at = new Date();
    const created: BatchEvent = {
      type: 'BatchCreated',
      data: {
        batch_id: batchId,
        user_id: owner.id,
        profile_key: profile.key,
        profile_version: profile.version,
        job_ids: jobIds,
        at: at.toISOString(),
      },
    };
    try {
      await this.jobs.createJobs(
        request.items.map((item, index) => ({
          jobId: jobIds[index] as string,
          input: item.input,
          format: item.format ?? null,
          filename: item.filename ?? null,
          meetingDate: request.meeting_date ?? null,
          batchId,
        })),
        owner,
        profile,
        context,
        async (em) => {
          await this.eventStore.append({
            streamId: batchStreamId(batchId),
            streamType: BATCH_STREAM_TYPE,
            expectedVersion: 'no-stream',
            events: [created],
            context,
            outbox: [{ destination: JOB_EVENTS_STREAM, event: 0 }],
          });
          if (key !== undefined) {
            await em.insert(BatchIdempotencyKey, {
              userId: owner.id,
              key,
              requestHash: request.request_hash,
              batchId,
              createdAt: at,
            });
          }
        },
      );
    } catch (error) {
      if (key === undefined || !(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.replay(owner.id, key, request.request_hash);
      if (!winner) throw error;
      return winner;
    }
    return { batch_id: batchId, job_ids: jobIds, replayed: false };
  }

  async get(batchId: string, reader: Actor): Promise<BatchView> {
    const batch = await this.findVisible(batchId, reader);
    const [view] = await this.viewsOf([batch]);
    return view as BatchView;
  }

  /** The reader's own batches, newest first. */
  async list(request: ListBatchesRequest, reader: Actor): Promise<Page<BatchView>> {
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const where: Record<string, unknown> = { userId: reader.id };
    if (after) {
      const [createdAt, id] = after as [string, string];
      where['$or'] = [
        { createdAt: { $lt: new Date(createdAt) } },
        { createdAt: new Date(createdAt), id: { $lt: id } },
      ];
    }
    const found = await this.em.fork().find(BatchRecord, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    const batches = found.slice(0, limit);
    const last = batches.at(-1);
    return {
      items: await this.viewsOf(batches),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /**
   * What an export of `id` holds: a job of the reader (it must be completed), or a batch of
   * the reader (its completed jobs, in order; at least one). Anything else is NOT_FOUND.
   */
  async exportSubject(id: string, reader: Actor): Promise<ExportSubject> {
    if (!isUuid(id)) throw notFound(`no job or batch ${id}`);
    const em = this.em.fork();
    const job = await em.findOne(JobRecord, { id });
    if (job && (job.userId === reader.id || reader.role === 'admin')) {
      if (job.status !== 'completed') {
        throw conflict(`job ${id} is ${job.status}: only a completed job can be exported`);
      }
      return { subject_type: 'job', subject_id: id, job_ids: [id] };
    }
    const batch = await em.findOne(BatchRecord, { id });
    if (!batch || (batch.userId !== reader.id && reader.role !== 'admin')) {
      throw notFound(`no job or batch ${id}`);
    }
    const completed = new Set(
      (await em.find(JobRecord, { id: { $in: batch.jobIds }, status: 'completed' })).map((row) => row.id),
    );
    const jobIds = batch.jobIds.filter((jobId) => completed.has(jobId));
    if (jobIds.length === 0) throw conflict(`batch ${id} has no completed job to export yet`);
    return { subject_type: 'batch', subject_id: id, job_ids: jobIds };
  }

  /** Batches with their jobs' current statuses (one query for all of them); deleted jobs are left out. */
  private async viewsOf(batches: readonly BatchRecord[]): Promise<BatchView[]> {
    const ids = batches.flatMap((batch) => batch.jobIds);
    const rows = ids.length === 0 ? [] : await this.em.fork().find(JobRecord, { id: { $in: ids } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return batches.map((batch) => {
      const jobs = batch.jobIds.flatMap((jobId) => byId.get(jobId) ?? []);
      const counts = batchCountsOf(jobs.map((job) => job.status));
      return {
        id: batch.id,
        user_id: batch.userId,
        profile_key: batch.profileKey,
        profile_version: batch.profileVersion,
        status: batchStatusOf(counts),
        counts,
        items: jobs.map((job) => ({ job_id: job.id, filename: job.filename, status: job.status })),
        created_at: batch.createdAt.toISOString(),
      };
    });
  }

  /** Another user's batch answers NOT_FOUND, as one that does not exist. */
  private async findVisible(batchId: string, reader: Actor): Promise<BatchRecord> {
    const batch = isUuid(batchId) ? await this.em.fork().findOne(BatchRecord, { id: batchId }) : null;
    if (!batch || (batch.userId !== reader.id && reader.role !== 'admin'))
      throw notFound(`no batch ${batchId}`);
    return batch;
  }

  private async replay(
    userId: string,
    key: string,
    requestHash: string,
  ): Promise<CreateBatchResponse | null> {
    const earlier = await this.em.fork().findOne(BatchIdempotencyKey, { userId, key });
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw conflict('this Idempotency-Key was used with a different request');
    }
    const batch = await this.em.fork().findOne(BatchRecord, { id: earlier.batchId });
    return { batch_id: earlier.batchId, job_ids: batch?.jobIds ?? [], replayed: true };
  }
}
