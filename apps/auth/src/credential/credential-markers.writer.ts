import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import Redis from 'ioredis';
import { CREDENTIAL_MARKER_SECONDS, credentialMarkerKeys } from '@scriptripper/contracts';
import { StoredEvent } from '@scriptripper/event-store';
import { AuthSettings } from '../shared/auth-settings';
import { Clock } from '../shared/clock';
import type { UserEvent } from '../user/user.events';
import { userStreamId } from '../user/user.events';

/** How often an instance looks whether Redis lost the markers (then rebuilds them). */
const REBUILD_CHECK_MS = 5_000;

/**
 * Writes the Redis markers the gateway reads to refuse access tokens whose session ended, whose
 * user's role changed or whose user was purged (contracts' credential-markers). Written after
 * the change committed; a write that fails is logged, and the gateway's privileged routes never
 * rely on markers (they ask auth). When Redis lost its data (the epoch key is gone), every
 * marker still in force is rebuilt from the event table, then the epoch is set again.
 */
@Injectable()
export class CredentialMarkersWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(CredentialMarkersWriter.name);
  private readonly redis: Redis;
  private readonly keys: ReturnType<typeof credentialMarkerKeys>;
  private timer: NodeJS.Timeout | undefined;
  private rebuilding: Promise<void> | undefined;

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(AuthSettings) settings: AuthSettings,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.redis = new Redis(settings.config.REDIS_URL, {
      connectionName: 'auth-credential-markers',
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    this.redis.on('error', () => undefined);
    this.keys = credentialMarkerKeys(settings.config.REDIS_KEY_PREFIX);
  }

  onApplicationBootstrap(): void {
    void this.rebuildIfLost();
    this.timer = setInterval(() => void this.rebuildIfLost(), REBUILD_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.rebuilding;
    this.redis.disconnect();
  }

  /** After a user's events committed. */
  async recorded(userId: string, events: readonly UserEvent[]): Promise<void> {
    const at = this.clock.now().getTime();
    const writes = events.flatMap((event) => this.markersOf(userId, event, at));
    if (writes.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const [key, value] of writes) pipeline.set(key, value, 'EX', CREDENTIAL_MARKER_SECONDS);
      await pipeline.exec();
    } catch (error) {
      this.log.warn(
        `credential markers not written (${describe(error)}); privileged routes still check auth`,
      );
    }
  }

  /** Rebuilds the markers from the event table when the epoch key is gone; one run at a time. */
  rebuildIfLost(): Promise<void> {
    this.rebuilding ??= this.rebuild().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    try {
      if ((await this.redis.exists(this.keys.epoch)) === 1) return;
      const since = new Date(this.clock.now().getTime() - CREDENTIAL_MARKER_SECONDS * 1000);
      const events = await this.em
        .fork()
        .find(
          StoredEvent,
          { type: { $in: ['SessionRevoked', 'RoleChanged', 'UserPurged'] }, recordedAt: { $gte: since } },
          { orderBy: { globalPosition: 'asc' } },
        );
      const pipeline = this.redis.pipeline();
      for (const stored of events) {
        const userId = stored.streamId.replace(/^user-/, '');
        if (userStreamId(userId) !== stored.streamId) continue;
        const event = { type: stored.type, data: stored.data } as UserEvent;
        const remaining =
          CREDENTIAL_MARKER_SECONDS - Math.floor((Date.now() - stored.recordedAt.getTime()) / 1000);
        for (const [key, value] of this.markersOf(userId, event, stored.recordedAt.getTime()))
          pipeline.set(key, value, 'EX', Math.max(1, remaining));
      }
      pipeline.set(this.keys.epoch, String(this.clock.now().getTime()));
      await pipeline.exec();
      this.log.log(`credential markers rebuilt from ${events.length} events`);
    } catch (error) {
      this.log.warn(
        `credential markers not rebuilt yet (${describe(error)}); the gateway asks auth meanwhile`,
      );
    }
  }

  private markersOf(userId: string, event: UserEvent, at: number): [string, string][] {
    switch (event.type) {
      case 'SessionRevoked':
        return [[this.keys.endedSession(event.data.session_id), '1']];
      case 'RoleChanged':
        return [[this.keys.roleChanged(userId), String(at)]];
      case 'UserPurged':
        return [[this.keys.purgedUser(userId), '1']];
      default:
        return [];
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
