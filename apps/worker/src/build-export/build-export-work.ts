import type { BlobReference, BuildExportWork, ExportJobSource } from '@scriptripper/contracts';
import { isUuid } from '@scriptripper/contracts';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A BuildExport message's data, checked: a malformed one throws, so the transport retries it
 * and then moves it to the dead-letter stream with the reason, rather than building garbage.
 */
export function buildExportWorkOf(data: unknown): BuildExportWork {
  const work = data as Partial<BuildExportWork> | undefined;
  if (typeof work?.export_id !== 'string' || !isUuid(work.export_id)) throw malformed('export_id');
  if (typeof work.user_id !== 'string' || work.user_id.length === 0) throw malformed('user_id');
  if (work.subject_type !== 'job' && work.subject_type !== 'batch') throw malformed('subject_type');
  if (!isUuid(work.subject_id)) throw malformed('subject_id');
  if (!Array.isArray(work.jobs) || work.jobs.length === 0) throw malformed('jobs');
  return {
    export_id: work.export_id,
    user_id: work.user_id,
    subject_type: work.subject_type,
    subject_id: work.subject_id,
    jobs: work.jobs.map((job: Partial<ExportJobSource>, index) => {
      if (typeof job?.job_id !== 'string' || !isUuid(job.job_id)) throw malformed(`jobs[${index}].job_id`);
      return {
        job_id: job.job_id,
        results_json: blobOf(job.results_json, `jobs[${index}].results_json`),
        results_md: blobOf(job.results_md, `jobs[${index}].results_md`),
        transcript: blobOf(job.transcript, `jobs[${index}].transcript`),
      };
    }),
  };
}

function blobOf(value: unknown, name: string): BlobReference | null {
  if (value === null || value === undefined) return null;
  const blob = value as Partial<BlobReference>;
  if (
    typeof blob.sha256 !== 'string' ||
    !SHA256.test(blob.sha256) ||
    blob.uri !== `blob://sha256/${blob.sha256}` ||
    typeof blob.size !== 'number'
  ) {
    throw malformed(name);
  }
  return { uri: blob.uri, sha256: blob.sha256, size: blob.size };
}

function malformed(field: string): Error {
  return new Error(`malformed BuildExport message: ${field}`);
}
