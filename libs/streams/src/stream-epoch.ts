import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { Subject, type Observable } from 'rxjs';

export interface EpochChange {
  readonly previous: string;
  readonly current: string;
}

/**
 * A random value at `<prefix>streams:epoch`, set when missing. When Redis loses everything
 * (FLUSHALL, a restart without persistence) the value changes, which tells an outbox relay
 * to republish what Redis may have lost.
 */
export class StreamEpoch {
  private known: string | undefined;
  private readonly changes = new Subject<EpochChange>();
  readonly changes$: Observable<EpochChange> = this.changes.asObservable();

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.key = `${keyPrefix}streams:epoch`;
  }

  private readonly key: string;

  /** Reads the epoch (creating it when missing, in one round trip) and reports a change. */
  async current(): Promise<string> {
    const candidate = randomUUID();
    const previous = (await this.redis.call('set', [this.key, candidate, 'NX', 'GET'])) as string | null;
    const epoch = previous ?? candidate;
    if (this.known !== undefined && this.known !== epoch) {
      this.changes.next({ previous: this.known, current: epoch });
    }
    this.known = epoch;
    return epoch;
  }

  complete(): void {
    this.changes.complete();
  }
}
