import { createHash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { ValidationPipe } from '@nestjs/common';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes, type TranscriptFormatName } from '@scriptripper/contracts';
import type { BlobRef, BlobStore } from '@scriptripper/blob-store';
import { ApiError } from '../http/api-error';
import { defaultFilename } from '../jobs/job-submission';
import { BatchFieldsDto, CreateBatchDto } from './batches.dto';

/** One transcript of a batch, already in the blob store. */
export interface BatchSubmissionItem {
  readonly input: BlobRef;
  readonly filename?: string;
  readonly format?: TranscriptFormatName;
}
export interface BatchSubmission {
  readonly fields: BatchFieldsDto;
  readonly items: readonly BatchSubmissionItem[];
}

export interface BatchLimits {
  /** Transcripts one batch may hold. */
  readonly maxItems: number;
  /** All of a multipart batch's files together (each file is bounded by the upload limit too). */
  readonly maxTotalBytes: number;
}

/**
 * Reads `POST /jobs/batch` in either form: JSON with the transcripts inline (the whole body
 * bounded by the upload limit), or multipart/form-data with one `file` part per transcript,
 * each streamed into the blob store. Everything is checked before anything is asked of jobs;
 * a bad item is named by its index.
 */
export async function readBatchSubmission(
  request: FastifyRequest,
  blobs: BlobStore,
  validation: ValidationPipe,
  limits: BatchLimits,
): Promise<BatchSubmission> {
  if (request.isMultipart()) return readUploads(request, blobs, validation, limits);
  const { items, ...fields } = (await validation.transform(request.body, {
    type: 'body',
    metatype: CreateBatchDto,
  })) as CreateBatchDto;
  checkCount(items.length, limits);
  const stored: BatchSubmissionItem[] = [];
  for (const item of items) {
    stored.push({
      input: await blobs.put(Buffer.from(item.transcript, 'utf8')),
      ...(item.filename === undefined ? {} : { filename: item.filename }),
      ...(item.format === undefined ? {} : { format: item.format }),
    });
  }
  return { fields, items: stored };
}

/** sha256 of the batch as jobs compares it under one Idempotency-Key: fields, then each item's content and name. */
export function batchRequestHashOf(submission: BatchSubmission): string {
  const { fields, items } = submission;
  const canonical = JSON.stringify({
    profile: fields.profile,
    profile_version: fields.profile_version ?? null,
    meeting_date: fields.meeting_date ?? null,
    items: items.map((item) => [item.input.sha256, item.filename ?? null, item.format ?? null]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

async function readUploads(
  request: FastifyRequest,
  blobs: BlobStore,
  validation: ValidationPipe,
  limits: BatchLimits,
): Promise<BatchSubmission> {
  const values: Record<string, unknown> = {};
  const items: BatchSubmissionItem[] = [];
  let totalBytes = 0;
  // One file more than allowed is read as far as its header, so the refusal can say "too many".
  for await (const part of request.parts({
    limits: { files: limits.maxItems + 1, parts: limits.maxItems + 11 },
  })) {
    if (part.type === 'file') {
      const index = items.length;
      if (part.fieldname !== 'file') throw ApiError.validation('each transcript goes in a part named file');
      checkCount(index + 1, limits);
      const input = await storeWithinLimit(part, blobs, index);
      if (input.size === 0) throw ApiError.validation(`file ${index} (${part.filename}) must not be empty`);
      totalBytes += input.size;
      if (totalBytes > limits.maxTotalBytes) {
        throw tooLarge(`the batch's files are larger than ${limits.maxTotalBytes} bytes together`);
      }
      const filename = defaultFilename(part.filename);
      items.push({ input, ...(filename === undefined ? {} : { filename }) });
    } else if (part.valueTruncated) {
      throw tooLarge(`${part.fieldname} is too long`);
    } else {
      // A field sent twice would silently be its last value: say so instead.
      if (Object.hasOwn(values, part.fieldname))
        throw ApiError.validation(`${part.fieldname} is given more than once`);
      values[part.fieldname] = part.value;
    }
  }
  checkCount(items.length, limits);
  const fields = (await validation.transform(values, {
    type: 'body',
    metatype: BatchFieldsDto,
  })) as BatchFieldsDto;
  return { fields, items };
}

function checkCount(count: number, limits: BatchLimits): void {
  if (count === 0) throw ApiError.validation('a batch needs at least one transcript (items, or file parts)');
  if (count > limits.maxItems)
    throw ApiError.validation(`a batch holds at most ${limits.maxItems} transcripts`);
}

/** As for one upload: a file cut at the size limit fails at its end, so no partial blob is kept. */
async function storeWithinLimit(part: MultipartFile, blobs: BlobStore, index: number): Promise<BlobRef> {
  const message = `file ${index} (${part.filename}) is larger than the upload limit`;
  try {
    return await blobs.put(
      pipeline(part.file, new FailIfTruncated(() => part.file.truncated, message), () => undefined),
    );
  } catch (error) {
    if (part.file.truncated) throw tooLarge(message);
    throw error;
  }
}

class FailIfTruncated extends Transform {
  constructor(
    private readonly truncated: () => boolean,
    private readonly message: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.truncated() ? tooLarge(this.message) : null);
  }
}

function tooLarge(message: string): ApiError {
  return new ApiError({ code: ErrorCodes.payloadTooLarge, message, retryable: false });
}
