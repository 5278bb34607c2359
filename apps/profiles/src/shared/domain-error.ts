import { ErrorCodes, type ErrorCode } from '@scriptripper/contracts';

/** A decision refused for a reason the caller can act on; the RPC layer answers its code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const forbidden = (message: string) => new DomainError(ErrorCodes.forbidden, message);
export const unauthorized = (message: string) => new DomainError(ErrorCodes.unauthorized, message);
export const notFound = (message: string) => new DomainError(ErrorCodes.notFound, message);
export const conflict = (message: string) => new DomainError(ErrorCodes.conflict, message);
export const invalid = (message: string) => new DomainError(ErrorCodes.validationFailed, message);
