import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { ArtifactRepository } from '../artifact/artifact.repository';
import { BLOB_STORE } from '../artifact/artifact.service';
import type { ArtifactsConfig } from '../config';
import { RETENTION_POLICY, RetentionSweep } from '../retention/retention-sweep';
import { RETENTION_SWEEP_INTERVAL, RetentionScheduler } from '../retention/retention.scheduler';
import { ArtifactErasure } from './artifact-erasure.service';
import { LifecycleEventsController } from './lifecycle-events.controller';
import { UserArtifactsController } from './user-artifacts.controller';

/** Retention sweep, job and user erasure, the user's artifacts for their export. Needs DataServiceModule. */
@Module({})
export class LifecycleModule {
  static register(config: ArtifactsConfig): DynamicModule {
    return {
      module: LifecycleModule,
      controllers: [LifecycleEventsController, UserArtifactsController],
      providers: [
        ArtifactRepository,
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        {
          provide: RETENTION_POLICY,
          useValue: {
            transcriptDays: config.RETENTION_TRANSCRIPT_DAYS,
            outputDays: config.RETENTION_OUTPUT_DAYS,
            blobGraceSeconds: config.RETENTION_BLOB_GRACE_SECONDS,
          },
        },
        { provide: RETENTION_SWEEP_INTERVAL, useValue: config.RETENTION_SWEEP_INTERVAL_MS },
        RetentionSweep,
        RetentionScheduler,
        ArtifactErasure,
      ],
      exports: [RetentionSweep],
    };
  }
}
