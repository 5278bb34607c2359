import { forbidden, Scopes, unauthorized, type Actor } from '@scriptripper/contracts';
import { rpcAnswerer } from '@scriptripper/service-runtime';

export { appendContextOf } from '@scriptripper/service-runtime';

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

/** Runs a profiles RPC handler, answering refusals with their code (never a stack). */
export const answer = rpcAnswerer('profiles');
