import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  isUuid,
  ArtifactEvents,
  IdentityEvents,
  invalid,
  LifecycleRpc,
  type ArtifactExpiredEvent,
  type DeleteBatchRequest,
  type DeleteJobRequest,
  type MessageEnvelope,
  type UserPurgedEvent,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { TranscriptExpiryHandler } from '../retention/transcript-expiry.handler';
import { answer, appendContextOf, requireWriter } from '../shared/rpc-context';
import { BatchDeletion } from './batch-deletion.service';
import { JobDeletion } from './job-deletion.service';
import { JobsUserPurgeHandler } from './user-purge.handler';

/**
 * Lifecycle entry points of jobs: the owner deletes a job (`rpc:jobs`); a purged user's data and an
 * expired transcript arrive as other services' events (`events:auth`, `events:artifacts`).
 */
@Controller()
export class LifecycleController {
  constructor(
    @Inject(JobDeletion) private readonly deletion: JobDeletion,
    @Inject(BatchDeletion) private readonly batchDeletion: BatchDeletion,
    @Inject(JobsUserPurgeHandler) private readonly purges: JobsUserPurgeHandler,
    @Inject(TranscriptExpiryHandler) private readonly expiries: TranscriptExpiryHandler,
  ) {}

  @MessagePattern(LifecycleRpc.deleteJob)
  delete(@Payload() data: DeleteJobRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () => {
      const owner = requireWriter(envelope.actor);
      const jobId = data?.job_id;
      if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 64) {
        throw invalid('job_id must be a non-empty string of at most 64 characters');
      }
      await this.deletion.delete(jobId, owner, appendContextOf(envelope));
      return { deleted: true };
    });
  }

  @MessagePattern(LifecycleRpc.deleteBatch)
  deleteBatch(@Payload() data: DeleteBatchRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () => {
      const owner = requireWriter(envelope.actor);
      const batchId = data?.batch_id;
      if (typeof batchId !== 'string' || batchId.length === 0 || batchId.length > 64) {
        throw invalid('batch_id must be a non-empty string of at most 64 characters');
      }
      await this.batchDeletion.delete(batchId, owner, appendContextOf(envelope));
      return { deleted: true };
    });
  }

  @EventPattern(IdentityEvents.userPurged)
  userPurged(@Payload() _data: unknown, @Ctx() ctx: RedisStreamsContext): Promise<void> {
    const envelope = ctx.getEnvelope() as MessageEnvelope<UserPurgedEvent>;
    requireUuid(envelope.data?.user_id, 'UserPurged.user_id');
    return this.purges.handle(envelope);
  }

  @EventPattern(ArtifactEvents.expired)
  artifactExpired(@Payload() _data: unknown, @Ctx() ctx: RedisStreamsContext): Promise<void> {
    const envelope = ctx.getEnvelope() as MessageEnvelope<ArtifactExpiredEvent>;
    requireUuid(envelope.data?.job_id, 'ArtifactExpired.job_id');
    return this.expiries.handle(envelope);
  }
}

/** A malformed event from a peer is a bug there: it fails here and ends in the DLQ with the reason. */
function requireUuid(value: unknown, name: string): void {
  if (!isUuid(value)) throw new Error(`${name} must be a UUID`);
}
