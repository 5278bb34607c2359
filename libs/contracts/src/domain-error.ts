import { ErrorCodes, type ErrorCode } from './error-codes';

/**
 * A decision refused for a reason the caller can act on. Aggregates and services throw it;
 * the RPC layer answers its code and message (never a stack), and the gateway maps the code
 * to an HTTP status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unauthorized = (message: string) => new DomainError(ErrorCodes.unauthorized, message);
export const forbidden = (message: string) => new DomainError(ErrorCodes.forbidden, message);
export const notFound = (message: string) => new DomainError(ErrorCodes.notFound, message);
export const conflict = (message: string) => new DomainError(ErrorCodes.conflict, message);
export const invalid = (message: string) => new DomainError(ErrorCodes.validationFailed, message);
export const gone = (message: string) => new DomainError(ErrorCodes.gone, message);
export const quotaExceeded = (message: string) => new DomainError(ErrorCodes.quotaExceeded, message);
export const spendCapReached = (message: string) => new DomainError(ErrorCodes.spendCapReached, message);
