import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  isUuid,
  IdentityEvents,
  JOB_DELETED,
  JobEvents,
  type JobDeletedEvent,
  type UserPurgedEvent,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { ArtifactErasure, type CreatedJob } from './artifact-erasure.service';

const BLOB_URI = /^blob:\/\/sha256\/[0-9a-f]{64}$/;

/**
 * Other services' events that change which artifacts a job keeps: JobCreated and JobDeleted from
 * `events:jobs`, UserPurged from `events:auth`. A malformed event is a bug in its sender: it fails
 * here and ends in the DLQ with the reason.
 */
@Controller()
export class LifecycleEventsController {
  constructor(@Inject(ArtifactErasure) private readonly erasure: ArtifactErasure) {}

  @EventPattern(JobEvents.created)
  jobCreated(@Payload() data: CreatedJob, @Ctx() ctx: RedisStreamsContext): Promise<void> {
    requireUuid(data?.job_id, 'JobCreated.job_id');
    requireUuid(data?.user_id, 'JobCreated.user_id');
    if (typeof data.input?.uri !== 'string' || !BLOB_URI.test(data.input.uri)) {
      throw new Error('JobCreated.input must be a blob reference');
    }
    return this.erasure.registerUpload(data, ctx.getEnvelope());
  }

  @EventPattern(JOB_DELETED)
  jobDeleted(@Payload() data: JobDeletedEvent, @Ctx() ctx: RedisStreamsContext): Promise<void> {
    requireUuid(data?.job_id, 'JobDeleted.job_id');
    return this.erasure.eraseJob(data.job_id, ctx.getEnvelope());
  }

  @EventPattern(IdentityEvents.userPurged)
  userPurged(@Payload() data: UserPurgedEvent, @Ctx() ctx: RedisStreamsContext): Promise<void> {
    requireUuid(data?.user_id, 'UserPurged.user_id');
    return this.erasure.eraseUser(data.user_id, ctx.getEnvelope());
  }
}

function requireUuid(value: unknown, name: string): void {
  if (!isUuid(value)) throw new Error(`${name} must be a UUID`);
}
