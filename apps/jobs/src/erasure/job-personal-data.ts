import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@scriptripper/event-store';
import type { PersonalDataCipher } from '@scriptripper/privacy';
import type { JobEvent } from '../job/job.events';

const SEALED = 'pd1:';

/**
 * A job's personal data in its events (the uploaded file's name) is sealed under the job's own data
 * key, kept in the service's `user_keys` table under the job's id. Deleting the job destroys that
 * key (and purging the owner destroys the keys of all their jobs), so the name can no longer be read
 * from the append-only log, which stays intact and verifiable. The decided events, the work message
 * and the read model hold the plain name; only what is appended is sealed.
 */
export async function sealJobEvents(
  cipher: PersonalDataCipher,
  jobId: string,
  events: readonly JobEvent[],
): Promise<JobEvent[]> {
  return Promise.all(
    events.map(async (event) => {
      if (event.type !== 'JobCreated' || event.data.filename === null) return event;
      return {
        ...event,
        data: { ...event.data, filename: await cipher.encrypt(jobId, event.data.filename) },
      };
    }),
  );
}

/** The job's events with the file name opened again: null once the job's key is destroyed. */
export async function openJobHistory(
  cipher: PersonalDataCipher,
  jobId: string,
  history: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  return Promise.all(
    history.map(async (recorded) => {
      if (recorded.type !== 'JobCreated') return recorded;
      const data = recorded.data as { filename: string | null };
      return { ...recorded, data: { ...data, filename: await openFilename(cipher, jobId, data.filename) } };
    }),
  );
}

/** A stored file name: sealed ones are opened (null when shredded); names recorded before sealing pass as they are. */
export async function openFilename(
  cipher: PersonalDataCipher,
  jobId: string,
  stored: string | null,
  em?: EntityManager,
): Promise<string | null> {
  if (stored === null || !stored.startsWith(SEALED)) return stored;
  return cipher.decrypt(jobId, stored, em);
}

/** Crypto-shredding of the jobs' personal data, in the caller's transaction. */
export async function destroyJobKeys(
  cipher: PersonalDataCipher,
  em: EntityManager,
  jobIds: readonly string[],
): Promise<void> {
  for (const jobId of jobIds) await cipher.destroyKey(jobId, em);
}
