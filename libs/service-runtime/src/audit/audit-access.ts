import { Scopes, type Actor } from '@scriptripper/contracts';

/**
 * Who may read a service's audit: an admin whose token carries `audit:read` (an admin API token
 * without that scope may not), or another service (the operators' verify command).
 */
export function mayReadAudit(actor: Actor): boolean {
  return actor.role === 'service' || (actor.role === 'admin' && actor.scopes.includes(Scopes.auditRead));
}
