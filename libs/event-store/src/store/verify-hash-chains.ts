import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventStoreTables } from '../schema/event-store-tables';
import type { HashChainReport, RecordedEvent } from './event-store.types';
import { eventHash } from './hash-chain';
import { EVENT_COLUMNS, queryEvents } from './stored-event-rows';

const PAGE_SIZE = 1000;

/**
 * Recomputes every stream's chain in (stream, version) order, paging by keyset so memory stays
 * flat. A row fails when its stored hash differs from the hash of its content linked to the
 * previous row's stored hash, or when its version does not follow the previous one: this finds
 * edited rows, deleted rows in the middle of a stream, and rows inserted out of turn. What a
 * chain alone cannot show: the removal of a stream's last events, or a stream rewritten with
 * every hash recomputed (that needs the latest hashes anchored outside the database).
 */
export async function verifyHashChains(
  em: EntityManager,
  tables: EventStoreTables,
): Promise<HashChainReport> {
  let previous: RecordedEvent | undefined;
  let streams = 0;
  let events = 0;
  for (;;) {
    const page = await queryEvents(
      em,
      previous
        ? `select ${EVENT_COLUMNS} from ${tables.events}
           where (stream_id, stream_version) > (?, ?) order by stream_id, stream_version limit ?`
        : `select ${EVENT_COLUMNS} from ${tables.events} order by stream_id, stream_version limit ?`,
      previous ? [previous.streamId, previous.streamVersion, PAGE_SIZE] : [PAGE_SIZE],
    );
    for (const event of page) {
      const predecessor = previous?.streamId === event.streamId ? previous : undefined;
      if (!predecessor) streams++;
      const expectedHash = eventHash(predecessor?.hash ?? null, event);
      const expectedVersion = (predecessor?.streamVersion ?? 0) + 1;
      if (expectedHash !== event.hash || expectedVersion !== event.streamVersion) {
        return {
          ok: false,
          firstBroken: {
            streamId: event.streamId,
            streamVersion: event.streamVersion,
            globalPosition: event.globalPosition,
            expectedHash,
            actualHash: event.hash,
          },
        };
      }
      events++;
      previous = event;
    }
    if (page.length < PAGE_SIZE) return { ok: true, streams, events };
  }
}
