import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  uuidOf,
  textOf,
  SHA256_PATTERN,
  errorBodyOf,
  invalid,
  MAX_PROMPT_LENGTH,
  PromptsRpc,
  type Actor,
  type CreatePromptRequest,
  type GetPromptRequest,
  type ListJobPromptsRequest,
  type PromptAnsweredRequest,
  type PromptFailedRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer, appendContextOf, requireReader, requireWorker, requireWriter } from '../shared/rpc-context';
import { PromptService } from './prompt.service';

/**
 * Custom prompts on `rpc:jobs`: owners ask and read (jobs:write / jobs:read); the worker reads
 * the question it answers and reports the outcome. Payloads are checked here, whatever the
 * gateway checked before.
 */
@Controller()
export class PromptsController {
  constructor(@Inject(PromptService) private readonly prompts: PromptService) {}

  @MessagePattern(PromptsRpc.create)
  create(@Payload() data: CreatePromptRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      const key = data?.idempotency_key;
      const hash = data?.request_hash;
      if (key !== undefined && (typeof hash !== 'string' || !SHA256_PATTERN.test(hash))) {
        throw invalid('request_hash must be a sha256 in hex when an idempotency_key is given');
      }
      return this.prompts.create(
        {
          job_id: uuidOf(data?.job_id, 'job_id'),
          prompt: promptTextOf(data?.prompt),
          ...(key === undefined
            ? {}
            : { idempotency_key: textOf(key, 'idempotency_key', 255), request_hash: hash }),
        },
        owner,
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(PromptsRpc.get)
  get(@Payload() data: GetPromptRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = readerOrWorker(ctx.getEnvelope().actor);
      return this.prompts.get(uuidOf(data?.prompt_id, 'prompt_id'), reader);
    });
  }

  @MessagePattern(PromptsRpc.listForJob)
  listForJob(@Payload() data: ListJobPromptsRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.prompts.listForJob({ ...data, job_id: uuidOf(data?.job_id, 'job_id') }, reader);
    });
  }

  @MessagePattern(PromptsRpc.answered)
  answered(@Payload() data: PromptAnsweredRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      const tokens = data?.tokens;
      const cost = data?.cost;
      if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
        throw invalid('tokens must be a whole number of at least 0');
      }
      if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) {
        throw invalid('cost must be a number of at least 0');
      }
      return this.prompts.answered(
        {
          prompt_id: uuidOf(data?.prompt_id, 'prompt_id'),
          result_artifact_id: uuidOf(data?.result_artifact_id, 'result_artifact_id'),
          json_artifact_id: uuidOf(data?.json_artifact_id, 'json_artifact_id'),
          provider: textOf(data?.provider, 'provider', 200),
          tokens,
          cost,
        },
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(PromptsRpc.failed)
  failed(@Payload() data: PromptFailedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.prompts.failed(
        uuidOf(data?.prompt_id, 'prompt_id'),
        errorBodyOf(data?.error),
        appendContextOf(envelope),
      );
    });
  }
}

/** Users with jobs:read, or the worker fetching the question it answers. */
function readerOrWorker(actor: Actor): Actor {
  return actor.role === 'service' ? requireWorker(actor) : requireReader(actor);
}

function promptTextOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_PROMPT_LENGTH) {
    throw invalid(`prompt must be a non-empty text of at most ${MAX_PROMPT_LENGTH} characters`);
  }
  return value;
}
