import type { Projection } from '@scriptripper/event-store';
import { Artifact } from './artifact.entity';
import { ARTIFACT_EVENT_TYPES, type ArtifactEvent } from './artifact.events';

/** The `artifacts` read model of the job-artifacts streams. */
export const artifactProjection: Projection = {
  name: 'artifacts',
  handles: ARTIFACT_EVENT_TYPES,
  apply: async (em, recorded) => {
    const { data } = { type: recorded.type, data: recorded.data } as ArtifactEvent;
    await em.insert(Artifact, {
      id: data.artifact_id,
      jobId: data.job_id,
      userId: data.user_id,
      kind: data.kind,
      uri: data.uri,
      checksum: data.checksum,
      size: data.size,
      contentType: data.content_type,
      filename: data.filename,
      createdAt: recorded.recordedAt,
    });
  },
};
