import type Redis from 'ioredis';
import { credentialMarkerKeys, type Actor } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';

/** What the markers say of an actor's credential. */
export type MarkerVerdict = 'in-force' | 'refused' | 'unknown';

/**
 * Reads the Redis markers auth writes when a session ends, a role changes or a user is purged
 * (contracts' credential-markers), in one round trip per request: an access token issued before
 * such a change is refused within seconds, everywhere, without asking auth on every request.
 *
 * When the markers' epoch is missing (Redis lost its data and auth has not rebuilt them yet) the
 * answer is `unknown`: the guard then asks auth, whose records are the source of truth, so a lost
 * marker fails closed. Redis unreachable: 503 (retryable), as the rate limits answer.
 */
export class CredentialMarkers {
  private readonly keys: ReturnType<typeof credentialMarkerKeys>;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.keys = credentialMarkerKeys(keyPrefix);
  }

  async verdictOn(actor: Actor): Promise<{ verdict: MarkerVerdict; reason?: string }> {
    const session = actor.credential?.kind === 'session' ? actor.credential : null;
    let answers: [Error | null, unknown][] | null;
    try {
      const pipeline = this.redis
        .pipeline()
        .exists(this.keys.epoch)
        .exists(this.keys.purgedUser(actor.id))
        .exists(this.keys.endedSession(session?.session_id ?? '-'))
        .get(this.keys.roleChanged(actor.id));
      answers = await pipeline.exec();
    } catch {
      throw ApiError.unavailable('Checking the account is unavailable');
    }
    const [epoch, purged, ended, roleChanged] = (answers ?? []).map(([error, value]) => {
      if (error) throw ApiError.unavailable('Checking the account is unavailable');
      return value;
    });
    if (purged === 1) return { verdict: 'refused', reason: 'This account was deleted' };
    // API tokens are checked by auth at verification (cached for seconds at most).
    if (!session) return { verdict: 'in-force' };
    if (epoch !== 1) return { verdict: 'unknown' };
    if (ended === 1) return { verdict: 'refused', reason: 'The session has ended: sign in again' };
    if (typeof roleChanged === 'string' && Number(roleChanged) >= session.issued_at * 1000)
      return { verdict: 'refused', reason: 'The role changed since sign-in: sign in again' };
    return { verdict: 'in-force' };
  }
}
