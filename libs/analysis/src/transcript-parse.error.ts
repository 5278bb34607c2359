export const TranscriptParseErrorCodes = {
  empty: 'EMPTY_TRANSCRIPT',
  unparseable: 'UNPARSEABLE_TRANSCRIPT',
  unsupportedFormat: 'UNSUPPORTED_FORMAT',
  tooLarge: 'TRANSCRIPT_TOO_LARGE',
} as const;

export type TranscriptParseErrorCode =
  (typeof TranscriptParseErrorCodes)[keyof typeof TranscriptParseErrorCodes];

/**
 * A transcript that cannot be turned into segments. Never retryable: the same bytes fail the
 * same way. The message names the line or field so a user can fix the file.
 */
export class TranscriptParseError extends Error {
  override readonly name = 'TranscriptParseError';
  readonly retryable = false;

  constructor(
    readonly code: TranscriptParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
