import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEnvelope } from '@scriptripper/contracts';
import type { StoredEventMetadata } from '../schema/stored-event.entity';
import type { RecordedEvent } from './event-store.types';

/**
 * The columns every read selects. `recorded_at` goes through JSON so it arrives as ISO-8601
 * whatever the session's time zone (MikroORM hands timestamps over as raw strings).
 */
export const EVENT_COLUMNS = `global_position, stream_id, stream_type, stream_version, type, data, metadata,
  to_json(recorded_at) #>> '{}' as recorded_at, prev_hash, hash`;

export interface StoredEventRow {
  readonly global_position: string | number;
  readonly stream_id: string;
  readonly stream_type: string;
  readonly stream_version: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: StoredEventMetadata;
  readonly recorded_at: string;
  readonly prev_hash: string | null;
  readonly hash: string;
}

export function toRecordedEvent(row: StoredEventRow): RecordedEvent {
  return {
    globalPosition: Number(row.global_position),
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function queryEvents(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<RecordedEvent[]> {
  const rows = await em.execute<StoredEventRow[]>(sql, [...params]);
  return rows.map(toRecordedEvent);
}

/** The bus copy of a recorded event; its id is the event's message id, so inboxes dedupe republished copies. */
export function envelopeOf(
  event: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'recordedAt'>,
): MessageEnvelope {
  const { metadata } = event;
  return {
    id: metadata.messageId,
    type: event.type,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    actor: metadata.actor,
    occurredAt: event.recordedAt.toISOString(),
    schemaVersion: metadata.schemaVersion,
    traceparent: metadata.traceparent,
    data: event.data,
  };
}
