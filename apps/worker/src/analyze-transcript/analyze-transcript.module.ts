import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { ANALYSIS_PROVIDER } from '../analysis/analysis-provider';
import { configuredAnalysisProvider } from '../analysis/configured-providers';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { OutputSchemaValidator } from '../results/output-schema.validator';
import { AnalysisWorkController } from './analysis-work.controller';
import { AnalyzeTranscriptHandler, BLOB_STORE } from './analyze-transcript.handler';

/** The analysis of one transcript per work message, through the configured provider (offline by default). */
@Module({})
export class AnalyzeTranscriptModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: AnalyzeTranscriptModule,
      controllers: [AnalysisWorkController],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        { provide: ANALYSIS_PROVIDER, useValue: configuredAnalysisProvider(config) },
        { provide: OutputSchemaValidator, useValue: new OutputSchemaValidator() },
        PeerClient,
        AnalyzeTranscriptHandler,
      ],
    };
  }
}
