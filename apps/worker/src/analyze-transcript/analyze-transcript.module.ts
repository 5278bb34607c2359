import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { ANALYSIS_PROVIDER } from '../analysis/analysis-provider';
import { OfflineAnalysisProvider } from '../analysis/offline-analysis.provider';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { OutputSchemaValidator } from '../results/output-schema.validator';
import { AnalysisWorkController } from './analysis-work.controller';
import { AnalyzeTranscriptHandler, BLOB_STORE } from './analyze-transcript.handler';

/** The analysis of one transcript per work message, with the offline analyzer as the provider. */
@Module({})
export class AnalyzeTranscriptModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: AnalyzeTranscriptModule,
      controllers: [AnalysisWorkController],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        { provide: ANALYSIS_PROVIDER, useClass: OfflineAnalysisProvider },
        { provide: OutputSchemaValidator, useValue: new OutputSchemaValidator() },
        PeerClient,
        AnalyzeTranscriptHandler,
      ],
    };
  }
}
