import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { invalid, JobControlRpc, uuidOf, type RerunJobRequest } from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer, appendContextOf, requireWriter } from '../shared/rpc-context';
import { RerunService } from './rerun.service';

/** `jobs.rerun` on `rpc:jobs`: the owner re-runs an ended job (jobs:write). */
@Controller()
export class RerunController {
  constructor(@Inject(RerunService) private readonly reruns: RerunService) {}

  @MessagePattern(JobControlRpc.rerun)
  rerun(@Payload() data: RerunJobRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      const jobId = uuidOf(data?.job_id, 'job_id');
      const version = data?.profile_version;
      if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
        throw invalid('profile_version must be a positive integer');
      }
      return this.reruns.rerun(
        { job_id: jobId, ...(version === undefined ? {} : { profile_version: version }) },
        owner,
        appendContextOf(envelope),
      );
    });
  }
}
