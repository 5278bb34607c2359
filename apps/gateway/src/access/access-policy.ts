import type { Reflector } from '@nestjs/core';
import { Scopes as Scope } from '@scriptripper/contracts';
import { INTERACTIVE_SESSION, IS_PUBLIC, REQUIRED_ROLES, REQUIRED_SCOPES } from './access.decorators';

/** Who may call a route, as its decorators declare it (method over class). */
export interface AccessPolicy {
  readonly isPublic: boolean;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly interactiveSession: boolean;
}

/** Scopes of the account's and the admins' powers: checked against auth's records at every use. */
const PRIVILEGED_SCOPES: readonly string[] = [
  Scope.accountAdmin,
  Scope.usersAdmin,
  Scope.auditRead,
  Scope.profilesAdmin,
];

type Targets = Parameters<Reflector['getAllAndOverride']>[1];

export function accessPolicyOf(reflector: Reflector, targets: Targets): AccessPolicy {
  const read = <T>(key: string) => reflector.getAllAndOverride<T | undefined>(key, targets);
  return {
    isPublic: read<boolean>(IS_PUBLIC) ?? false,
    roles: read<string[]>(REQUIRED_ROLES) ?? [],
    scopes: read<string[]>(REQUIRED_SCOPES) ?? [],
    interactiveSession: read<boolean>(INTERACTIVE_SESSION) ?? false,
  };
}

/** Deny by default: a non-public route must say which scopes or that a signed-in person is needed. */
export function declaresAccess(policy: AccessPolicy): boolean {
  return policy.isPublic || policy.scopes.length > 0 || policy.interactiveSession;
}

/** Admin roles, account or admin scopes, or a person's session only: never decided on a token's claims alone. */
export function isPrivileged(policy: AccessPolicy): boolean {
  return (
    policy.interactiveSession ||
    policy.roles.includes('admin') ||
    policy.scopes.some((scope) => PRIVILEGED_SCOPES.includes(scope))
  );
}
