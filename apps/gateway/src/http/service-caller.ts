import { Inject, Injectable } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import type { Actor } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';
import { RedisStreamsClient, StreamTransportError, withContext } from '@scriptripper/streams';
import { ApiError } from './api-error';

/** The gateway's client of every service's `rpc:<service>` stream. */
export const SERVICES_CLIENT = Symbol('SERVICES_CLIENT');

/** Who asks and within which request: what every message the gateway sends carries. */
export interface CallContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

/**
 * Every call from the gateway to a service goes through here, so each carries the actor
 * and the request's correlation id, and each failure becomes the API's error shape with
 * the HTTP status of its code (RPC_TIMEOUT and UNAVAILABLE: 503, retryable).
 */
@Injectable()
export class ServiceCaller {
  constructor(@Inject(SERVICES_CLIENT) private readonly client: RedisStreamsClient) {}

  async call<TResult>(
    pattern: string,
    data: unknown,
    context: CallContext,
    options: { timeoutMs?: number } = {},
  ): Promise<TResult> {
    const message = withContext(
      {
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: null,
        traceparent: context.traceparent,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      },
      data,
    );
    try {
      return await lastValueFrom(this.client.send<TResult>(pattern, message), {
        defaultValue: undefined as TResult,
      });
    } catch (error) {
      throw toApiError(error);
    }
  }
}

function toApiError(error: unknown): ApiError {
  if (error instanceof StreamTransportError) return new ApiError(error.toBody());
  return new ApiError({
    code: ErrorCodes.internal,
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  });
}
