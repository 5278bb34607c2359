import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { JobRepository } from '../job/job.repository';
import { TranscriptExpiryHandler } from '../retention/transcript-expiry.handler';
import { BatchDeletion } from './batch-deletion.service';
import { JobDataErasure } from './job-data-erasure';
import { JobDeletion } from './job-deletion.service';
import { jobsOwnDataEraser } from './jobs-own-data.eraser';
import { LifecycleController } from './lifecycle.controller';
import { slicesDataEraser } from './slices-data.eraser';
import { JobsUserPurgeHandler } from './user-purge.handler';

/**
 * Deleting jobs, erasing purged users' data, recording expired transcripts. Global, so every
 * slice injects `JobDataErasure` and registers the eraser of its own rows. Needs DataServiceModule
 * and PersonalDataModule.
 */
@Global()
@Module({
  controllers: [LifecycleController],
  providers: [
    BatchDeletion,
    JobDataErasure,
    JobDeletion,
    JobRepository,
    JobsUserPurgeHandler,
    TranscriptExpiryHandler,
  ],
  exports: [JobDataErasure],
})
export class LifecycleModule implements OnModuleInit {
  constructor(@Inject(JobDataErasure) private readonly erasure: JobDataErasure) {}

  onModuleInit(): void {
    this.erasure.register(jobsOwnDataEraser);
    this.erasure.register(slicesDataEraser);
  }
}
