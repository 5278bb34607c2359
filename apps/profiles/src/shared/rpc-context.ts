import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ErrorCodes, Scopes, type Actor, type MessageEnvelope } from '@scriptripper/contracts';
import { ConcurrencyConflictError, type AppendContext } from '@scriptripper/event-store';
import { DomainError, forbidden, unauthorized } from './domain-error';

/** The append context of work caused by a request: its actor and correlation, caused by it. */
export function appendContextOf(envelope: MessageEnvelope): AppendContext {
  return {
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  };
}

/** Everyone signed in reads profiles, and so do services (jobs resolves the version it pins). */
export function requireReader(actor: Actor): Actor {
  if (actor.role === 'anonymous') throw unauthorized('sign in first');
  return actor;
}

/**
 * Writes need an admin acting with the `profiles:admin` scope: an admin's session carries it,
 * an admin's API token only when it was issued with it (the gateway checks the same).
 */
export function isProfilesAdmin(actor: Actor): boolean {
  return actor.role === 'admin' && actor.scopes.includes(Scopes.profilesAdmin);
}

export function requireProfilesAdmin(actor: Actor): Actor {
  requireReader(actor);
  if (!isProfilesAdmin(actor)) throw forbidden('this needs an admin with the profiles:admin scope');
  return actor;
}

const log = new Logger('ProfilesRpc');

/** Runs an RPC handler, answering domain refusals with their code (never a stack). */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      throw new RpcException({ code: error.code, message: error.message, retryable: false });
    }
    if (error instanceof ConcurrencyConflictError) {
      throw new RpcException({
        code: ErrorCodes.concurrencyConflict,
        message: 'the profile changed while this request was decided; try again',
        retryable: true,
      });
    }
    if (error instanceof RpcException) throw error;
    log.error(`request failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new RpcException({
      code: ErrorCodes.internal,
      message: 'the profiles service failed to answer',
      retryable: true,
    });
  }
}
