import { Module, type DynamicModule } from '@nestjs/common';
import { JobsConfig } from '../config';
import { JobRepository } from '../job/job.repository';
import { StuckJobsController } from './stuck-jobs.controller';
import { StuckJobsService } from './stuck-jobs.service';

/** Operators' stuck-jobs RPCs. Its own repository instance (stateless): it needs only the event store. */
@Module({})
export class StuckJobsModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: StuckJobsModule,
      controllers: [StuckJobsController],
      providers: [{ provide: JobsConfig, useValue: config }, JobRepository, StuckJobsService],
    };
  }
}
