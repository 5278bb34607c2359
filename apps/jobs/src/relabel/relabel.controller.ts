import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  uuidOf,
  isUuid,
  errorBodyOf,
  invalid,
  JobControlRpc,
  MAX_SPEAKER_NAME_LENGTH,
  type GetRelabelRequest,
  type RelabelAppliedRequest,
  type RelabelFailedRequest,
  type RelabelSpeakersRequest,
  type RelabelStatusRequest,
  type SpeakerRenames,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer, appendContextOf, requireReader, requireWorker, requireWriter } from '../shared/rpc-context';
import { RelabelService } from './relabel.service';

const MAX_RENAMES = 50;

/** Speaker relabelling on `rpc:jobs`: the owner asks (jobs:write); the worker reads and reports. */
@Controller()
export class RelabelController {
  constructor(@Inject(RelabelService) private readonly relabels: RelabelService) {}

  @MessagePattern(JobControlRpc.relabelSpeakers)
  request(@Payload() data: RelabelSpeakersRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      return this.relabels.request(
        uuidOf(data?.job_id, 'job_id'),
        renamesOf(data?.rename),
        owner,
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(JobControlRpc.relabelStatus)
  status(@Payload() data: RelabelStatusRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.relabels.statusForOwner(
        uuidOf(data?.job_id, 'job_id'),
        uuidOf(data?.relabel_id, 'relabel_id'),
        reader,
      );
    });
  }

  @MessagePattern(JobControlRpc.getRelabel)
  get(@Payload() data: GetRelabelRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      requireWorker(ctx.getEnvelope().actor);
      return this.relabels.getForWorker(
        uuidOf(data?.job_id, 'job_id'),
        uuidOf(data?.relabel_id, 'relabel_id'),
      );
    });
  }

  @MessagePattern(JobControlRpc.relabelApplied)
  applied(@Payload() data: RelabelAppliedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      const ids = data?.artifact_ids;
      if (!Array.isArray(ids) || !ids.every(isUuid)) {
        throw invalid('artifact_ids must be a list of UUIDs');
      }
      return this.relabels.applied(
        uuidOf(data?.job_id, 'job_id'),
        uuidOf(data?.relabel_id, 'relabel_id'),
        ids,
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(JobControlRpc.relabelFailed)
  failed(@Payload() data: RelabelFailedRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireWorker(envelope.actor);
      return this.relabels.failed(
        uuidOf(data?.job_id, 'job_id'),
        uuidOf(data?.relabel_id, 'relabel_id'),
        errorBodyOf(data?.error),
        appendContextOf(envelope),
      );
    });
  }
}

/** 1 to 50 labels, each renamed to a non-empty name of at most 100 characters (trimmed). */
export function renamesOf(value: unknown): SpeakerRenames {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('rename must be an object of old label to new name');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_RENAMES) {
    throw invalid(`rename must name 1 to ${MAX_RENAMES} labels`);
  }
  const renames: Record<string, string> = {};
  for (const [label, name] of entries) {
    if (label.trim() === '' || label.length > MAX_SPEAKER_NAME_LENGTH) {
      throw invalid(`each label must be 1 to ${MAX_SPEAKER_NAME_LENGTH} characters`);
    }
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_SPEAKER_NAME_LENGTH) {
      throw invalid(`the new name of "${label}" must be 1 to ${MAX_SPEAKER_NAME_LENGTH} characters`);
    }
    if (/\p{Cc}/u.test(name)) throw invalid(`the new name of "${label}" must not hold control characters`);
    renames[label] = name.trim();
  }
  return renames;
}
