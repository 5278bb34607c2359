/**
 * A batch's stream (`batch-<id>`) holds one event: the batch came to be with its jobs, in the
 * items' order. Its jobs' own streams say the rest; the batch's status is derived from them.
 */
export interface BatchCreatedData {
  readonly batch_id: string;
  readonly user_id: string;
  readonly profile_key: string;
  readonly profile_version: number;
  readonly job_ids: readonly string[];
  readonly at: string;
}

export type BatchEvent = { readonly type: 'BatchCreated'; readonly data: BatchCreatedData };

export const BATCH_EVENT_TYPES: readonly BatchEvent['type'][] = ['BatchCreated'];
export const batchStreamId = (batchId: string) => `batch-${batchId}`;
export const BATCH_STREAM_TYPE = 'batch';
