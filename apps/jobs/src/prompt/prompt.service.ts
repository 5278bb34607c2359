import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  gone,
  notFound,
  type Actor,
  type CreatePromptRequest,
  type CreatePromptResponse,
  type ErrorBody,
  type ListJobPromptsRequest,
  type Page,
  type PromptAnsweredRequest,
  type PromptView,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { JobRecord } from '../job/job.entity';
import { QuotaService } from '../quota/quota.service';
import { PromptIdempotencyKey } from './prompt-idempotency-key.entity';
import { CustomPrompt } from './prompt.entity';
import { PromptRepository } from './prompt.repository';

/** Retention may add when the transcript expired; a job without the column has not expired. */
type JobWithRetention = JobRecord & { readonly transcriptExpiredAt?: Date | null };

/** Custom prompt commands (through the prompt aggregate) and queries (on `custom_prompts`). */
@Injectable()
export class PromptService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(PromptRepository) private readonly prompts: PromptRepository,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(QuotaService) private readonly quota: QuotaService,
  ) {}

  /**
   * A question about the owner's completed job, whose transcript is still kept: recorded with
   * the text sealed, and its work sent to the worker in the same transaction.
   */
  async create(
    request: CreatePromptRequest,
    owner: Actor,
    context: AppendContext,
  ): Promise<CreatePromptResponse> {
    const key = request.idempotency_key;
    const requestHash = request.request_hash ?? '';
    if (key !== undefined) {
      const earlier = await this.replay(owner.id, key, requestHash);
      if (earlier) return earlier;
    }
    const job = (await this.em.fork().findOne(JobRecord, { id: request.job_id })) as JobWithRetention | null;
    // Prompts are the owner's own: another user's job (even for an admin) is as absent as none.
    if (!job || job.userId !== owner.id) throw notFound(`no job ${request.job_id}`);
    if (job.transcriptExpiredAt) {
      throw gone(
        `the transcript of job ${job.id} expired on ${job.transcriptExpiredAt.toISOString()} under the retention policy; prompts need it`,
      );
    }
    if (job.status !== 'completed') {
      throw conflict(`job ${job.id} is ${job.status}; prompts can be asked once it is completed`);
    }
    // An answer may cost LLM spend: refused once the day's spend reached a cap.
    await this.quota.checkSpend(owner);
    const promptId = randomUUID();
    const at = new Date();
    try {
      await this.prompts.execute(
        promptId,
        context,
        {
          type: 'RequestPrompt',
          promptId,
          jobId: job.id,
          userId: owner.id,
          userRole: owner.role === 'admin' ? 'admin' : 'user',
          sealedPrompt: await this.cipher.encrypt(job.id, request.prompt),
          at: at.toISOString(),
        },
        key === undefined
          ? undefined
          : async (em) => {
              await em.insert(PromptIdempotencyKey, {
                userId: owner.id,
                key,
                requestHash,
                promptId,
                createdAt: at,
              });
            },
      );
    } catch (error) {
      // A concurrent ask with the same key won: answer its prompt.
      if (key === undefined || !(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.replay(owner.id, key, requestHash);
      if (!winner) throw error;
      return winner;
    }
    return { prompt_id: promptId };
  }

  /** The prompt an earlier ask with this key recorded; the key with another request is a CONFLICT. */
  private async replay(
    userId: string,
    key: string,
    requestHash: string,
  ): Promise<CreatePromptResponse | null> {
    const earlier = await this.em.fork().findOne(PromptIdempotencyKey, { userId, key });
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw conflict('this Idempotency-Key was used with a different request');
    }
    return { prompt_id: earlier.promptId };
  }

  async get(promptId: string, reader: Actor): Promise<PromptView> {
    const prompt = await this.em.fork().findOne(CustomPrompt, { id: promptId });
    if (!prompt || !mayRead(reader, prompt.userId)) throw notFound(`no prompt ${promptId}`);
    return viewOf(prompt);
  }

  /** A job's prompts in the order they were asked. */
  async listForJob(request: ListJobPromptsRequest, reader: Actor): Promise<Page<PromptView>> {
    const job = await this.em.fork().findOne(JobRecord, { id: request.job_id });
    if (!job || !mayRead(reader, job.userId)) throw notFound(`no job ${request.job_id}`);
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const where: Record<string, unknown> = { jobId: job.id };
    if (after) {
      const [createdAt, id] = after as [string, string];
      where['$or'] = [
        { createdAt: { $gt: new Date(createdAt) } },
        { createdAt: new Date(createdAt), id: { $gt: id } },
      ];
    }
    const found = await this.em.fork().find(CustomPrompt, where, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(viewOf),
      next_cursor:
        found.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async answered(request: PromptAnsweredRequest, context: AppendContext): Promise<PromptView> {
    await this.prompts.execute(request.prompt_id, context, {
      type: 'MarkAnswered',
      resultArtifactId: request.result_artifact_id,
      jsonArtifactId: request.json_artifact_id,
      provider: request.provider,
      tokens: request.tokens,
      cost: request.cost,
      at: new Date().toISOString(),
    });
    return this.view(request.prompt_id);
  }

  async failed(promptId: string, error: ErrorBody, context: AppendContext): Promise<PromptView> {
    await this.prompts.execute(promptId, context, {
      type: 'MarkFailed',
      error,
      at: new Date().toISOString(),
    });
    return this.view(promptId);
  }

  private async view(promptId: string): Promise<PromptView> {
    const prompt = await this.em.fork().findOne(CustomPrompt, { id: promptId });
    if (!prompt) throw notFound(`no prompt ${promptId}`);
    return viewOf(prompt);
  }
}

/** The owner, an admin, or the worker (which reads the question to answer it). */
function mayRead(reader: Actor, ownerId: string): boolean {
  return (
    reader.id === ownerId ||
    reader.role === 'admin' ||
    (reader.role === 'service' && reader.id === 'service:worker')
  );
}

export function viewOf(prompt: CustomPrompt): PromptView {
  return {
    id: prompt.id,
    job_id: prompt.jobId,
    prompt: prompt.prompt,
    status: prompt.status,
    result_artifact_id: prompt.resultArtifactId,
    json_artifact_id: prompt.jsonArtifactId,
    provider: prompt.provider,
    tokens: prompt.tokens,
    cost: prompt.cost,
    created_at: prompt.createdAt.toISOString(),
    answered_at: prompt.answeredAt?.toISOString() ?? null,
    error: prompt.error,
  };
}
