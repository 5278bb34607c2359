import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  isUuid,
  BATCH_DELETED,
  DomainError,
  ErrorCodes,
  JOB_EVENTS_STREAM,
  notFound,
  type Actor,
  type BatchDeletedEvent,
} from '@scriptripper/contracts';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type Projection,
} from '@scriptripper/event-store';
import { BatchIdempotencyKey, BatchRecord } from '../batch/batch.entity';
import { BATCH_STREAM_TYPE, batchStreamId } from '../batch/batch.events';
import { JobDeletion } from './job-deletion.service';

/** The `batches` row goes with BatchDeleted (beside the batch slice's own projection of BatchCreated). */
export const batchDeletionProjection: Projection = {
  name: 'batches-deleted',
  handles: [BATCH_DELETED],
  apply: async (em, recorded) => {
    const data = recorded.data as BatchDeletedEvent;
    await em.nativeDelete(BatchIdempotencyKey, { batchId: data.batch_id });
    await em.nativeDelete(BatchRecord, { id: data.batch_id });
  },
};

/**
 * Deleting a batch: each of its jobs is deleted as one job is (cancelled first when unfinished;
 * one already deleted is passed by), then BatchDeleted is appended on the batch's stream after its
 * BatchCreated, so two deletes racing record it once and the loser answers NOT_FOUND.
 */
@Injectable()
export class BatchDeletion {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(JobDeletion) private readonly jobs: JobDeletion,
  ) {}

  async delete(batchId: string, owner: Actor, context: AppendContext, at = new Date()): Promise<void> {
    const batch = isUuid(batchId) ? await this.em.fork().findOne(BatchRecord, { id: batchId }) : null;
    if (!batch || batch.userId !== owner.id) throw notFound(`no batch ${batchId}`);
    for (const jobId of batch.jobIds) {
      try {
        await this.jobs.delete(jobId, owner, context, at);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === ErrorCodes.notFound)) throw error;
      }
    }
    const deleted: BatchDeletedEvent = {
      batch_id: batchId,
      user_id: batch.userId,
      job_ids: batch.jobIds,
      at: at.toISOString(),
    };
    try {
      await this.eventStore.append({
        streamId: batchStreamId(batchId),
        streamType: BATCH_STREAM_TYPE,
        // BatchCreated is the stream's only event until the batch is deleted.
        expectedVersion: 1,
        events: [{ type: BATCH_DELETED, data: deleted }],
        context,
        outbox: [{ destination: JOB_EVENTS_STREAM, event: 0 }],
      });
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) throw notFound(`no batch ${batchId}`);
      throw error;
    }
  }
}
