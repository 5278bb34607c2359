import { TranscriptParseError } from '@scriptripper/analysis';
import { BlobIntegrityError, BlobNotFoundError } from '@scriptripper/blob-store';
import { RpcRemoteError, RpcTimeoutError, TransportUnavailableError } from '@scriptripper/streams';
import { AnalysisFailure, isRefusal, permanentFailureOf } from './analysis-failure';

describe('permanentFailureOf', () => {
  it('fails the job for an unparseable transcript, with the parser code and message', () => {
    expect(
      permanentFailureOf(new TranscriptParseError('UNPARSEABLE_TRANSCRIPT', 'line 3: no timing')),
    ).toEqual({
      code: 'UNPARSEABLE_TRANSCRIPT',
      message: 'line 3: no timing',
      retryable: false,
    });
  });

  it('fails the job for its own verdicts and for a lost or corrupted input', () => {
    expect(permanentFailureOf(new AnalysisFailure('OUTPUT_SCHEMA_MISMATCH', 'x'))?.code).toBe(
      'OUTPUT_SCHEMA_MISMATCH',
    );
    expect(permanentFailureOf(new BlobNotFoundError('a'.repeat(64)))?.code).toBe('INPUT_MISSING');
    expect(permanentFailureOf(new BlobIntegrityError('a'.repeat(64), 'b'.repeat(64)))?.code).toBe(
      'INPUT_CORRUPTED',
    );
  });

  it('fails the job when a peer refuses for good, keeping its code', () => {
    const refusal = new RpcRemoteError({
      code: 'CONFLICT',
      message: 'version 2 is deprecated',
      retryable: false,
    });
    expect(permanentFailureOf(refusal)).toEqual({
      code: 'CONFLICT',
      message: 'version 2 is deprecated',
      retryable: false,
    });
  });

  it('leaves timeouts, an absent Redis, retryable refusals and surprises to the retries', () => {
    expect(permanentFailureOf(new RpcTimeoutError('jobs.mark-started', 10))).toBeUndefined();
    expect(permanentFailureOf(new TransportUnavailableError('down'))).toBeUndefined();
    expect(
      permanentFailureOf(new RpcRemoteError({ code: 'INTERNAL', message: 'oops', retryable: true })),
    ).toBeUndefined();
    expect(permanentFailureOf(new Error('EIO'))).toBeUndefined();
  });
});

describe('isRefusal', () => {
  it('is a final answer from a peer, not a timeout', () => {
    expect(isRefusal(new RpcRemoteError({ code: 'CONFLICT', message: 'cancelled', retryable: false }))).toBe(
      true,
    );
    expect(isRefusal(new RpcTimeoutError('jobs.mark-started', 10))).toBe(false);
  });
});
