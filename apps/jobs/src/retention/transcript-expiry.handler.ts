import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCodes,
  retentionClassOf,
  serviceActor,
  type ArtifactExpiredEvent,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import { appendContextOf } from '@scriptripper/service-runtime';
import { JobRepository } from '../job/job.repository';

/**
 * ArtifactExpired (from `events:artifacts`): when a job's upload or normalised transcript expired,
 * the job records JobTranscriptExpired on its own stream (once: the aggregate refuses nothing and
 * records nothing the second time, so a redelivery or the second of the two artifacts changes
 * nothing), and its projection sets `transcript_expired_at`, so a rebuilt read model keeps it and
 * custom prompts on the job answer 410. A deleted or unknown job has nothing to record.
 */
@Injectable()
export class TranscriptExpiryHandler {
  constructor(@Inject(JobRepository) private readonly jobs: JobRepository) {}

  async handle(envelope: MessageEnvelope<ArtifactExpiredEvent>): Promise<void> {
    const expired = envelope.data;
    if (retentionClassOf(expired.kind) !== 'transcript') return;
    try {
      await this.jobs.execute(
        expired.job_id,
        { ...appendContextOf(envelope), actor: serviceActor('jobs') },
        { type: 'RecordTranscriptExpired', at: expired.at },
      );
    } catch (error) {
      const gone =
        error instanceof DomainError &&
        (error.code === ErrorCodes.notFound || error.code === ErrorCodes.conflict);
      if (!gone) throw error;
    }
  }
}
