/**
 * Redis markers by which the gateway refuses, within seconds and without asking auth on every
 * request, an access token whose session ended, whose user's role changed or whose user was
 * purged. Auth writes them after the change is committed (Postgres stays the record); each
 * outlives any access token issued before it (access tokens live 15 minutes at most).
 *
 * `epoch` says the markers are complete: auth sets it after writing every marker still in force
 * from Postgres. When Redis lost its data the epoch is missing, and the gateway asks auth instead
 * (fails closed) until auth has rebuilt them.
 */
export const CREDENTIAL_MARKER_SECONDS = 24 * 60 * 60;

export function credentialMarkerKeys(keyPrefix: string) {
  return {
    epoch: `${keyPrefix}credential-markers:epoch`,
    /** Set: the user was purged. */
    purgedUser: (userId: string) => `${keyPrefix}purged-users:${userId}`,
    /** Set: the session (refresh-token family) was signed out or revoked. */
    endedSession: (sessionId: string) => `${keyPrefix}ended-sessions:${sessionId}`,
    /** Epoch milliseconds of the user's latest role change. */
    roleChanged: (userId: string) => `${keyPrefix}role-changed:${userId}`,
  };
}
