import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../exit-codes';
import { FakeGateway } from '../test-support/fake-gateway';
import { CliSandbox } from '../test-support/test-io';

describe('scriptripper profiles, jobs, prompt, export', () => {
  let gateway: FakeGateway;
  let sandbox: CliSandbox;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    gateway = await new FakeGateway().start();
    sandbox = await CliSandbox.create();
    env = { SCRIPTRIPPER_URL: gateway.url, SCRIPTRIPPER_TOKEN: 'srt_good' };
  });

  afterEach(async () => {
    await gateway.stop();
    await sandbox.remove();
  });

  describe('profiles', () => {
    it('lists profiles as a table, or as JSON', async () => {
      const table = await sandbox.run(['profiles', 'list'], env);
      expect(table.code).toBe(ExitCode.ok);
      expect(table.stdout.split('\n').slice(0, 3)).toEqual([
        'KEY      DEFAULT  NAME',
        'meeting  v2       Meeting',
        'talk     v1       Talk',
      ]);

      const json = await sandbox.run(['profiles', 'list', '--json'], env);
      expect(json.json<{ items: { key: string }[] }>().items.map((item) => item.key)).toEqual([
        'meeting',
        'talk',
      ]);
    });

    it('shows a profile, or one version of it with --version', async () => {
      const profile = await sandbox.run(['profiles', 'show', 'meeting'], env);
      expect(profile.code).toBe(ExitCode.ok);
      expect(profile.stdout).toContain('default version: v2');
      expect(profile.stdout).toContain('output fields: summary, tasks');
      expect(profile.stdout).toMatch(/v1\s+deprecated/);

      const version = await sandbox.run(['profiles', 'show', 'meeting', '--version', '1', '--json'], env);
      expect(version.json()).toMatchObject({ key: 'meeting', version: 1, is_default: false });
      expect(gateway.requestsTo('GET', '/api/v1/profiles/meeting/versions/1')).toHaveLength(1);
    });

    it('exits 4 for an unknown profile', async () => {
      const missing = await sandbox.run(['profiles', 'show', 'nope', '--json'], env);
      expect(missing.code).toBe(ExitCode.notFound);
      expect(missing.json()).toEqual({
        error: { code: 'NOT_FOUND', message: 'No profile nope', exit_code: ExitCode.notFound },
      });
    });
  });

  describe('jobs', () => {
    it('lists, shows and deletes a job', async () => {
      const job = gateway.addCompletedJob('standup.vtt');

      const list = await sandbox.run(['jobs', 'list', '--status', 'completed', '--limit', '5'], env);
      expect(list.code).toBe(ExitCode.ok);
      expect(list.stdout).toMatch(new RegExp(`${job.view.id}\\s+completed\\s+meeting v1\\s+standup.vtt`));
      const query = gateway.requestsTo('GET', '/api/v1/jobs')[0]?.query;
      expect(query?.get('status')).toBe('completed');
      expect(query?.get('limit')).toBe('5');

      const show = await sandbox.run(['jobs', 'show', job.view.id, '--json'], env);
      expect(show.json()).toMatchObject({
        id: job.view.id,
        status: 'completed',
        artifacts: expect.any(Array),
      });
      expect(show.json<{ artifacts: unknown[] }>().artifacts).toHaveLength(3);

      const deleted = await sandbox.run(['jobs', 'delete', job.view.id], env);
      expect(deleted.code).toBe(ExitCode.ok);
      expect(deleted.stdout).toBe(`Deleted job ${job.view.id}\n`);

      const gone = await sandbox.run(['jobs', 'show', job.view.id], env);
      expect(gone.code).toBe(ExitCode.notFound);
      expect(gone.stderr).toBe(`error NOT_FOUND: No job ${job.view.id}\n`);
    });

    it('refuses an unknown --status with exit 2 before asking', async () => {
      const list = await sandbox.run(['jobs', 'list', '--status', 'done'], env);
      expect(list.code).toBe(ExitCode.usage);
      expect(list.stderr).toContain('--status must be one of queued, running, completed, failed, cancelled');
      expect(gateway.requests).toHaveLength(0);
    });

    it('re-runs a job with another profile version, and with --wait shows what changed', async () => {
      const job = gateway.addCompletedJob();

      const rerun = await sandbox.run(
        ['jobs', 'rerun', job.view.id, '--profile-version', '2', '--wait', '--json'],
        env,
      );

      expect(rerun.code).toBe(ExitCode.ok);
      expect(
        JSON.parse(gateway.requestsTo('POST', `/api/v1/jobs/${job.view.id}/rerun`)[0]?.body.toString() ?? ''),
      ).toEqual({
        profile_version: 2,
      });
      const answer = rerun.json<{ job_id: string; rerun_of: string; status: string; changes: unknown }>();
      expect(answer).toMatchObject({ rerun_of: job.view.id, status: 'completed' });
      expect(answer.changes).toMatchObject({ job_id: answer.job_id, rerun_of: job.view.id });

      const human = await sandbox.run(['jobs', 'rerun', job.view.id, '--wait'], env);
      expect(human.stderr).toBe('');
      expect(human.code).toBe(ExitCode.ok);
      expect(human.stdout).toContain('(meeting v1 -> v1)');
      expect(human.stdout).toMatch(/tasks\s+1\s+0\s+0\s+2/);
    });
  });

  describe('batches', () => {
    it('lists and shows the batch a run made, and deletes it with its jobs', async () => {
      await writeFile(join(sandbox.folder, 'standup.vtt'), 'WEBVTT\n');
      const ran = await sandbox.run(
        ['run', '--profile', 'meeting', '--in', 'standup.vtt', '--out', 'out', '--json'],
        env,
      );
      const batchId = ran.json<{ batch_id: string }>().batch_id;

      const list = await sandbox.run(['batches', 'list'], env);
      expect(list.code).toBe(ExitCode.ok);
      expect(list.stdout).toMatch(new RegExp(`${batchId}\\s+completed\\s+meeting v1\\s+1/1 completed`));

      const show = await sandbox.run(['batches', 'show', batchId], env);
      expect(show.code).toBe(ExitCode.ok);
      expect(show.stdout).toContain(`batch ${batchId}: completed (1/1 completed)`);
      expect(show.stdout).toMatch(/completed\s+standup\.vtt/);

      const deleted = await sandbox.run(['batches', 'delete', batchId, '--json'], env);
      expect(deleted.code).toBe(ExitCode.ok);
      expect(deleted.json()).toEqual({ batch_id: batchId, deleted: true });
      expect((await sandbox.run(['batches', 'show', batchId], env)).code).toBe(ExitCode.notFound);
      expect(gateway.jobs.size).toBe(0);
    });
  });

  describe('jobs relabel', () => {
    it('sends the renames; two labels to one name merge them', async () => {
      const job = gateway.addCompletedJob();

      const relabel = await sandbox.run(
        ['jobs', 'relabel', job.view.id, '--rename', 'Speaker 0=Alice', 'Speaker 1 = Alice', '--json'],
        env,
      );

      expect(relabel.code).toBe(ExitCode.ok);
      expect(relabel.json()).toMatchObject({ job_id: job.view.id, relabel_id: expect.any(String) });
      const sent = gateway.requestsTo('POST', `/api/v1/jobs/${job.view.id}/speakers`)[0];
      expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({
        rename: { 'Speaker 0': 'Alice', 'Speaker 1': 'Alice' },
      });
    });

    it('refuses a rename that is not label=name with exit 2', async () => {
      const relabel = await sandbox.run(['jobs', 'relabel', 'some-job', '--rename', 'Alice'], env);

      expect(relabel.code).toBe(ExitCode.usage);
      expect(relabel.stderr).toContain('expected "label=name"');
      expect(gateway.requests).toHaveLength(0);
    });
  });

  describe('prompt', () => {
    it('asks, waits for the answer and prints it after checking its checksum', async () => {
      const job = gateway.addCompletedJob();

      const asked = await sandbox.run(['prompt', job.view.id, 'When do we ship?'], env);

      expect(asked.code).toBe(ExitCode.ok);
      expect(asked.stdout).toBe('Ana at 00:00:01: "we ship on Friday"\n');
      expect(JSON.parse(gateway.requestsTo('POST', '/api/v1/prompts')[0]?.body.toString() ?? '')).toEqual({
        job_id: job.view.id,
        prompt: 'When do we ship?',
      });
    });

    it('answers JSON with the prompt, its artifact and the answer', async () => {
      const job = gateway.addCompletedJob();

      const asked = await sandbox.run(['prompt', job.view.id, 'When do we ship?', '--json'], env);

      expect(asked.json()).toMatchObject({
        prompt: { job_id: job.view.id, status: 'answered' },
        artifact: { kind: expect.stringMatching(/^prompt:/) },
        answer: expect.stringContaining('Friday'),
        checksum_verified: true,
      });
    });

    it('exits 6 and does not show an answer whose checksum differs', async () => {
      const job = gateway.addCompletedJob();
      gateway.override = (request) =>
        request.path.startsWith('/api/v1/downloads/')
          ? { status: 200, bytes: Buffer.from('tampered') }
          : undefined;

      const asked = await sandbox.run(['prompt', job.view.id, 'When do we ship?'], env);

      expect(asked.code).toBe(ExitCode.checksumMismatch);
      expect(asked.stdout).not.toContain('tampered');
    });

    it('exits 7 with the message when the job cannot take prompts (409)', async () => {
      const job = gateway.addCompletedJob();
      job.view = { ...job.view, status: 'running' };
      job.upcoming.splice(0, job.upcoming.length, 'running');

      const asked = await sandbox.run(['prompt', job.view.id, 'When do we ship?'], env);

      expect(asked.code).toBe(ExitCode.conflict);
      expect(asked.stderr).toBe('error CONFLICT: The job is not completed\n');
    });

    it('exits 7 for a job whose transcript expired (410)', async () => {
      gateway.override = (request) =>
        request.path === '/api/v1/prompts'
          ? {
              status: 410,
              json: { error: { code: 'GONE', message: 'The transcript has expired', retryable: false } },
            }
          : undefined;

      const asked = await sandbox.run(['prompt', 'any-job', 'When do we ship?'], env);

      expect(asked.code).toBe(ExitCode.conflict);
      expect(asked.stderr).toContain('error GONE: The transcript has expired');
    });
  });

  describe('export', () => {
    it('downloads the export files, checks their checksums and the ZIP against its manifest', async () => {
      const job = gateway.addCompletedJob();

      const exported = await sandbox.run(['export', job.view.id, '--out', 'bundle', '--json'], env);

      expect(exported.code).toBe(ExitCode.ok);
      const answer = exported.json<{
        verified: boolean;
        subject_type: string;
        manifests: { report: { verified: boolean; files: { path: string }[] } }[];
      }>();
      expect(answer).toMatchObject({ verified: true, subject_type: 'job' });
      expect(answer.manifests).toHaveLength(2);
      for (const manifest of answer.manifests) {
        expect(manifest.report).toMatchObject({ verified: true });
        expect(manifest.report.files.map((file) => file.path)).toEqual([
          'standup/results.md',
          'standup/results.json',
        ]);
      }
      expect((await readdir(join(sandbox.folder, 'bundle'))).sort()).toEqual(['export.json', 'export.zip']);
      expect(
        JSON.parse(await readFile(join(sandbox.folder, 'bundle', 'export.json'), 'utf8')),
      ).toHaveProperty('manifest');
    });

    it('exits 6 when a file in the ZIP does not match the manifest', async () => {
      const job = gateway.addCompletedJob();
      gateway.tamperExportManifest = true;

      const exported = await sandbox.run(['export', job.view.id, '--out', 'bundle'], env);

      expect(exported.code).toBe(ExitCode.checksumMismatch);
      expect(exported.stdout).toMatch(/export\.zip: standup\/results\.md: sha256 is [0-9a-f]{64}/);
      expect(exported.stdout).toMatch(/export\.json: standup\/results\.md: sha256 is [0-9a-f]{64}/);
    });
  });

  describe('errors', () => {
    it('exits 9 when the gateway cannot be reached', async () => {
      await gateway.stop();

      const list = await sandbox.run(['jobs', 'list'], env);

      expect(list.code).toBe(ExitCode.unavailable);
      expect(list.stderr).toMatch(
        /^error UNAVAILABLE: cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/,
      );
    });

    it('shows an unexpected answer as one line, and a stack only with --debug', async () => {
      gateway.override = () => ({ status: 200, bytes: Buffer.from('<html>a proxy page</html>') });

      const plain = await sandbox.run(['profiles', 'list'], env);
      expect(plain.code).toBe(ExitCode.failure);
      expect(plain.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(plain.stderr).toBe('error INTERNAL: GET /profiles answered no JSON\n');

      const debug = await sandbox.run(['profiles', 'list', '--debug'], env);
      expect(debug.code).toBe(ExitCode.failure);
      expect(debug.stderr).toContain('    at ');
    });

    it('exits 8 on a quota or spend cap, with the message', async () => {
      gateway.override = () => ({
        status: 402,
        json: {
          error: {
            code: 'SPEND_CAP_REACHED',
            message: 'Your daily LLM spend cap is reached',
            retryable: false,
          },
        },
      });

      const list = await sandbox.run(['jobs', 'list'], env);

      expect(list.code).toBe(ExitCode.limited);
      expect(list.stderr).toBe('error SPEND_CAP_REACHED: Your daily LLM spend cap is reached\n');
    });

    it('exits 2 on an unknown command or option, and 0 for --help', async () => {
      expect((await sandbox.run(['frobnicate'], env)).code).toBe(ExitCode.usage);
      expect((await sandbox.run(['jobs', 'list', '--bogus'], env)).code).toBe(ExitCode.usage);
      const json = await sandbox.run(['jobs', 'list', '--bogus', '--json'], env);
      expect(json.code).toBe(ExitCode.usage);
      expect(json.json()).toEqual({
        error: { code: 'USAGE', message: "unknown option '--bogus'", exit_code: ExitCode.usage },
      });
      const help = await sandbox.run(['--help'], env);
      expect(help.code).toBe(ExitCode.ok);
      expect(help.stdout).toContain('Exit codes');
    });
  });
});
