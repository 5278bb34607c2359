import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ANSWER_PROMPT, invalid, type AnswerPromptWork } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { AnswerPromptHandler, type AnswerPromptOutcome } from './answer-prompt.handler';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `AnswerPrompt` messages on `work:analysis`, in the `worker` group; acked when the handler resolves. */
@Controller()
export class AnswerPromptController {
  constructor(@Inject(AnswerPromptHandler) private readonly handler: AnswerPromptHandler) {}

  @EventPattern(ANSWER_PROMPT)
  answerPrompt(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): Promise<AnswerPromptOutcome> {
    return this.handler.handle(answerPromptWorkOf(data), context.getEnvelope());
  }
}

/** A malformed message is refused (and dead-lettered by the transport), never half-run. */
export function answerPromptWorkOf(data: unknown): AnswerPromptWork {
  const work = data as Partial<AnswerPromptWork> | null;
  for (const field of ['prompt_id', 'job_id', 'user_id'] as const) {
    const value = work?.[field];
    if (typeof value !== 'string' || !UUID.test(value)) throw invalid(`AnswerPrompt ${field} must be a UUID`);
  }
  return { prompt_id: work!.prompt_id!, job_id: work!.job_id!, user_id: work!.user_id! };
}
