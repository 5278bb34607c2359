import type { EventStoreTables } from '../schema/event-store-tables';
import type { DriverStatement } from './driver-query';

export type PreparedText = Required<Omit<DriverStatement, 'values'>>;

/** The statements every append runs, each prepared once per connection under its own name. */
export interface AppendStatements {
  /** `$1` stream id, `$2` version: the hash of that version, if the stream has it. */
  readonly hashAtVersion: PreparedText;
  /** `$1` stream id: the last version and its hash. */
  readonly latestHead: PreparedText;
  /**
   * `$1` stream id, `$2` stream type, `$3` recorded at, then one array per column, in event
   * order: `$4` versions, `$5` types, `$6` data, `$7` metadata, `$8` prev hashes, `$9` hashes;
   * and for the outbox: `$10` message ids, `$11` destinations, `$12` envelopes. Rows travel as
   * arrays so any number of events and outbox rows runs the same text.
   */
  readonly insert: PreparedText;
}

export function appendStatements(tables: EventStoreTables): AppendStatements {
  // node-postgres refuses one name for two texts on a connection; the texts differ by schema only.
  const named = (kind: string, text: string): PreparedText => ({
    name: `event-store-${kind}:${tables.schema}`,
    text,
  });
  return {
    hashAtVersion: named(
      'hash-at-version',
      `select hash from ${tables.events} where stream_id = $1 and stream_version = $2`,
    ),
    latestHead: named(
      'latest-head',
      `select stream_version, hash from ${tables.events}
       where stream_id = $1 order by stream_version desc limit 1`,
    ),
    insert: named(
      'insert',
      `with inserted as (
         insert into ${tables.events}
           (stream_id, stream_type, recorded_at, stream_version, type, data, metadata, prev_hash, hash)
         select $1, $2, $3::timestamptz, event.stream_version, event.type, event.data, event.metadata,
                event.prev_hash, event.hash
         from unnest($4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[])
                with ordinality as event(stream_version, type, data, metadata, prev_hash, hash, index)
         order by event.index
         returning global_position, stream_version
       ), outbox_rows as (
         insert into ${tables.outbox} (message_id, destination, envelope)
         select message.id, message.destination, message.envelope
         from unnest($10::uuid[], $11::text[], $12::jsonb[])
                with ordinality as message(id, destination, envelope, index)
         order by message.index
       )
       select global_position, stream_version from inserted`,
    ),
  };
}
