import { MalformedEnvelopeError } from '@scriptripper/streams';
import { analysisWorkOf } from './analysis-work';

const work = {
  job_id: 'job-1',
  user_id: 'user-1',
  attempt: 1,
  input: { uri: `blob://sha256/${'a'.repeat(64)}`, sha256: 'a'.repeat(64), size: 10 },
  format: null,
  filename: 'call.vtt',
  meeting_date: '2026-03-02',
  profile: { key: 'meeting', version: 1 },
};

describe('analysisWorkOf', () => {
  it('accepts a work message as jobs writes it', () => {
    expect(analysisWorkOf(work)).toBe(work);
  });

  it('refuses a message that is not work, naming every wrong field', () => {
    expect(() => analysisWorkOf({ ...work, attempt: 0, meeting_date: 'Friday' })).toThrow(
      MalformedEnvelopeError,
    );
    expect(() => analysisWorkOf({ ...work, attempt: 0, meeting_date: 'Friday' })).toThrow(
      'analysis work with a missing or wrong attempt, meeting_date',
    );
    expect(() => analysisWorkOf(null)).toThrow(
      'job_id, user_id, attempt, input.uri, profile.key, profile.version',
    );
  });
});
