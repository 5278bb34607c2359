import { forbidden, unauthorized, type Actor } from '@scriptripper/contracts';
import { rpcAnswerer } from '@scriptripper/service-runtime';

export { appendContextOf } from '@scriptripper/service-runtime';
export { uuidOf } from '@scriptripper/contracts';

/** Only the worker records a job's outputs, for the job's owner. */
export function requireWorker(actor: Actor): void {
  if (actor.role !== 'service' || actor.id !== 'service:worker') {
    throw forbidden('only the worker registers artifacts');
  }
}

/** Only the gateway resolves downloads: the link's signature is the credential, checked here. */
export function requireGateway(actor: Actor): void {
  if (actor.role !== 'service' || actor.id !== 'service:gateway') {
    throw forbidden('only the gateway resolves downloads');
  }
}

/** Users read their own artifacts and admins every one; whose an artifact is decides the rest. */
export function requireReader(actor: Actor): Actor {
  if (actor.role === 'anonymous') throw unauthorized('sign in first');
  if (actor.role !== 'user' && actor.role !== 'admin') throw forbidden('artifacts are read by users');
  return actor;
}

export function mayRead(actor: Actor, ownerId: string): boolean {
  return actor.role === 'admin' || actor.id === ownerId || isWorker(actor);
}

/**
 * The worker reads the outputs of any user's job it works on (a custom prompt reads the job's
 * transcript, a relabelling its results), as it registers them for any user.
 */
export function requireReaderOrWorker(actor: Actor): Actor {
  return isWorker(actor) ? actor : requireReader(actor);
}

function isWorker(actor: Actor): boolean {
  return actor.role === 'service' && actor.id === 'service:worker';
}

/** Runs an artifacts RPC handler, answering refusals with their code (never a stack). */
export const answer = rpcAnswerer('artifacts');
