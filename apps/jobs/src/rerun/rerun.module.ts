import { Module } from '@nestjs/common';
import { RerunController } from './rerun.controller';
import { RerunService } from './rerun.service';

/** Re-runs on `rpc:jobs`, through JobModule's create path (JobModule is global). */
@Module({ controllers: [RerunController], providers: [RerunService] })
export class RerunModule {}
