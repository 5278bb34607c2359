import { Module } from '@nestjs/common';
import { ExportRepository } from './export.repository';
import { ExportService } from './export.service';
import { ExportsController } from './exports.controller';

/** Exports on `rpc:artifacts`; registers their files through ArtifactModule's ArtifactService. */
@Module({
  controllers: [ExportsController],
  providers: [ExportRepository, ExportService],
})
export class ExportModule {}
