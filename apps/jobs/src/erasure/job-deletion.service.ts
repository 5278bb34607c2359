import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ErrorCodes, notFound, type Actor } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { JobRecord } from '../job/job.entity';
import { JobRepository } from '../job/job.repository';
import { JobDataErasure } from './job-data-erasure';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deleting a job: one append on the job's stream (JobCancelled first when it has not finished,
 * then JobDeleted, bound for `events:jobs`), whose transaction also deletes every slice's rows of
 * the job (the jobs row itself through the projection). Artifacts deletes the job's artifacts and
 * blobs when it sees JobDeleted. Only the owner deletes; anyone else learns nothing (NOT_FOUND).
 */
@Injectable()
export class JobDeletion {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobDataErasure) private readonly erasure: JobDataErasure,
  ) {}

  async delete(jobId: string, owner: Actor, context: AppendContext, at = new Date()): Promise<void> {
    const record = UUID.test(jobId) ? await this.em.fork().findOne(JobRecord, { id: jobId }) : null;
    if (!record || record.userId !== owner.id) throw notFound(`no job ${jobId}`);
    const job = { jobId, userId: record.userId };
    try {
      await this.jobs.execute(
        jobId,
        context,
        { type: 'DeleteJob', at: at.toISOString() },
        { project: (em) => this.erasure.eraseJob(em, job) },
      );
    } catch (error) {
      // A concurrent delete won: the job is as gone for this caller as for any other.
      if (error instanceof DomainError && error.code === ErrorCodes.conflict) {
        throw notFound(`no job ${jobId}`);
      }
      throw error;
    }
  }
}
