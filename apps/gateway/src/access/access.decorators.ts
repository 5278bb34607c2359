import { SetMetadata } from '@nestjs/common';
import type { Scope, UserRole } from '@scriptripper/contracts';

export const IS_PUBLIC = 'gateway:is-public';
export const REQUIRED_ROLES = 'gateway:required-roles';
export const REQUIRED_SCOPES = 'gateway:required-scopes';

/** Answers without credentials, on purpose. Everything else needs a bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only actors with one of these roles. */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Only actors whose token carries every one of these scopes. */
export const Scopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);
