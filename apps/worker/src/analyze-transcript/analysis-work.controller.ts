import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ANALYZE_TRANSCRIPT } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { analysisWorkOf } from './analysis-work';
import { AnalyzeTranscriptHandler, type AnalysisWorkOutcome } from './analyze-transcript.handler';

/**
 * `work:analysis`, in the `worker` consumer group. The message is acked when the handler
 * resolves; a throw leaves it pending for the transport's retries, then its DLQ.
 */
@Controller()
export class AnalysisWorkController {
  constructor(@Inject(AnalyzeTranscriptHandler) private readonly handler: AnalyzeTranscriptHandler) {}

  @EventPattern(ANALYZE_TRANSCRIPT)
  analyzeTranscript(
    @Payload() data: unknown,
    @Ctx() context: RedisStreamsContext,
  ): Promise<AnalysisWorkOutcome> {
    return this.handler.handle(analysisWorkOf(data), context.getEnvelope());
  }
}
