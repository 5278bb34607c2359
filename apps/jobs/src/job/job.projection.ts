import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { openFilename } from '../erasure/job-personal-data';
import { JobRecord } from './job.entity';
import { JOB_EVENT_TYPES, type JobEvent } from './job.events';

/** The `jobs` read model of a job's stream. */
export function jobProjection(keyEncryptionKey: Buffer): Projection {
  return {
    name: 'jobs',
    handles: JOB_EVENT_TYPES,
    apply: (em, recorded) => applyJobEvent(em, recorded, new PersonalDataCipher(em, keyEncryptionKey)),
  };
}

async function applyJobEvent(
  em: EntityManager,
  recorded: RecordedEvent,
  cipher: PersonalDataCipher,
): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as JobEvent;
  const at = recorded.recordedAt;
  if (event.type === 'JobCreated') {
    const created = event.data;
    await em.insert(JobRecord, {
      id: created.job_id,
      userId: created.user_id,
      profileId: created.profile_id,
      profileKey: created.profile_key,
      profileVersion: created.profile_version,
      status: created.status,
      inputUri: created.input.uri,
      inputSha256: created.input.sha256,
      inputSize: String(created.input.size),
      format: created.format,
      // Sealed under the job's key in the event; null here once it is destroyed (a rebuild after a purge).
      filename: await openFilename(cipher, created.job_id, created.filename, em),
      meetingDate: created.meeting_date,
      attempts: created.attempt,
      metrics: null,
      cost: 0,
      error: null,
      retryAt: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      batchId: created.batch_id ?? null,
      rerunOf: created.rerun_of ?? null,
    });
    return;
  }
  if (event.type === 'JobTranscriptExpired') {
    await em.nativeUpdate(
      JobRecord,
      { id: event.data.job_id },
      { transcriptExpiredAt: new Date(event.data.at) },
    );
    return;
  }
  if (event.type === 'JobDeleted') {
    // The job's other read-model rows go with erasureProjection, its idempotency keys with JobDataErasure.
    await em.nativeDelete(JobRecord, { id: event.data.job_id });
    return;
  }
  const data = event.data;
  const change: Partial<JobRecord> = { status: data.status, attempts: data.attempt, updatedAt: at };
  switch (event.type) {
    case 'JobRetryScheduled':
      Object.assign(change, { retryAt: new Date(event.data.retry_at), error: event.data.error });
      break;
    case 'JobQueued':
      change.retryAt = null;
      break;
    case 'JobCompleted':
      Object.assign(change, { metrics: event.data.metrics, cost: event.data.cost, completedAt: at });
      break;
    case 'JobFailed':
      Object.assign(change, { error: event.data.error, completedAt: at, retryAt: null });
      break;
    case 'JobCancelled':
      Object.assign(change, { completedAt: at, retryAt: null });
      break;
    case 'JobStarted':
    case 'JobProgressed':
      break;
  }
  await em.nativeUpdate(JobRecord, { id: data.job_id }, change);
}
