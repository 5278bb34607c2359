import type { MessageEnvelope } from '@scriptripper/contracts';

/**
 * What the relay needs from the transport. The app wires in the real Redis Streams publisher;
 * the event store stays independent of it.
 */
export interface OutboxPublisher {
  /** Appends the envelopes, in order, to the named stream (before the key prefix); resolves once Redis accepted them. */
  publishBatch(destination: string, envelopes: readonly MessageEnvelope[]): Promise<unknown>;
  /**
   * An id of the Redis data set, which changes when Redis lost its data (a flush, a restart
   * without persistence): the relay then republishes what the consumers may have missed.
   */
  currentEpoch(): Promise<string>;
}
