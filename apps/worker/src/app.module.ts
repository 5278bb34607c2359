import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { AnalyzeTranscriptModule } from './analyze-transcript/analyze-transcript.module';
import { BuildExportModule } from './build-export/build-export.module';
import { AnswerPromptModule } from './answer-prompt/answer-prompt.module';
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
        AnswerPromptModule.register(config),
      ],
    };
  }
}
