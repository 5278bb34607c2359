import type { AnalyzeTranscriptWork } from '@scriptripper/contracts';
import { MalformedEnvelopeError } from '@scriptripper/streams';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The work message's payload, checked: it comes from jobs' outbox, but a message that is not
 * work must fail loudly (and end in the DLQ) rather than half run.
 */
export function analysisWorkOf(data: unknown): AnalyzeTranscriptWork {
  const work = data as Partial<AnalyzeTranscriptWork> | null;
  const problems = [
    typeof work?.job_id === 'string' && work.job_id !== '' ? null : 'job_id',
    typeof work?.user_id === 'string' && work.user_id !== '' ? null : 'user_id',
    Number.isInteger(work?.attempt) && (work?.attempt ?? 0) >= 1 ? null : 'attempt',
    typeof work?.input?.uri === 'string' ? null : 'input.uri',
    optionalText(work?.format) ? null : 'format',
    optionalText(work?.filename) ? null : 'filename',
    work?.meeting_date == null || DATE.test(work.meeting_date) ? null : 'meeting_date',
    typeof work?.profile?.key === 'string' ? null : 'profile.key',
    Number.isInteger(work?.profile?.version) ? null : 'profile.version',
  ].filter((problem) => problem !== null);
  if (problems.length > 0) {
    throw new MalformedEnvelopeError(`analysis work with a missing or wrong ${problems.join(', ')}`);
  }
  return work as AnalyzeTranscriptWork;
}

function optionalText(value: unknown): boolean {
  return value == null || typeof value === 'string';
}
