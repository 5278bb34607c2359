import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  textOf,
  sha256Of,
  blobReferenceOf,
  BatchesRpc,
  invalid,
  TRANSCRIPT_FORMATS,
  type CreateBatchItem,
  type CreateBatchRequest,
  type ExportSubjectRequest,
  type GetBatchRequest,
  type ListBatchesRequest,
  type TranscriptFormatName,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { isCalendarDate } from '../shared/calendar-date';
import { answer, appendContextOf, requireReader, requireWriter } from '../shared/rpc-context';
import { BatchService } from './batch.service';

/**
 * Batches on `rpc:jobs`: create (jobs:write), read and list (jobs:read), and what an export of
 * a job or batch covers. Payloads are checked here; a bad item is named by its index.
 */
@Controller()
export class BatchesController {
  constructor(@Inject(BatchService) private readonly batches: BatchService) {}

  @MessagePattern(BatchesRpc.create)
  create(@Payload() data: CreateBatchRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireWriter(envelope.actor);
      return this.batches.create(createRequestOf(data), owner, appendContextOf(envelope));
    });
  }

  @MessagePattern(BatchesRpc.get)
  get(@Payload() data: GetBatchRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.batches.get(textOf(data?.batch_id, 'batch_id', 64), reader);
    });
  }

  @MessagePattern(BatchesRpc.list)
  list(@Payload() data: ListBatchesRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.batches.list(data ?? {}, reader);
    });
  }

  @MessagePattern(BatchesRpc.exportSubject)
  exportSubject(@Payload() data: ExportSubjectRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireWriter(ctx.getEnvelope().actor);
      return this.batches.exportSubject(textOf(data?.id, 'id', 64), reader);
    });
  }
}

function createRequestOf(data: CreateBatchRequest | undefined): CreateBatchRequest {
  const version = data?.profile_version;
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
    throw invalid('profile_version must be a positive integer');
  }
  const meetingDate = data?.meeting_date;
  if (meetingDate !== undefined && !isCalendarDate(meetingDate)) {
    throw invalid('meeting_date must be a date YYYY-MM-DD that exists');
  }
  const requestHash = sha256Of(data?.request_hash, 'request_hash');
  if (!Array.isArray(data?.items)) throw invalid('items must be a list of transcripts');
  return {
    profile: textOf(data.profile, 'profile', 63),
    items: data.items.map((item, index) => itemOf(item, `items[${index}]`)),
    request_hash: requestHash,
    ...(version === undefined ? {} : { profile_version: version }),
    ...(meetingDate === undefined ? {} : { meeting_date: meetingDate }),
    ...(data.idempotency_key === undefined
      ? {}
      : { idempotency_key: textOf(data.idempotency_key, 'idempotency_key', 255) }),
  };
}

function itemOf(value: unknown, name: string): CreateBatchItem {
  const item = value as Partial<CreateBatchItem> | undefined;
  if (typeof item !== 'object' || item === null) throw invalid(`${name} must be an object`);
  const format = item.format;
  if (format !== undefined && !TRANSCRIPT_FORMATS.includes(format)) {
    throw invalid(`${name}.format must be one of ${TRANSCRIPT_FORMATS.join(', ')}`);
  }
  return {
    input: blobReferenceOf(item.input, `${name}.input`),
    ...(format === undefined ? {} : { format: format as TranscriptFormatName }),
    ...(item.filename === undefined ? {} : { filename: textOf(item.filename, `${name}.filename`, 255) }),
  };
}
