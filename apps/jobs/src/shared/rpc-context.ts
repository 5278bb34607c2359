import { forbidden, Scopes, unauthorized, type Actor } from '@scriptripper/contracts';
import { rpcAnswerer } from '@scriptripper/service-runtime';

export { appendContextOf } from '@scriptripper/service-runtime';

/** A signed-in user (or admin) acting with `scope`; the gateway checks the same, services check again. */
export function requireUser(actor: Actor, scope: string): Actor {
  if (actor.role !== 'admin' && actor.role !== 'user') throw unauthorized('sign in first');
  if (!actor.scopes.includes(scope)) throw forbidden(`this needs the ${scope} scope`);
  return actor;
}

export const requireReader = (actor: Actor) => requireUser(actor, Scopes.jobsRead);
export const requireWriter = (actor: Actor) => requireUser(actor, Scopes.jobsWrite);

/** Progress reports come from the worker pool only. */
export function requireWorker(actor: Actor): Actor {
  if (actor.role !== 'service' || actor.id !== 'service:worker') {
    throw forbidden('only the worker reports job progress');
  }
  return actor;
}

/** Runs a jobs RPC handler, answering refusals with their code (never a stack). */
export const answer = rpcAnswerer('jobs');
