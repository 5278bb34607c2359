import { Module, type DynamicModule } from '@nestjs/common';
import { JobsConfig } from '../config';
import { JobRepository } from './job.repository';
import { JobScheduler } from './job.scheduler';
import { JobService } from './job.service';
import { JobsController } from './jobs.controller';
import { ProfilesClient } from './profiles.client';

/**
 * Jobs on `rpc:jobs`, with their retry and watchdog scheduler. Needs DataServiceModule. Global,
 * so other slices of the service (batches) use its one create path (`JobService.createJobs`).
 */
@Module({})
export class JobModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: JobModule,
      global: true,
      controllers: [JobsController],
      providers: [
        { provide: JobsConfig, useValue: config },
        JobRepository,
        JobService,
        JobScheduler,
        ProfilesClient,
      ],
      exports: [JobsConfig, JobService],
    };
  }
}
