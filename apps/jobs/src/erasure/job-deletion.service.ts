import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, DomainError, ErrorCodes, notFound, type Actor } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { JobRecord } from '../job/job.entity';
import { JobRepository } from '../job/job.repository';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { JobDataErasure } from './job-data-erasure';
import { destroyJobKeys } from './job-personal-data';

/**
 * Deleting a job: one append on the job's stream (JobCancelled first when it has not finished,
 * then JobDeleted, bound for `events:jobs`), whose transaction also deletes every slice's rows of
 * the job (the jobs row itself through the projection) and destroys the job's data key. Artifacts deletes the job's artifacts and
 * blobs when it sees JobDeleted. Only the owner deletes; anyone else learns nothing (NOT_FOUND).
 */
@Injectable()
export class JobDeletion {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobDataErasure) private readonly erasure: JobDataErasure,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
  ) {}

  async delete(jobId: string, owner: Actor, context: AppendContext, at = new Date()): Promise<void> {
    const record = isUuid(jobId) ? await this.em.fork().findOne(JobRecord, { id: jobId }) : null;
    if (!record || record.userId !== owner.id) throw notFound(`no job ${jobId}`);
    const job = { jobId, userId: record.userId };
    try {
      await this.jobs.execute(
        jobId,
        context,
        { type: 'DeleteJob', at: at.toISOString() },
        {
          project: async (em) => {
            await this.erasure.eraseJob(em, job);
            // Crypto-shredding: the file name sealed in its events can no longer be read.
            await destroyJobKeys(this.cipher, em, [jobId]);
          },
        },
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
