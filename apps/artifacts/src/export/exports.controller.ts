import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ExportsRpc,
  blobReferenceOf,
  invalid,
  type CompleteExportRequest,
  type ErrorBody,
  type ExportOutput,
  type FailExportRequest,
  type GetExportRequest,
  type RequestExportRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { answer, appendContextOf, requireReader, requireWorker, uuidOf } from '../shared/rpc-context';
import { ExportService } from './export.service';

const MAX_JOBS = 1000;
const OUTPUT_KINDS = ['export_zip', 'export_json'] as const;
const OUTPUT_TYPES: Record<ExportOutput['kind'], string> = {
  export_zip: 'application/zip',
  export_json: 'application/json',
};
const FILENAME = /^[A-Za-z0-9._-]{1,255}$/;

/** Exports on `rpc:artifacts`: owners request and read; the worker completes or fails them. */
@Controller()
export class ExportsController {
  constructor(@Inject(ExportService) private readonly exports: ExportService) {}

  @MessagePattern(ExportsRpc.request)
  request(@Payload() data: RequestExportRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      const owner = requireReader(envelope.actor);
      return this.exports.request(requestOf(data), owner, appendContextOf(envelope));
    });
  }

  @MessagePattern(ExportsRpc.get)
  get(@Payload() data: GetExportRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const reader = requireReader(ctx.getEnvelope().actor);
      return this.exports.get(uuidOf(data?.export_id, 'export_id'), reader);
    });
  }

  @MessagePattern(ExportsRpc.complete)
  complete(@Payload() data: CompleteExportRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () => {
      requireWorker(envelope.actor);
      await this.exports.complete(
        { export_id: uuidOf(data?.export_id, 'export_id'), outputs: outputsOf(data?.outputs) },
        appendContextOf(envelope),
      );
      return { completed: true };
    });
  }

  @MessagePattern(ExportsRpc.fail)
  fail(@Payload() data: FailExportRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () => {
      requireWorker(envelope.actor);
      await this.exports.fail(
        uuidOf(data?.export_id, 'export_id'),
        errorOf(data?.error),
        appendContextOf(envelope),
      );
      return { failed: true };
    });
  }
}

function requestOf(data: RequestExportRequest | undefined): RequestExportRequest {
  const type = data?.subject_type;
  if (type !== 'job' && type !== 'batch') throw invalid('subject_type must be job or batch');
  const jobIds = data?.job_ids;
  if (!Array.isArray(jobIds) || jobIds.length === 0 || jobIds.length > MAX_JOBS) {
    throw invalid(`job_ids must list 1 to ${MAX_JOBS} jobs`);
  }
  const ids = jobIds.map((id, index) => uuidOf(id, `job_ids[${index}]`));
  if (new Set(ids).size !== ids.length) throw invalid('job_ids must not repeat a job');
  const key = data?.idempotency_key;
  if (key !== undefined && !(typeof key === 'string' && /^[\x20-\x7e]{1,255}$/.test(key))) {
    throw invalid('idempotency_key must be 1 to 255 printable ASCII characters');
  }
  return {
    subject_type: type,
    subject_id: uuidOf(data?.subject_id, 'subject_id'),
    job_ids: ids,
    ...(key === undefined ? {} : { idempotency_key: key }),
  };
}

function outputsOf(value: unknown): ExportOutput[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > OUTPUT_KINDS.length) {
    throw invalid('outputs must list the export_zip and export_json files');
  }
  const outputs = value.map((item: Partial<ExportOutput> | undefined, index) => {
    const kind = item?.kind;
    if (kind !== 'export_zip' && kind !== 'export_json') {
      throw invalid(`outputs[${index}].kind must be export_zip or export_json`);
    }
    const blob = blobReferenceOf(item?.blob, `outputs[${index}].blob`);
    if (typeof item?.filename !== 'string' || !FILENAME.test(item.filename)) {
      throw invalid(`outputs[${index}].filename must be a plain file name`);
    }
    return {
      kind,
      blob,
      content_type: OUTPUT_TYPES[kind],
      filename: item.filename,
    };
  });
  if (new Set(outputs.map((output) => output.kind)).size !== outputs.length) {
    throw invalid('outputs must not repeat a kind');
  }
  return outputs;
}

function errorOf(value: unknown): ErrorBody {
  const error = value as Partial<ErrorBody> | undefined;
  if (
    typeof error?.code !== 'string' ||
    error.code.length === 0 ||
    error.code.length > 100 ||
    typeof error.message !== 'string' ||
    error.message.length > 2_000 ||
    typeof error.retryable !== 'boolean'
  ) {
    throw invalid('error must be { code, message, retryable }');
  }
  return { code: error.code, message: error.message, retryable: error.retryable };
}
