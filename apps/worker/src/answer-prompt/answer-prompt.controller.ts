import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ANSWER_PROMPT, type AnswerPromptWork } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { uuidFieldsOf } from '../peers/work-fields';
import { AnswerPromptHandler, type AnswerPromptOutcome } from './answer-prompt.handler';

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
  return uuidFieldsOf('AnswerPrompt', data, ['prompt_id', 'job_id', 'user_id']);
}
