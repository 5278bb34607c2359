import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BatchView, JobStatus, JobView } from '../api/scriptripper-api';
import { TERMINAL_JOB_STATUSES } from '@scriptripper/contracts';
import { positiveInteger } from '../cli-numbers';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import { downloadArtifacts, type DownloadedFile } from '../files/download';
import { expandInputs, type InputFile } from '../files/input-files';
import { JobProgress } from '../output/job-progress';
import { waitFor } from '../wait';
import type { CommandRunner } from './command-runner';

interface RunOptions {
  readonly profile: string;
  readonly profileVersion?: number;
  readonly in: string[];
  readonly out: string;
  readonly meetingDate?: string;
  readonly timeout: number;
}

/** One input's outcome. */
interface RunItem {
  readonly file: string;
  readonly job_id: string;
  readonly status: JobStatus;
  readonly error: JobView['error'];
  /** The sub-folder of `--out` the results are in (relative to the current directory). */
  readonly folder: string;
  readonly files: readonly DownloadedFile[];
}

const MEETING_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerRunCommand(program: Command, run: CommandRunner): void {
  program
    .command('run')
    .summary('Analyse transcripts as one batch and download the checked results')
    .description(
      'Analyse transcripts: submit them as one batch, follow each job, download every result into ' +
        '--out (one folder per input) and check each file against its sha256. ' +
        'Exits 5 when a job failed, 6 when a download does not match its checksum.',
    )
    .requiredOption('--profile <key>', 'profile key, e.g. meeting')
    .requiredOption('--in <files...>', 'transcript files or globs ("calls/*.vtt"), several allowed')
    .requiredOption('--out <dir>', 'folder for the results (created when missing)')
    .option(
      '--profile-version <n>',
      'a version of the profile (its default otherwise)',
      positiveInteger('--profile-version'),
    )
    .option('--meeting-date <yyyy-mm-dd>', 'resolves relative due dates ("by Friday")')
    .option(
      '--timeout <seconds>',
      'give up waiting after this long (0: never)',
      positiveInteger('--timeout', 0),
      3600,
    )
    .action(run<RunOptions>(runBatch));
}

async function runBatch(context: CommandContext, options: RunOptions): Promise<number> {
  if (options.meetingDate !== undefined && !MEETING_DATE.test(options.meetingDate)) {
    throw CliError.usage('--meeting-date must be YYYY-MM-DD');
  }
  const inputs = await expandInputs(options.in, context.io.cwd);
  const api = await context.api();
  const { output } = context;
  const form = await batchForm(options, inputs);
  const created = await api.submitBatch(form);
  if (created.job_ids.length !== inputs.length) {
    throw new CliError(
      'UNEXPECTED_ANSWER',
      `the batch has ${created.job_ids.length} jobs for ${inputs.length} files`,
      ExitCode.failure,
    );
  }
  const jobs = inputs.map((input, index) => ({ input, job_id: created.job_ids[index] ?? '' }));
  if (!context.options.quiet) output.note(`batch ${created.batch_id}: ${inputs.length} job(s)`);

  const progress = new JobProgress(
    output,
    jobs.map((job) => ({ job_id: job.job_id, label: job.input.filename })),
    context.options.quiet === true,
  );
  let batch: BatchView;
  try {
    batch = await waitFor(
      `batch ${created.batch_id}`,
      async () => {
        const current = await api.batch(created.batch_id);
        progress.update(new Map(current.items.map((item) => [item.job_id, item.status])));
        return current.items.every((item) => TERMINAL_JOB_STATUSES.includes(item.status))
          ? current
          : undefined;
      },
      context.waitOptions(options.timeout),
    );
  } finally {
    progress.stop();
  }

  const outDir = resolve(context.io.cwd, options.out);
  const statuses = new Map(batch.items.map((item) => [item.job_id, item.status]));
  const items: RunItem[] = [];
  for (const { input, job_id } of jobs) {
    const status = statuses.get(job_id) ?? 'failed';
    const folder = join(outDir, input.folder);
    const files =
      status === 'completed' ? await downloadArtifacts(api, await api.artifacts(job_id), folder) : [];
    const error = status === 'completed' ? null : (await api.job(job_id)).error;
    items.push({
      file: relative(context.io.cwd, input.path) || input.filename,
      job_id,
      status,
      error,
      folder: relative(context.io.cwd, folder) || '.',
      files,
    });
  }

  const mismatched = items.flatMap((item) => item.files.filter((file) => !file.verified));
  const failed = items.filter((item) => item.status !== 'completed');
  output.result(
    {
      batch_id: created.batch_id,
      status: batch.status,
      out_dir: outDir,
      checksums_verified: mismatched.length === 0,
      jobs: items,
    },
    () => {
      output.table(
        ['FILE', 'STATUS', 'FILES', 'FOLDER'],
        items.map((item) => [item.file, item.status, String(item.files.length), item.folder]),
      );
      for (const item of failed) {
        output.line(
          `${item.file}: ${item.status}${item.error ? ` (${item.error.code}: ${item.error.message})` : ''}`,
        );
      }
      for (const file of mismatched) output.line(`checksum mismatch, not kept: ${file.path}`);
      if (failed.length === 0 && mismatched.length === 0) {
        const count = items.reduce((sum, item) => sum + item.files.length, 0);
        output.line(`${count} file(s) downloaded into ${outDir}, every sha256 verified`);
      }
    },
  );
  if (mismatched.length > 0) return ExitCode.checksumMismatch;
  return failed.length > 0 ? ExitCode.jobFailed : ExitCode.ok;
}

/** The multipart body of `POST /jobs/batch`: the fields, then one `file` part per input. */
async function batchForm(options: RunOptions, inputs: readonly InputFile[]): Promise<FormData> {
  const form = new FormData();
  form.append('profile', options.profile);
  if (options.profileVersion !== undefined) form.append('profile_version', String(options.profileVersion));
  if (options.meetingDate !== undefined) form.append('meeting_date', options.meetingDate);
  for (const input of inputs) {
    form.append('file', new Blob([await readFile(input.path)]), input.filename);
  }
  return form;
}
