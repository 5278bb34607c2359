import { SetMetadata } from '@nestjs/common';
import type { Scope, UserRole } from '@scriptripper/contracts';

export const IS_PUBLIC = 'gateway:is-public';
export const REQUIRED_ROLES = 'gateway:required-roles';
export const REQUIRED_SCOPES = 'gateway:required-scopes';
export const INTERACTIVE_SESSION = 'gateway:interactive-session';

/** Answers without credentials, on purpose. Everything else needs a bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only actors with one of these roles (re-read from auth's records at use). */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);

/**
 * Only actors whose credential carries every one of these scopes. Every route that is not
 * `@Public()` declares scopes or `@InteractiveSession()`; a route with neither is refused.
 */
export const Scopes = (...scopes: [Scope, ...Scope[]]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Only a signed-in person (an access token of a live session), never an API token. */
export const InteractiveSession = () => SetMetadata(INTERACTIVE_SESSION, true);
