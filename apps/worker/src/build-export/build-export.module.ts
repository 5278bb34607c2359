import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { BuildExportController } from './build-export.controller';
import { BuildExportHandler, EXPORT_BLOB_STORE } from './build-export.handler';

/** Builds exports (ZIP + JSON with a manifest) from `BuildExport` work messages. */
@Module({})
export class BuildExportModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: BuildExportModule,
      controllers: [BuildExportController],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: EXPORT_BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        PeerClient,
        BuildExportHandler,
      ],
    };
  }
}
