import { ErrorCodes } from '@scriptripper/contracts';
import type { ExpectedVersion } from './event-store.types';

/** Another writer changed the stream since the caller read it; reload and decide again. */
export class ConcurrencyConflictError extends Error {
  readonly code = ErrorCodes.concurrencyConflict;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's version when the conflict was noticed (0: the stream does not exist). */
    readonly actual: number,
  ) {
    super(`Stream "${streamId}" is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyConflictError';
  }
}
