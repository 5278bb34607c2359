import type { ErrorBody } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';

/**
 * Turns whatever a handler failed with into the platform's error shape:
 * - `{ code, message, retryable? }` (an RpcException payload, our filter's output) passes through;
 * - Nest's default filter output `{ status: 'error', message }` and plain errors become INTERNAL;
 * never a stack trace.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string') {
    return {
      code: error['code'],
      message: error['message'],
      retryable: typeof error['retryable'] === 'boolean' ? error['retryable'] : false,
    };
  }
  if (error instanceof Error) return internal(error.message);
  if (isRecord(error) && typeof error['message'] === 'string') return internal(error['message']);
  if (typeof error === 'string') return internal(error);
  return internal('Unknown error');
}

function internal(message: string): ErrorBody {
  return { code: ErrorCodes.internal, message, retryable: false };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
