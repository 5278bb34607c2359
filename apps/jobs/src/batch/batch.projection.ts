import type { Projection } from '@scriptripper/event-store';
import { BatchRecord } from './batch.entity';
import { BATCH_EVENT_TYPES, type BatchCreatedData } from './batch.events';

/** The `batches` read model of batch streams. */
export const batchProjection: Projection = {
  name: 'batches',
  handles: BATCH_EVENT_TYPES,
  apply: async (em, recorded) => {
    const data = recorded.data as BatchCreatedData;
    await em.insert(BatchRecord, {
      id: data.batch_id,
      userId: data.user_id,
      profileKey: data.profile_key,
      profileVersion: data.profile_version,
      jobIds: [...data.job_ids],
      createdAt: recorded.recordedAt,
    });
  },
};
