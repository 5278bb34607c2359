import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  gone,
  notFound,
  TERMINAL_JOB_STATUSES,
  type Actor,
  type RerunJobRequest,
  type RerunJobResponse,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { JobRecord } from '../job/job.entity';
import { JobService } from '../job/job.service';

/**
 * Re-runs a job: a new job over the same input blob and settings, with the same profile at the
 * version asked for (the original's by default), naming the original (`rerun_of`). It goes
 * through the one create path, so quotas count it as any new job.
 */
@Injectable()
export class RerunService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobService) private readonly jobs: JobService,
  ) {}

  async rerun(request: RerunJobRequest, owner: Actor, context: AppendContext): Promise<RerunJobResponse> {
    const original = await this.em.fork().findOne(JobRecord, { id: request.job_id });
    if (!original || original.userId !== owner.id) throw notFound(`no job ${request.job_id}`);
    if (!TERMINAL_JOB_STATUSES.includes(original.status)) {
      throw conflict(`job ${original.id} is ${original.status}; re-run it once it has ended`);
    }
    if (original.transcriptExpiredAt) {
      throw gone(
        `the transcript of job ${original.id} expired under the retention policy; it cannot be re-run`,
      );
    }
    const profile = await this.jobs.pinProfile(
      original.profileKey,
      request.profile_version ?? original.profileVersion,
      context,
    );
    const jobId = randomUUID();
    await this.jobs.createJobs(
      [
        {
          jobId,
          input: { uri: original.inputUri, sha256: original.inputSha256, size: Number(original.inputSize) },
          format: original.format,
          filename: original.filename,
          meetingDate: original.meetingDate,
          batchId: null,
          rerunOf: original.id,
        },
      ],
      owner,
      profile,
      context,
    );
    return { job_id: jobId };
  }
}
