import { createHash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { ValidationPipe } from '@nestjs/common';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@scriptripper/contracts';
import type { BlobRef, BlobStore } from '@scriptripper/blob-store';
import { ApiError } from '../http/api-error';
import { CreateJobDto, JobFieldsDto } from './jobs.dto';

/** A job request read from the client: its fields, and its transcript already in the blob store. */
export interface JobSubmission {
  readonly fields: JobFieldsDto;
  readonly input: BlobRef;
}

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent, or 1..255 printable ASCII characters. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw ApiError.validation('Idempotency-Key must be 1 to 255 printable ASCII characters');
  }
  return key;
}

/**
 * Reads `POST /jobs` in either form: JSON with the transcript inline, or multipart/form-data
 * with the transcript as the `file` part (streamed into the blob store, never held whole).
 * Transcript bytes are stored as sent; the worker detects and parses the format.
 */
export async function readJobSubmission(
  request: FastifyRequest,
  blobs: BlobStore,
  validation: ValidationPipe,
): Promise<JobSubmission> {
  if (request.isMultipart()) return readUpload(request, blobs, validation);
  const { transcript, ...fields } = (await validation.transform(request.body, {
    type: 'body',
    metatype: CreateJobDto,
  })) as CreateJobDto;
  return { fields, input: await blobs.put(Buffer.from(transcript, 'utf8')) };
}

/**
 * sha256 of the request as jobs compares it under one Idempotency-Key: the fields in a fixed
 * order and the transcript's sha256, so JSON and multipart forms of one request hash alike.
 */
export function requestHashOf(submission: JobSubmission): string {
  const { fields, input } = submission;
  const canonical = JSON.stringify({
    profile: fields.profile,
    profile_version: fields.profile_version ?? null,
    format: fields.format ?? null,
    filename: fields.filename ?? null,
    meeting_date: fields.meeting_date ?? null,
    input_sha256: input.sha256,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

async function readUpload(
  request: FastifyRequest,
  blobs: BlobStore,
  validation: ValidationPipe,
): Promise<JobSubmission> {
  const values: Record<string, unknown> = {};
  let upload: { input: BlobRef; filename: string } | undefined;
  // A second file is read as far as its header, so the refusal can say what to do instead.
  for await (const part of request.parts({ limits: { files: 2 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') throw ApiError.validation('the transcript goes in the part named file');
      if (upload)
        throw ApiError.validation('a job takes one transcript file: send several to POST /jobs/batch');
      upload = { input: await storeWithinLimit(part, blobs), filename: part.filename };
    } else if (part.valueTruncated) {
      throw tooLarge(`${part.fieldname} is too long`);
    } else {
      // A field sent twice would silently be its last value: say so instead.
      if (Object.hasOwn(values, part.fieldname))
        throw ApiError.validation(`${part.fieldname} is given more than once`);
      values[part.fieldname] = part.value;
    }
  }
  if (!upload) throw ApiError.validation('file is required: the transcript as a multipart file part');
  if (upload.input.size === 0) throw ApiError.validation('file must not be empty');
  const fields = (await validation.transform(values, {
    type: 'body',
    metatype: JobFieldsDto,
  })) as JobFieldsDto;
  const filename = fields.filename ?? defaultFilename(upload.filename);
  return { fields: { ...fields, ...(filename === undefined ? {} : { filename }) }, input: upload.input };
}

/**
 * The uploaded file's own name when the client sent no `filename` field and it fits: 1 to 255
 * characters without control characters (a NUL would fail jobs' insert; none names a real file).
 */
export function defaultFilename(name: string): string | undefined {
  const trimmed = name.trim();
  return trimmed.length > 0 && trimmed.length <= 255 && !/\p{Cc}/u.test(trimmed) ? trimmed : undefined;
}

/**
 * Busboy cuts a file at the size limit and ends it as if complete; the guard fails the stream
 * at its end instead, so the blob store discards the partial file and the client gets 413.
 */
async function storeWithinLimit(part: MultipartFile, blobs: BlobStore): Promise<BlobRef> {
  try {
    return await blobs.put(
      pipeline(part.file, new FailIfTruncated(() => part.file.truncated), () => undefined),
    );
  } catch (error) {
    if (part.file.truncated) throw tooLarge('file is larger than the upload limit');
    throw error;
  }
}

class FailIfTruncated extends Transform {
  constructor(private readonly truncated: () => boolean) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.truncated() ? tooLarge('file is larger than the upload limit') : null);
  }
}

function tooLarge(message: string): ApiError {
  return new ApiError({ code: ErrorCodes.payloadTooLarge, message, retryable: false });
}
