import { Inject, Injectable } from '@nestjs/common';
import {
  LifecycleConsumers,
  retentionClassOf,
  type ArtifactExpiredEvent,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import { Inbox } from '@scriptripper/event-store';
import { JobRecord } from '../job/job.entity';

/**
 * ArtifactExpired (from `events:artifacts`), once through the inbox: when a job's upload or
 * normalised transcript expired, its `jobs` row says since when (`transcript_expired_at`), so a
 * custom prompt on it answers 410. The first expiry of the two is the one kept.
 */
@Injectable()
export class TranscriptExpiryHandler {
  constructor(@Inject(Inbox) private readonly inbox: Inbox) {}

  async handle(envelope: MessageEnvelope<ArtifactExpiredEvent>): Promise<void> {
    const expired = envelope.data;
    if (retentionClassOf(expired.kind) !== 'transcript') return;
    await this.inbox.handleOnce(LifecycleConsumers.jobsArtifactExpired, envelope.id, async (em) => {
      await em.nativeUpdate(
        JobRecord,
        { id: expired.job_id, transcriptExpiredAt: null },
        { transcriptExpiredAt: new Date(expired.at) },
      );
    });
  }
}
