import type { Projection } from '@scriptripper/event-store';
import { ExportRecord } from './export.entity';
import { EXPORT_EVENT_TYPES, type ExportEvent } from './export.events';

/** The `exports` read model of export streams. */
export const exportProjection: Projection = {
  name: 'exports',
  handles: EXPORT_EVENT_TYPES,
  apply: async (em, recorded) => {
    const event = { type: recorded.type, data: recorded.data } as ExportEvent;
    switch (event.type) {
      case 'ExportRequested':
        await em.insert(ExportRecord, {
          id: event.data.export_id,
          userId: event.data.user_id,
          subjectType: event.data.subject_type,
          subjectId: event.data.subject_id,
          jobIds: event.data.jobs.map((job) => job.job_id),
          status: 'pending',
          artifactIds: [],
          error: null,
          createdAt: recorded.recordedAt,
          completedAt: null,
        });
        return;
      case 'ExportCompleted':
        await em.nativeUpdate(
          ExportRecord,
          { id: event.data.export_id },
          {
            status: 'completed',
            artifactIds: [...event.data.artifact_ids],
            completedAt: recorded.recordedAt,
          },
        );
        return;
      case 'ExportFailed':
        await em.nativeUpdate(
          ExportRecord,
          { id: event.data.export_id },
          { status: 'failed', error: event.data.error, completedAt: recorded.recordedAt },
        );
        return;
    }
  },
};
