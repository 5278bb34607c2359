import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  forbidden,
  invalid,
  JobsOperationsRpc,
  type Actor,
  type StuckJobsRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer } from '../shared/rpc-context';
import { StuckJobsService } from './stuck-jobs.service';

const MAX_IDS = 1000;

/** `rpc:jobs` for operators: list and re-run stuck jobs. A service actor (the ops tool) or an admin only. */
@Controller()
export class StuckJobsController {
  constructor(@Inject(StuckJobsService) private readonly stuckJobs: StuckJobsService) {}

  @MessagePattern(JobsOperationsRpc.listStuck)
  list(@Payload() data: unknown, @Ctx() ctx: RedisStreamsContext) {
    return answer(async () => {
      requireOperator(ctx.getEnvelope().actor);
      return { items: await this.stuckJobs.list(stuckJobsRequestOf(data)) };
    });
  }

  @MessagePattern(JobsOperationsRpc.requeueStuck)
  requeue(@Payload() data: unknown, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireOperator(envelope.actor);
      return this.stuckJobs.requeue(stuckJobsRequestOf(data), envelope);
    });
  }
}

function requireOperator(actor: Actor): void {
  if (actor.role !== 'service' && actor.role !== 'admin') throw forbidden('only operators re-run stuck jobs');
}

/** Checks the payload whatever the caller checked: minutes 0 or more (0: every queued or running job), ids strings. */
export function stuckJobsRequestOf(data: unknown): StuckJobsRequest {
  const value = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const minutes = value['older_than_minutes'];
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0) {
    throw invalid('older_than_minutes must be an integer of 0 or more');
  }
  const limit = value['limit'];
  if (
    limit !== undefined &&
    (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000)
  ) {
    throw invalid('limit must be an integer from 1 to 1000');
  }
  const ids = value['job_ids'];
  if (
    ids !== undefined &&
    (!Array.isArray(ids) ||
      ids.length > MAX_IDS ||
      !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 64))
  ) {
    throw invalid(`job_ids must be a list of at most ${MAX_IDS} job ids`);
  }
  return {
    older_than_minutes: minutes,
    ...(ids === undefined ? {} : { job_ids: ids as string[] }),
    ...(limit === undefined ? {} : { limit: limit as number }),
  };
}
