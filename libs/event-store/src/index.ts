// Append-only event table, projections, outbox relay, inbox, hash chains (MikroORM/Postgres).
// Layers, each importing only those before it: schema -> migrations, store -> relay, inbox -> nest.
export { eventStoreEntities } from './schema/event-store.entities';
export {
  StoredEvent,
  STREAM_VERSION_CONSTRAINT,
  type StoredEventMetadata,
} from './schema/stored-event.entity';
export { OutboxMessage } from './schema/outbox-message.entity';
export { OutboxCheckpoint } from './schema/outbox-checkpoint.entity';
export { InboxEntry } from './schema/inbox-entry.entity';
export { eventTableGuardsSql, dropEventTableGuardsSql } from './schema/event-table-guards.sql';
export {
  createEventStoreOrm,
  createEventStoreSchema,
  schemaDriftSql,
  type EventStoreOrmOptions,
} from './schema/event-store-orm';

export { EventStore, type EventStoreOptions } from './store/event-store';
export { ConcurrencyConflictError } from './store/concurrency-conflict.error';
export { canonicalJson, eventHash, type HashedEventContent } from './store/hash-chain';
export { envelopeOf } from './store/stored-event-rows';
export { rebuildProjections, type RebuildOptions } from './store/rebuild-projection';
export type {
  AppendContext,
  AppendInput,
  ExpectedVersion,
  HashChainReport,
  NewEvent,
  OutboxEntry,
  Projection,
  ReadAllQuery,
  RecordedEvent,
} from './store/event-store.types';

export { OutboxRelay, type OutboxRelayOptions, type RelayRun } from './relay/outbox-relay';
export {
  EventStoreMetrics,
  type AppendOutcome,
  type RelayLag,
  type RelayLagSource,
} from './metrics/event-store-metrics';
export type { OutboxPublisher } from './relay/outbox-publisher';
export {
  outboxRelayStatus,
  renumberOutboxAfterRestore,
  rewindOutboxRelay,
  type AfterRestoreReport,
  type AfterRestoreRequest,
  type OutboxPlace,
  type OutboxRowSummary,
  type RelayStatus,
  type RewindReport,
  type RewindRequest,
  type RewindTarget,
} from './relay/outbox-rewind';
export { Inbox, type InboxOutcome } from './inbox/inbox';

export {
  EventStoreModule,
  OutboxRelayFactory,
  type EventStoreModuleOptions,
} from './nest/event-store.module';

export { eventStoreMigrations } from './migrations/event-store-migrations';
export { EventStoreTablesMigration } from './migrations/event-store-tables.migration';
export { serviceOrmOptions, type ServiceOrmSettings } from './migrations/service-orm-options';
export { runMigrations, type MigrationCommand, type MigrationJob } from './migrations/run-migrations';
