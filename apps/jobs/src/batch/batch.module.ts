import { Module } from '@nestjs/common';
import { JobModule } from '../job/job.module';
import { BatchService } from './batch.service';
import { BatchesController } from './batches.controller';

/** Batches on `rpc:jobs`, created through JobModule's one create path. Needs DataServiceModule. */
@Module({
  imports: [JobModule],
  controllers: [BatchesController],
  providers: [BatchService],
})
export class BatchModule {}
