import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { DomainError, ErrorCodes, type MessageEnvelope } from '@scriptripper/contracts';
import { ConcurrencyConflictError, type AppendContext } from '@scriptripper/event-store';

/** The append context of work caused by a request: its actor and correlation, caused by it. */
export function appendContextOf(envelope: MessageEnvelope): AppendContext {
  return {
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  };
}

/**
 * Makes a service's RPC answerer: runs a handler and turns what it throws into the common
 * `{ code, message, retryable }`: a refusal keeps its code and message; a lost optimistic
 * race is a retryable CONCURRENCY_CONFLICT; anything else is logged here and answered as a
 * retryable INTERNAL without details.
 */
export function rpcAnswerer(service: string): <T>(work: () => Promise<T>) => Promise<T> {
  const log = new Logger(`${service}.rpc`);
  return async (work) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) {
        throw new RpcException({ code: error.code, message: error.message, retryable: error.retryable });
      }
      if (error instanceof ConcurrencyConflictError) {
        throw new RpcException({
          code: ErrorCodes.concurrencyConflict,
          message: 'the data changed while this request was decided; try again',
          retryable: true,
        });
      }
      if (error instanceof RpcException) throw error;
      log.error(`request failed: ${describeFailure(error)}`);
      throw new RpcException({
        code: ErrorCodes.internal,
        message: `the ${service} service failed to answer`,
        retryable: true,
      });
    }
  };
}

/**
 * What is logged of an unexpected failure. A database error's message holds the statement with
 * its values inlined (a prompt's text, a file name: personal data the log must not keep, since
 * shredding cannot reach it there), so of those only the class and SQLSTATE are logged.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const sqlState = (error as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(sqlState)) {
    // Schema names only (pg's own fields), never values: enough to find the failing statement.
    const { table, constraint } = error as { table?: unknown; constraint?: unknown };
    const where = [table, constraint].filter((name): name is string => typeof name === 'string').join(', ');
    return `${error.name} (SQLSTATE ${sqlState}${where ? ` on ${where}` : ''}; the statement and its values are not logged)`;
  }
  return error.message;
}
