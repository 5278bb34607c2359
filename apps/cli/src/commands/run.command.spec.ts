import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../exit-codes';
import { FakeGateway } from '../test-support/fake-gateway';
import { CliSandbox } from '../test-support/test-io';

interface RunJson {
  batch_id: string;
  checksums_verified: boolean;
  jobs: {
    file: string;
    job_id: string;
    status: string;
    folder: string;
    error: { code: string } | null;
    files: { kind: string; path: string; sha256: string; expected_sha256: string; verified: boolean }[];
  }[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('scriptripper run', () => {
  let gateway: FakeGateway;
  let sandbox: CliSandbox;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    gateway = await new FakeGateway().start();
    sandbox = await CliSandbox.create();
    env = { SCRIPTRIPPER_URL: gateway.url, SCRIPTRIPPER_TOKEN: 'srt_good' };
    await mkdir(join(sandbox.folder, 'calls'));
    await writeFile(
      join(sandbox.folder, 'calls', 'standup.vtt'),
      'WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hi\n',
    );
    await writeFile(
      join(sandbox.folder, 'calls', 'standup.srt'),
      '1\n00:00:00,000 --> 00:00:01,000\nAna: Hi\n',
    );
    await writeFile(join(sandbox.folder, 'calls', 'review.txt'), 'Ana: Hi\nBob: Hello\n');
    await writeFile(join(sandbox.folder, 'notes.md'), 'not a transcript');
  });

  afterEach(async () => {
    await gateway.stop();
    await sandbox.remove();
  });

  it('submits every matching file as one batch, waits, and downloads each job into its folder with verified checksums', async () => {
    const run = await sandbox.run(
      ['run', '--profile', 'meeting', '--in', 'calls/*', '--out', 'results', '--json'],
      env,
    );

    expect(run.code).toBe(ExitCode.ok);
    const batchRequest = gateway.requestsTo('POST', '/api/v1/jobs/batch')[0];
    expect(batchRequest?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(batchRequest?.headers.authorization).toBe('Bearer srt_good');
    const form = await new Response(batchRequest?.body, {
      headers: { 'content-type': batchRequest?.headers['content-type'] ?? '' },
    }).formData();
    expect(form.get('profile')).toBe('meeting');
    const parts = form.getAll('file') as unknown as { name: string }[];
    expect(parts.map((part) => part.name)).toEqual(['review.txt', 'standup.srt', 'standup.vtt']);

    const result = run.json<RunJson>();
    expect(result.checksums_verified).toBe(true);
    expect(result.jobs.map((job) => [job.file, job.status, job.folder])).toEqual([
      [join('calls', 'review.txt'), 'completed', join('results', 'review')],
      [join('calls', 'standup.srt'), 'completed', join('results', 'standup')],
      [join('calls', 'standup.vtt'), 'completed', join('results', 'standup-vtt')],
    ]);
    for (const job of result.jobs) {
      expect((await readdir(join(sandbox.folder, job.folder))).sort()).toEqual([
        'results.json',
        'results.md',
        'transcript.json',
      ]);
      for (const file of job.files) {
        expect(file.verified).toBe(true);
        expect(sha256(await readFile(file.path))).toBe(file.expected_sha256);
      }
    }
    // Progress went to stderr, one line per status change (stderr is not a terminal here).
    expect(run.stderr).toContain('standup.vtt: running');
    expect(run.stderr).toContain('standup.vtt: completed');
  });

  it('prints a table of files, statuses and folders without --json', async () => {
    const run = await sandbox.run(
      ['run', '--profile', 'meeting', '--in', 'calls/review.txt', '--out', 'out', '-q'],
      env,
    );

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/^FILE\s+STATUS\s+FILES\s+FOLDER\n/);
    expect(run.stdout).toMatch(/review\.txt\s+completed\s+3\s+out\/review/);
    expect(run.stdout).toContain('every sha256 verified');
    expect(run.stderr).toBe('');
  });

  it('exits 6 when a download does not match its checksum, and does not keep that file', async () => {
    gateway.corruptKinds.add('results_md');

    const run = await sandbox.run(
      ['run', '--profile', 'meeting', '--in', 'calls/review.txt', '--out', 'out', '--json'],
      env,
    );

    expect(run.code).toBe(ExitCode.checksumMismatch);
    const result = run.json<RunJson>();
    expect(result.checksums_verified).toBe(false);
    const files = result.jobs[0]?.files ?? [];
    expect(files.find((file) => file.kind === 'results_md')).toMatchObject({ verified: false });
    expect(files.filter((file) => file.verified)).toHaveLength(2);
    expect((await readdir(join(sandbox.folder, 'out', 'review'))).sort()).toEqual([
      'results.json',
      'transcript.json',
    ]);
  });

  it('exits 5 when a job failed, with its error, and still downloads the others', async () => {
    gateway.outcomeByFilename.set('standup.srt', 'failed');

    const run = await sandbox.run(
      ['run', '--profile', 'meeting', '--in', 'calls/*.srt', 'calls/*.txt', '--out', 'out'],
      env,
    );

    expect(run.code).toBe(ExitCode.jobFailed);
    expect(run.stdout).toContain('calls/standup.srt: failed (TRANSCRIPT_EMPTY: no speech in it)');
    expect(await readdir(join(sandbox.folder, 'out'))).toEqual(['review']);
  });

  it('exits 4 with the API message for an unknown profile', async () => {
    const run = await sandbox.run(['run', '--profile', 'nope', '--in', 'calls/*', '--out', 'out'], env);

    expect(run.code).toBe(ExitCode.notFound);
    expect(run.stderr).toContain('error NOT_FOUND: No profile nope');
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 3 without a token, before sending anything', async () => {
    const run = await sandbox.run(['run', '--profile', 'meeting', '--in', 'calls/*', '--out', 'out'], {
      SCRIPTRIPPER_URL: gateway.url,
    });

    expect(run.code).toBe(ExitCode.auth);
    expect(run.stderr).toContain('Not signed in');
    expect(gateway.requests).toHaveLength(0);
  });

  it.each([
    [['--in', 'calls/*.wav', '--out', 'out'], 'matches no file'],
    [['--in', 'calls/missing.vtt', '--out', 'out'], 'no such file'],
    [['--in', 'calls', '--out', 'out'], 'is not a file'],
    [['--in', 'calls/*'], "required option '--out <dir>' not specified"],
    [['--in', 'calls/*', '--out', 'out', '--profile-version', 'two'], 'must be a whole number'],
    [['--in', 'calls/*', '--out', 'out', '--meeting-date', 'friday'], 'YYYY-MM-DD'],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const run = await sandbox.run(['run', '--profile', 'meeting', ...args], env);

    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain(message);
    expect(gateway.requestsTo('POST', '/api/v1/jobs/batch')).toHaveLength(0);
  });
});
