// NestJS transport over Redis Streams: server (consumer groups), client proxy (request/reply,
// events), publisher for the outbox relay, fan-out reader, DLQ access, metrics.
export { backoffDelay, type RetryBackoff } from './backoff';
export { addDeadLetter, DeadLetters, type DeadLetter, type DeadLetterRecord } from './dead-letters';
export {
  ANONYMOUS_ACTOR,
  causedBy,
  ContextualData,
  createEnvelope,
  parseEnvelope,
  withContext,
  type CallOptions,
  type MessageContext,
} from './envelope';
export { toErrorBody } from './error-body';
export {
  MalformedEnvelopeError,
  RpcRemoteError,
  RpcTimeoutError,
  StreamTransportError,
  TransportUnavailableError,
} from './errors';
export { StreamFanoutReader, type FanoutMessage, type StreamFanoutReaderOptions } from './fanout-reader';
export { RedisStreamsClient, type RedisStreamsClientOptions } from './redis-streams.client';
export { RedisStreamsContext, type StreamMessageInfo } from './redis-streams.context';
export { resolveServerOptions, type RedisStreamsServerOptions } from './redis-streams.options';
export { REDIS_STREAMS_TRANSPORT, RedisStreamsServer } from './redis-streams.server';
export { StreamEpoch, type EpochChange } from './stream-epoch';
export { compareStreamIds, trimPointOf, type GroupPosition } from './stream-ids';
export { StreamMetrics, type GroupBacklog, type StreamCounterName } from './stream-metrics';
export { StreamPublisher, type PublishOptions, type StreamPublisherOptions } from './stream-publisher';
export { StreamsExceptionFilter } from './streams-exception.filter';
