/** Error codes shared by services, the gateway and clients. */
export const ErrorCodes = {
  validationFailed: 'VALIDATION_FAILED',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  rateLimited: 'RATE_LIMITED',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  internal: 'INTERNAL',
  unavailable: 'UNAVAILABLE',
  rpcTimeout: 'RPC_TIMEOUT',
  concurrencyConflict: 'CONCURRENCY_CONFLICT',
  malformedMessage: 'MALFORMED_MESSAGE',
  /** The thing existed but is gone for good (an expired transcript): HTTP 410. */
  gone: 'GONE',
  /** A per-user quota (jobs per day, transcript size) is used up: HTTP 429. */
  quotaExceeded: 'QUOTA_EXCEEDED',
  /** A daily LLM spend cap (the user's or the platform's) is reached: HTTP 402. */
  spendCapReached: 'SPEND_CAP_REACHED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
