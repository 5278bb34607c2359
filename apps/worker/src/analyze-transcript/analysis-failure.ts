import { TranscriptParseError } from '@scriptripper/analysis';
import { BlobIntegrityError, BlobNotFoundError, InvalidBlobIdError } from '@scriptripper/blob-store';
import type { ErrorBody } from '@scriptripper/contracts';
import { StreamTransportError } from '@scriptripper/streams';

/** Codes of the failures the worker itself decides; parse errors keep the parser's codes. */
export const AnalysisFailureCodes = {
  inputMissing: 'INPUT_MISSING',
  inputCorrupted: 'INPUT_CORRUPTED',
  outputSchemaMismatch: 'OUTPUT_SCHEMA_MISMATCH',
  renderFailed: 'RENDER_FAILED',
} as const;

/** A job that cannot succeed however often it is tried: it is reported failed, not retried. */
export class AnalysisFailure extends Error {
  override readonly name = 'AnalysisFailure';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The job's failure when `error` is one no retry can fix: the worker's own verdicts, an
 * unparseable transcript, a lost or corrupted input, or a peer's refusal (a deprecated
 * profile version, say). Undefined for everything worth retrying: timeouts, a peer or Redis
 * away, a disk hiccup, or anything unexpected.
 */
export function permanentFailureOf(error: unknown): ErrorBody | undefined {
  if (error instanceof AnalysisFailure || error instanceof TranscriptParseError) {
    return { code: error.code, message: error.message, retryable: false };
  }
  if (error instanceof BlobNotFoundError || error instanceof InvalidBlobIdError) {
    return {
      code: AnalysisFailureCodes.inputMissing,
      message: 'the uploaded transcript is gone',
      retryable: false,
    };
  }
  if (error instanceof BlobIntegrityError) {
    return {
      code: AnalysisFailureCodes.inputCorrupted,
      message: 'the uploaded transcript does not match its checksum',
      retryable: false,
    };
  }
  if (error instanceof StreamTransportError && !error.retryable) {
    return { code: error.code, message: error.message, retryable: false };
  }
  return undefined;
}

/** Whether a peer refused a report for good (CONFLICT: cancelled, finished, or a newer attempt). */
export function isRefusal(error: unknown): error is StreamTransportError {
  return error instanceof StreamTransportError && !error.retryable;
}
