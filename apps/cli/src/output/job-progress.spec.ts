import { PassThrough, Readable } from 'node:stream';
import type { JobStatus } from '@scriptripper/contracts';
import type { CliIo } from '../cli-io';
import { JobProgress } from './job-progress';
import { Output } from './output';

function capture(isTTY: boolean): { output: Output; text: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY });
  const chunks: Buffer[] = [];
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const io: CliIo = { stdout: new PassThrough(), stderr, stdin: Readable.from([]), env: {}, cwd: '/' };
  return { output: new Output(io, false), text: () => Buffer.concat(chunks).toString('utf8') };
}

const jobs = [
  { job_id: 'job-1', label: 'standup.vtt' },
  { job_id: 'job-2', label: 'review.txt' },
];
const statuses = (first: JobStatus, second: JobStatus) =>
  new Map<string, JobStatus>([
    ['job-1', first],
    ['job-2', second],
  ]);

describe('job progress', () => {
  it('draws one bar per job on a terminal, full at the end', () => {
    const { output, text } = capture(true);
    const progress = new JobProgress(output, jobs, false);

    progress.update(statuses('running', 'queued'));
    progress.update(statuses('completed', 'failed'));
    progress.stop();

    const lastLines = text().split('\n').slice(-3).join('\n');
    expect(lastLines).toMatch(/standup\.vtt\s+█{20} completed/);
    expect(lastLines).toMatch(/review\.txt\s+█{20} failed/);
  });

  it('writes one line per status change when stderr is not a terminal', () => {
    const { output, text } = capture(false);
    const progress = new JobProgress(output, jobs, false);

    progress.update(statuses('queued', 'queued'));
    progress.update(statuses('running', 'queued'));
    progress.update(statuses('completed', 'completed'));
    progress.stop();

    expect(text()).toBe(
      [
        'standup.vtt: queued',
        'review.txt: queued',
        'standup.vtt: running',
        'standup.vtt: completed',
        'review.txt: completed',
        '',
      ].join('\n'),
    );
  });

  it('writes nothing when quiet', () => {
    const { output, text } = capture(true);
    const progress = new JobProgress(output, jobs, true);
    progress.update(statuses('completed', 'completed'));
    progress.stop();
    expect(text()).toBe('');
  });
});
