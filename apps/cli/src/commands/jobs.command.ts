import type { Command } from 'commander';
import type { JobStatus, JobView, ResultsChanges } from '../api/scriptripper-api';
import { JOB_STATUSES, TERMINAL_JOB_STATUSES } from '@scriptripper/contracts';
import { positiveInteger } from '../cli-numbers';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import { waitFor } from '../wait';
import type { CommandRunner } from './command-runner';

interface ListOptions {
  readonly status?: string;
  readonly limit: number;
  readonly cursor?: string;
}
interface RelabelOptions {
  readonly rename: string[];
}
interface RerunOptions {
  readonly profileVersion?: number;
  readonly wait?: boolean;
  readonly timeout: number;
}

export function registerJobsCommand(program: Command, run: CommandRunner): void {
  const jobs = program.command('jobs').description('Your jobs');
  jobs
    .command('list')
    .description('Your jobs, newest first')
    .option('--status <status>', `only jobs in this status (${JOB_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many (1 to 100)', positiveInteger('--limit'), 20)
    .option('--cursor <cursor>', 'the next page (next_cursor of the previous one)')
    .action(run<ListOptions>(listJobs));
  jobs
    .command('show')
    .description('A job: status, profile, metrics, cost, error, and its artifacts')
    .argument('<job-id>')
    .action(run(showJob));
  jobs
    .command('delete')
    .description('Delete a job: its files and records (the audit trail keeps that it existed)')
    .argument('<job-id>')
    .action(run(deleteJob));
  jobs
    .command('rerun')
    .description('Run a job again as a new job, optionally with another profile version')
    .argument('<job-id>')
    .option(
      '--profile-version <n>',
      'the profile version for the new job',
      positiveInteger('--profile-version'),
    )
    .option('--wait', 'wait for the new job and show what changed against the old one')
    .option(
      '--timeout <seconds>',
      'with --wait: give up after this long (0: never)',
      positiveInteger('--timeout', 0),
      3600,
    )
    .action(run<RerunOptions>(rerunJob));
  jobs
    .command('relabel')
    .description(
      "Rename a completed job's speakers; renaming two labels to one name merges them. " +
        'The outputs are re-rendered with the new names.',
    )
    .argument('<job-id>')
    .requiredOption('--rename <label=name...>', 'e.g. --rename "Speaker 0=Alice" "Speaker 1=Bob"')
    .action(run<RelabelOptions>(relabelJob));
}

async function listJobs(context: CommandContext, options: ListOptions): Promise<number> {
  if (options.status !== undefined && !(JOB_STATUSES as readonly string[]).includes(options.status)) {
    throw CliError.usage(`--status must be one of ${JOB_STATUSES.join(', ')}`);
  }
  if (options.limit > 100) throw CliError.usage('--limit must be at most 100');
  const api = await context.api();
  const page = await api.jobs({
    limit: options.limit,
    ...(options.status ? { status: options.status as JobStatus } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  const { output } = context;
  output.result(page, () => {
    output.table(
      ['ID', 'STATUS', 'PROFILE', 'FILE', 'CREATED'],
      page.items.map((job) => [
        job.id,
        job.status,
        `${job.profile_key} v${job.profile_version}`,
        job.filename ?? '-',
        job.created_at,
      ]),
    );
    if (page.next_cursor) output.line(`more: scriptripper jobs list --cursor ${page.next_cursor}`);
  });
  return ExitCode.ok;
}

async function showJob(context: CommandContext, _options: unknown, [jobId]: string[]): Promise<number> {
  const api = await context.api();
  const job = await api.job(jobId ?? '');
  const artifacts = job.status === 'completed' ? await api.artifacts(job.id) : [];
  const { output } = context;
  output.result({ ...job, artifacts }, () => {
    printJob(context, job);
    if (artifacts.length > 0) {
      output.line();
      output.table(
        ['ARTIFACT', 'KIND', 'BYTES', 'SHA256'],
        artifacts.map((artifact) => [artifact.id, artifact.kind, String(artifact.size), artifact.checksum]),
      );
    }
  });
  return ExitCode.ok;
}

function printJob(context: CommandContext, job: JobView): void {
  const { output } = context;
  const lines: [string, string | number | null | undefined][] = [
    ['id', job.id],
    ['status', job.status],
    ['profile', `${job.profile_key} v${job.profile_version}`],
    ['file', job.filename],
    ['format', job.format],
    ['batch', job.batch_id],
    ['rerun of', job.rerun_of],
    ['attempts', job.attempts],
    ['created', job.created_at],
    ['completed', job.completed_at],
    ['cost', `$${job.cost}`],
  ];
  for (const [name, value] of lines) {
    if (value !== null && value !== undefined) output.line(`${`${name}:`.padEnd(11)}${value}`);
  }
  if (job.metrics) {
    const { duration_ms, words, segments, speakers } = job.metrics;
    output.line(
      `${'metrics:'.padEnd(11)}${segments ?? '-'} segments, ${words ?? '-'} words, ${speakers ?? '-'} speakers, ${duration_ms ?? '-'} ms`,
    );
  }
  if (job.error) output.line(`${'error:'.padEnd(11)}${job.error.code}: ${job.error.message}`);
}

async function deleteJob(context: CommandContext, _options: unknown, [jobId]: string[]): Promise<number> {
  const api = await context.api();
  await api.deleteJob(jobId ?? '');
  context.output.result({ job_id: jobId, deleted: true }, () => context.output.line(`Deleted job ${jobId}`));
  return ExitCode.ok;
}

async function rerunJob(context: CommandContext, options: RerunOptions, [jobId]: string[]): Promise<number> {
  const api = await context.api();
  const { job_id: newJobId } = await api.rerun(jobId ?? '', options.profileVersion);
  const { output } = context;
  if (!options.wait) {
    output.result({ job_id: newJobId, rerun_of: jobId }, () =>
      output.line(`Job ${newJobId} re-runs ${jobId}; follow it with: scriptripper jobs show ${newJobId}`),
    );
    return ExitCode.ok;
  }
  const job = await waitFor(
    `job ${newJobId}`,
    async () => {
      const current = await api.job(newJobId);
      return TERMINAL_JOB_STATUSES.includes(current.status) ? current : undefined;
    },
    context.waitOptions(options.timeout),
  );
  const changes = job.status === 'completed' ? await api.changes(newJobId) : null;
  output.result({ job_id: newJobId, rerun_of: jobId, status: job.status, error: job.error, changes }, () => {
    printJob(context, job);
    if (changes !== null) printChanges(context, changes);
  });
  return job.status === 'completed' ? ExitCode.ok : ExitCode.jobFailed;
}

function printChanges(context: CommandContext, changes: ResultsChanges): void {
  const { output } = context;
  output.line();
  output.line(
    `changes against ${changes.rerun_of} (${changes.profile.key} v${changes.profile.from_version} -> v${changes.profile.to_version}):`,
  );
  output.line(`summary ${changes.summary_changed ? 'changed' : 'unchanged'}`);
  output.table(
    ['SECTION', 'ADDED', 'REMOVED', 'CHANGED', 'UNCHANGED'],
    changes.sections.map((section) => [
      section.section,
      String(section.added.length),
      String(section.removed.length),
      String(section.changed.length),
      String(section.unchanged),
    ]),
  );
}

async function relabelJob(
  context: CommandContext,
  options: RelabelOptions,
  [jobId]: string[],
): Promise<number> {
  const rename: Record<string, string> = {};
  for (const pair of options.rename) {
    const at = pair.indexOf('=');
    const label = pair.slice(0, at).trim();
    const name = pair.slice(at + 1).trim();
    if (at < 0 || !label || !name) throw CliError.usage(`--rename ${pair}: expected "label=name"`);
    rename[label] = name;
  }
  const api = await context.api();
  const accepted = await api.relabelSpeakers(jobId ?? '', rename);
  context.output.result({ ...accepted, rename }, () =>
    context.output.line(
      `Relabelling ${accepted.job_id} (${accepted.relabel_id}); its outputs are being re-rendered`,
    ),
  );
  return ExitCode.ok;
}
