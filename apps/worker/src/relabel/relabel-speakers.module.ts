import { Module, type DynamicModule } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { BLOB_STORE } from '../analyze-transcript/analyze-transcript.handler';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { RelabelSpeakersController } from './relabel-speakers.controller';
import { RelabelSpeakersHandler } from './relabel-speakers.handler';

/** Speaker relabelling: a job's outputs re-rendered per `RelabelSpeakers` work message. */
@Module({})
export class RelabelSpeakersModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: RelabelSpeakersModule,
      controllers: [RelabelSpeakersController],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        PeerClient,
        RelabelSpeakersHandler,
      ],
    };
  }
}
