import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { PROMPT_ANSWERER } from '../analysis/prompt-answerer';
import { BLOB_STORE } from '../analyze-transcript/analyze-transcript.handler';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { AnswerPromptController } from './answer-prompt.controller';
import { AnswerPromptHandler } from './answer-prompt.handler';
import { OfflinePromptAnswerer } from './offline-prompt-answerer';

/**
 * Custom prompts answered per `AnswerPrompt` work message. The answerer is the offline BM25 one
 * unless `answerer` names another (the LLM chain, when configured).
 */
@Module({})
export class AnswerPromptModule {
  static register(
    config: WorkerConfig,
    answerer: Provider = { provide: PROMPT_ANSWERER, useClass: OfflinePromptAnswerer },
  ): DynamicModule {
    return {
      module: AnswerPromptModule,
      controllers: [AnswerPromptController],
      providers: [
        { provide: WorkerConfig, useValue: config },
        { provide: BLOB_STORE, useValue: new LocalBlobStore(config.BLOB_ROOT) },
        answerer,
        PeerClient,
        AnswerPromptHandler,
      ],
    };
  }
}
