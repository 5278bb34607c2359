import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Actor } from '@scriptripper/contracts';

/** Who and why, kept beside every event: the audit trail and the message envelope agree on it. */
export interface StoredEventMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent: string | null;
  readonly schemaVersion: number;
  readonly messageId: string;
}

/** Two appends claiming the same version of a stream collide on this constraint. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_id_stream_version_unique';

/**
 * One row of a service's append-only record (`<schema>.events`). Postgres itself refuses
 * UPDATE, DELETE and TRUNCATE on it (see `eventTableGuardsSql`); each stream is hash-chained.
 */
@Entity({ tableName: 'events' })
@Unique({ name: STREAM_VERSION_CONSTRAINT, properties: ['streamId', 'streamVersion'] })
@Index({ name: 'events_type_index', properties: ['type'] })
@Index({ name: 'events_recorded_at_index', properties: ['recordedAt'] })
@Index({
  name: 'events_correlation_id_index',
  // The audit looks requests up by correlation id, which lives inside the metadata.
  expression: (table, columns, indexName) =>
    `create index "${indexName}" on ${qualified(table)} ((${columns.metadata}->>'correlationId'))`,
})
export class StoredEvent {
  // Positions stay far below 2^53, so numbers are exact and friendlier than strings.
  @PrimaryKey({ type: new BigIntType('number'), generated: 'by default as identity' })
  globalPosition!: number;

  @Property({ type: 'text' })
  streamId!: string;

  @Property({ type: 'text' })
  streamType!: string;

  @Property({ type: 'integer' })
  streamVersion!: number;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'jsonb' })
  data!: unknown;

  @Property({ type: 'jsonb' })
  metadata!: StoredEventMetadata;

  // Set by the store (it is part of the hash); the default only covers hand-written inserts.
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  recordedAt!: Date;

  @Property({ type: 'text', nullable: true })
  prevHash!: string | null;

  @Property({ type: 'text' })
  hash!: string;
}

function qualified(table: { schema?: string; name: string }): string {
  return table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
}
