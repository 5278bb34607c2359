// What every service runs besides its domain: the event store and outbox relay of a data
// service, and the Redis Streams consumer connected to the app.
export { DataServiceModule, type DataServiceModuleOptions } from './data-service.module';
export { OutboxRelayRunner, type OutboxRelayRunnerOptions } from './outbox-relay.runner';
export { connectStreamsServer, streamsServerOptions } from './streams-server';
export { AuditRpcModule } from './audit/audit-rpc.module';
export { mayReadAudit } from './audit/audit-access';
export { decodeCursor, encodeCursor, pageLimit } from './rpc/pagination';
export { appendContextOf, rpcAnswerer } from './rpc/rpc-answer';
export {
  rebuildReadModels,
  runReadModelRebuild,
  type ReadModelRebuildJob,
  type ReadModelRebuildReport,
  type ReadModels,
  type TableRebuild,
} from './read-models/rebuild-read-models';
