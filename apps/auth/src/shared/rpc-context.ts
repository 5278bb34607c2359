import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ErrorCodes, type Actor, type MessageEnvelope } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { DomainError, unauthorized } from './domain-error';

/** The append context of work caused by a request: its actor and correlation, caused by it. */
export function appendContextOf(envelope: MessageEnvelope): AppendContext {
  return {
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  };
}

/** The signed-in user behind a request (a session or an API token); anything else is refused. */
export function requireUser(actor: Actor): Actor {
  if (actor.role !== 'admin' && actor.role !== 'user') throw unauthorized('sign in first');
  return actor;
}

const log = new Logger('AuthRpc');

/** Runs an RPC handler, answering domain refusals with their code (never a stack). */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      throw new RpcException({ code: error.code, message: error.message, retryable: error.retryable });
    }
    if (error instanceof RpcException) throw error;
    log.error(`request failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new RpcException({
      code: ErrorCodes.internal,
      message: 'the auth service failed to answer',
      retryable: true,
    });
  }
}
