/** Who caused a message. Services authorise on this, never on anything else in a payload. */
export type ActorRole = 'admin' | 'user' | 'service' | 'anonymous';

export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
  readonly scopes: readonly string[];
  /**
   * The credential a person's request came with, so services can check it at use: the session
   * (refresh-token family) of an access token, or the API token. Absent for services' own work.
   */
  readonly credential?: ActorCredential;
}

export type ActorCredential =
  | {
      readonly kind: 'session';
      readonly session_id: string;
      /** The access token's `iat`, in seconds. */
      readonly issued_at: number;
    }
  | { readonly kind: 'api-token'; readonly token_id: string };

export const ACTOR_ROLES: readonly ActorRole[] = ['admin', 'user', 'service', 'anonymous'];

/** The actor of work a service starts on its own (relays, watchdogs, sweeps). */
export function serviceActor(service: ServiceName): Actor {
  return { id: `service:${service}`, role: 'service', scopes: [] };
}

export const SERVICE_NAMES = ['gateway', 'auth', 'profiles', 'jobs', 'artifacts', 'worker'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
