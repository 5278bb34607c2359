import type { Projection } from '@scriptripper/event-store';
import { Artifact } from './artifact.entity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { releaseBlob } from '../retention/release-blob';
import { ARTIFACT_EVENT_TYPES, type ArtifactEvent, type ArtifactRegisteredEvent } from './artifact.events';

/** The `artifacts` read model of the job-artifacts streams. */
export const artifactProjection: Projection = {
  name: 'artifacts',
  handles: ARTIFACT_EVENT_TYPES,
  apply: async (em, recorded) => {
    const event = { type: recorded.type, data: recorded.data } as ArtifactEvent;
    switch (event.type) {
      case 'ArtifactRegistered':
        return registered(em, event.data, recorded.recordedAt);
      case 'ArtifactRevised':
        // The previous blob goes to the releaser, which deletes it once nothing live holds it.
        await releaseBlob(em, event.data.previous_uri, recorded.recordedAt);
        await em.nativeUpdate(
          Artifact,
          { id: event.data.artifact_id },
          {
            uri: event.data.uri,
            checksum: event.data.checksum,
            size: event.data.size,
            contentType: event.data.content_type,
            filename: event.data.filename,
          },
        );
        return;
      case 'ArtifactExpired':
      case 'ArtifactDeleted': {
        // The row says which blob it held; the releaser deletes it once nothing live holds it.
        const artifact = await em.findOne(Artifact, { id: event.data.artifact_id });
        if (!artifact) return;
        await releaseBlob(em, artifact.uri, recorded.recordedAt);
        if (event.type === 'ArtifactDeleted') await em.nativeDelete(Artifact, { id: artifact.id });
        else await em.nativeUpdate(Artifact, { id: artifact.id }, { expiredAt: new Date(event.data.at) });
        return;
      }
      case 'JobArtifactsErased':
        return;
    }
  },
};

async function registered(em: EntityManager, data: ArtifactRegisteredEvent, at: Date): Promise<void> {
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
    createdAt: at,
    expiredAt: null,
  });
}
