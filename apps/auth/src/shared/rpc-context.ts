import { unauthorized, type Actor } from '@scriptripper/contracts';
import { rpcAnswerer } from '@scriptripper/service-runtime';

export { appendContextOf } from '@scriptripper/service-runtime';

/** The signed-in user behind a request (a session or an API token); anything else is refused. */
export function requireUser(actor: Actor): Actor {
  if (actor.role !== 'admin' && actor.role !== 'user') throw unauthorized('sign in first');
  return actor;
}

/** Runs an auth RPC handler, answering refusals with their code (never a stack). */
export const answer = rpcAnswerer('auth');
