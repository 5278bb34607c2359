import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactView } from '@scriptripper/contracts';
import { builtFile } from '../dev/test-support/node-processes';
import { GatewayClient } from './test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { magicLinkFor } from './test-support/mailbox';
import { asPlainText, asSegmentsJson, asSrt, asWebVtt, VENDOR_MEETING } from './test-support/transcripts';

interface CliAnswer {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunResult {
  readonly batch_id: string;
  readonly checksums_verified: boolean;
  readonly jobs: readonly {
    readonly file: string;
    readonly job_id: string;
    readonly status: string;
    readonly folder: string;
    readonly files: readonly { kind: string; path: string; sha256: string; verified: boolean }[];
  }[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The built `scriptripper` CLI as a child process against the whole platform (every service
 * and the worker as processes): sign in by magic link, run a batch of four transcripts in
 * four formats, and check that every downloaded file matches the checksum the platform
 * recorded; then the failures a script relies on: a bad token, an unknown profile.
 */
describe('the scriptripper CLI against the platform', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let folder: string;
  let cliEnv: NodeJS.ProcessEnv;
  /** The batch the run test made; the prompt, export and re-run tests use its jobs. */
  let ran: RunResult | undefined;
  /** The job the re-run test made. */
  let rerunJobId: string | undefined;

  /** Runs `scriptripper <args>` from the build, in the test's folder, with no TTY. */
  function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliAnswer> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [builtFile('apps/cli/src/main.js'), '--poll-interval', '200', ...args],
        {
          cwd: folder,
          env: { ...cliEnv, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.once('error', reject);
      child.once('close', (code) =>
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
    });
  }

  /** The exit code, with the output in the failure message when it is not the expected one. */
  function expectExit(answer: CliAnswer, code: number): void {
    if (answer.code !== code) {
      throw new Error(
        `exit ${answer.code}, expected ${code}\nstdout:\n${answer.stdout}\nstderr:\n${answer.stderr}`,
      );
    }
  }

  function parsed<T>(answer: CliAnswer): T {
    try {
      return JSON.parse(answer.stdout) as T;
    } catch {
      throw new Error(
        `stdout is not JSON (exit ${answer.code}):\n${answer.stdout}\nstderr:\n${answer.stderr}`,
      );
    }
  }

  beforeAll(async () => {
    stack = await startIdentityStack('cli_e2e', { adminEmail: 'admin@cli.test', withWorker: true });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    folder = await mkdtemp(join(tmpdir(), 'scriptripper-cli-e2e-'));
    cliEnv = { PATH: process.env['PATH'], HOME: folder, XDG_CONFIG_HOME: join(folder, 'config') };
  });

  afterAll(async () => {
    await stack?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('signs in by magic link and keeps an API token in a 0600 config file', async () => {
    const asked = await cli(['login', '--url', stack.gatewayUrl, '--email', 'ana@cli.test']);
    expect(asked).toMatchObject({ code: 0, stderr: '' });

    const link = await magicLinkFor(stack.mailFolder, 'ana@cli.test');
    // The link names the gateway: no --url needed to finish.
    const finished = await cli(['login', '--magic-link', link.toString(), '--json']);
    expectExit(finished, 0);
    expect(parsed(finished)).toMatchObject({ url: stack.gatewayUrl, user: { email: 'ana@cli.test' } });

    const configFile = join(folder, 'config', 'scriptripper', 'config.json');
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(configFile, 'utf8')) as { url: string; token: string };
    expect(stored).toEqual({ url: stack.gatewayUrl, token: expect.stringMatching(/^srt_/) });

    const profiles = await cli(['profiles', 'list', '--json']);
    expectExit(profiles, 0);
    expect(parsed<{ items: { key: string }[] }>(profiles).items.map((item) => item.key)).toEqual(
      expect.arrayContaining(['meeting', 'talk', 'tasks']),
    );
  });

  it('runs four transcripts in four formats as one batch; every downloaded file matches its checksum', async () => {
    const inputs = join(folder, 'inputs');
    await mkdir(inputs, { recursive: true });
    const sources: Record<string, { text: string; format: string }> = {
      'vendor.vtt': { text: asWebVtt(VENDOR_MEETING), format: 'webvtt' },
      'vendor.srt': { text: asSrt(VENDOR_MEETING), format: 'srt' },
      'vendor.json': { text: asSegmentsJson(VENDOR_MEETING), format: 'segments-json' },
      'vendor.txt': { text: asPlainText(VENDOR_MEETING), format: 'plain' },
    };
    for (const [name, source] of Object.entries(sources)) await writeFile(join(inputs, name), source.text);

    const run = await cli([
      'run',
      '--profile',
      'meeting',
      '--in',
      'inputs/*.vtt',
      'inputs/*.srt',
      join(inputs, 'vendor.json'),
      'inputs/*.txt',
      '--out',
      'results',
      '--json',
    ]);

    expectExit(run, 0);
    const result = parsed<RunResult>(run);
    ran = result;
    expect(result.checksums_verified).toBe(true);
    expect(result.jobs.map((job) => [job.file, job.status])).toEqual([
      [join('inputs', 'vendor.vtt'), 'completed'],
      [join('inputs', 'vendor.srt'), 'completed'],
      [join('inputs', 'vendor.json'), 'completed'],
      [join('inputs', 'vendor.txt'), 'completed'],
    ]);
    // Progress, one line per status change, went to stderr.
    expect(run.stderr).toContain('vendor.txt: completed');

    // Checked independently of the CLI: the bytes on disk against the platform's own record.
    const token = JSON.parse(
      await readFile(join(folder, 'config', 'scriptripper', 'config.json'), 'utf8'),
    ).token;
    for (const job of result.jobs) {
      const recorded = await client.artifacts(job.job_id, token);
      expect(recorded.map((artifact: ArtifactView) => artifact.kind).sort()).toEqual([
        'results_json',
        'results_md',
        'transcript',
      ]);
      for (const artifact of recorded) {
        const bytes = await readFile(join(folder, job.folder, artifact.filename));
        expect(sha256(bytes)).toBe(artifact.checksum);
        expect(bytes.length).toBe(artifact.size);
      }
      const source = sources[job.file.replace(/^inputs\//, '')];
      const transcript = JSON.parse(await readFile(join(folder, job.folder, 'transcript.json'), 'utf8')) as {
        format: string;
      };
      expect(transcript.format).toBe(source?.format);
    }

    const listed = await cli(['jobs', 'list', '--status', 'completed', '--json']);
    expect(parsed<{ items: { id: string }[] }>(listed).items.map((job) => job.id)).toEqual(
      expect.arrayContaining(result.jobs.map((job) => job.job_id)),
    );
  });

  it('asks a question about a completed job and prints the answer, quoting the transcript', async () => {
    const jobId = ran?.jobs[0]?.job_id;
    expect(jobId).toBeDefined();

    const asked = await cli(['prompt', jobId ?? '', 'Who drafts the contract with legal?', '--json']);

    expectExit(asked, 0);
    const answer = parsed<{
      prompt: { status: string; job_id: string };
      answer: string;
      checksum_verified: boolean;
    }>(asked);
    expect(answer.prompt).toMatchObject({ status: 'answered', job_id: jobId });
    expect(answer.checksum_verified).toBe(true);
    // The offline answerer quotes the best-matching passage verbatim.
    expect(answer.answer).toContain("I'll draft the contract with legal by Thursday.");

    const plain = await cli(['prompt', jobId ?? '', 'Who drafts the contract with legal?']);
    expectExit(plain, 0);
    expect(plain.stdout).toContain("I'll draft the contract with legal by Thursday.");
  });

  it('exports the whole batch; the ZIP and the JSON match their checksums and their manifests', async () => {
    const batchId = ran?.batch_id;
    expect(batchId).toBeDefined();

    const exported = await cli(['export', batchId ?? '', '--out', 'bundle', '--json']);

    expectExit(exported, 0);
    const answer = parsed<{
      verified: boolean;
      subject_type: string;
      files: { kind: string; path: string; sha256: string; verified: boolean }[];
      manifests: { report: { verified: boolean; files: { path: string }[] } }[];
    }>(exported);
    expect(answer).toMatchObject({ verified: true, subject_type: 'batch' });
    expect(answer.files.map((file) => file.kind).sort()).toEqual(['export_json', 'export_zip']);
    for (const file of answer.files) expect(sha256(await readFile(file.path))).toBe(file.sha256);
    expect(answer.manifests).toHaveLength(2);
    for (const manifest of answer.manifests) {
      expect(manifest.report.verified).toBe(true);
      // Every job of the batch has its own folder in the bundle.
      for (const job of ran?.jobs ?? []) {
        expect(manifest.report.files.some((file) => file.path.startsWith(`${job.job_id}/`))).toBe(true);
      }
    }
  });

  it('re-runs a job and shows that the same profile version changes nothing', async () => {
    const jobId = ran?.jobs[1]?.job_id;
    expect(jobId).toBeDefined();

    const rerun = await cli(['jobs', 'rerun', jobId ?? '', '--wait', '--json']);

    expectExit(rerun, 0);
    const answer = parsed<{
      job_id: string;
      status: string;
      changes: {
        rerun_of: string;
        summary_changed: boolean;
        sections: { added: unknown[]; removed: unknown[] }[];
      };
    }>(rerun);
    expect(answer.job_id).not.toBe(jobId);
    rerunJobId = answer.job_id;
    expect(answer.status).toBe('completed');
    expect(answer.changes.rerun_of).toBe(jobId);
    expect(answer.changes.summary_changed).toBe(false);
    for (const section of answer.changes.sections) {
      expect(section.added).toEqual([]);
      expect(section.removed).toEqual([]);
    }
  });

  it('shows the batch, deletes a job and then the batch; each is gone afterwards', async () => {
    const batchId = ran?.batch_id ?? '';
    const shown = await cli(['batches', 'show', batchId, '--json']);
    expectExit(shown, 0);
    expect(parsed(shown)).toMatchObject({
      id: batchId,
      status: 'completed',
      counts: { total: 4, completed: 4 },
    });

    const deletedJob = await cli(['jobs', 'delete', rerunJobId ?? '']);
    expect(deletedJob).toMatchObject({ code: 0, stdout: `Deleted job ${rerunJobId}\n` });
    const goneJob = await cli(['jobs', 'show', rerunJobId ?? '']);
    expectExit(goneJob, 4);
    expect(goneJob.stderr).toMatch(/^error NOT_FOUND: /);

    const deletedBatch = await cli(['batches', 'delete', batchId, '--json']);
    expectExit(deletedBatch, 0);
    expect((await cli(['batches', 'show', batchId])).code).toBe(4);
    for (const job of ran?.jobs ?? []) expect((await cli(['jobs', 'show', job.job_id])).code).toBe(4);
  });

  it('exits 3 with the API message for a bad token, and --json still prints parseable JSON', async () => {
    const refused = await cli(['jobs', 'list', '--token', 'srt_not-a-real-token', '--json']);

    expectExit(refused, 3);
    expect(refused.stderr).toMatch(/^error UNAUTHORIZED: .+\n$/);
    expect(parsed(refused)).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String), exit_code: 3 },
    });
  });

  it('exits 4 for an unknown profile and submits nothing', async () => {
    await writeFile(join(folder, 'one.vtt'), asWebVtt(VENDOR_MEETING));
    const before = parsed<{ items: unknown[] }>(await cli(['jobs', 'list', '--json', '--limit', '100'])).items
      .length;

    const refused = await cli(['run', '--profile', 'no-such-profile', '--in', 'one.vtt', '--out', 'none']);

    expectExit(refused, 4);
    expect(refused.stderr).toMatch(/^error NOT_FOUND: .*no-such-profile.*\n$/i);
    const after = parsed<{ items: unknown[] }>(await cli(['jobs', 'list', '--json', '--limit', '100'])).items
      .length;
    expect(after).toBe(before);
  });
});
