import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { AnalyzeTranscriptModule } from './analyze-transcript/analyze-transcript.module';
import { BuildExportModule } from './build-export/build-export.module';
import { AnswerPromptModule } from './answer-prompt/answer-prompt.module';
import { RelabelSpeakersModule } from './relabel/relabel-speakers.module';
import { OfflinePromptAnswerer } from './answer-prompt/offline-prompt-answerer';
import { configuredPromptAnswerer } from './analysis/configured-providers';
import { PROMPT_ANSWERER } from './analysis/prompt-answerer';
import type { WorkerConfig } from './config';

/** The worker service: stateless analysis workers; owns no data, so readiness checks Redis only. */
@Module({})
export class AppModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'worker', config, postgres: false }),
        AnalyzeTranscriptModule.register(config),
        BuildExportModule.register(config),
        // Custom prompts go through ANALYSIS_PROVIDERS' chain when it names an LLM, else BM25 offline.
        AnswerPromptModule.register(config, {
          provide: PROMPT_ANSWERER,
          useValue: configuredPromptAnswerer(config, new OfflinePromptAnswerer()),
        }),
        RelabelSpeakersModule.register(config),
      ],
    };
  }
}
