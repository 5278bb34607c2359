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
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
