import type { Command } from 'commander';
import type { BatchView } from '../api/scriptripper-api';
import { positiveInteger } from '../cli-numbers';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import type { CommandRunner } from './command-runner';

interface ListOptions {
  readonly limit: number;
  readonly cursor?: string;
}

export function registerBatchesCommand(program: Command, run: CommandRunner): void {
  const batches = program.command('batches').description('Your batches (what `run` submits)');
  batches
    .command('list')
    .description('Your batches, newest first, with their counts')
    .option('--limit <n>', 'at most this many (1 to 100)', positiveInteger('--limit'), 20)
    .option('--cursor <cursor>', 'the next page (next_cursor of the previous one)')
    .action(run<ListOptions>(listBatches));
  batches
    .command('show')
    .description("A batch: its status, counts and each item's job and status")
    .argument('<batch-id>')
    .action(run(showBatch));
  batches
    .command('delete')
    .description('Delete a batch and all its jobs (their files and records)')
    .argument('<batch-id>')
    .action(run(deleteBatch));
}

const countsOf = (batch: BatchView) =>
  `${batch.counts.completed}/${batch.counts.total} completed` +
  (batch.counts.failed ? `, ${batch.counts.failed} failed` : '') +
  (batch.counts.cancelled ? `, ${batch.counts.cancelled} cancelled` : '');

async function listBatches(context: CommandContext, options: ListOptions): Promise<number> {
  if (options.limit > 100) throw CliError.usage('--limit must be at most 100');
  const api = await context.api();
  const page = await api.batches({
    limit: options.limit,
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  const { output } = context;
  output.result(page, () => {
    output.table(
      ['ID', 'STATUS', 'PROFILE', 'JOBS', 'CREATED'],
      page.items.map((batch) => [
        batch.id,
        batch.status,
        `${batch.profile_key} v${batch.profile_version}`,
        countsOf(batch),
        batch.created_at,
      ]),
    );
    if (page.next_cursor) output.line(`more: scriptripper batches list --cursor ${page.next_cursor}`);
  });
  return ExitCode.ok;
}

async function showBatch(context: CommandContext, _options: unknown, [batchId]: string[]): Promise<number> {
  const api = await context.api();
  const batch = await api.batch(batchId ?? '');
  const { output } = context;
  output.result(batch, () => {
    output.line(
      `batch ${batch.id}: ${batch.status} (${countsOf(batch)}), ${batch.profile_key} v${batch.profile_version}`,
    );
    output.line();
    output.table(
      ['JOB', 'STATUS', 'FILE'],
      batch.items.map((item) => [item.job_id, item.status, item.filename ?? '-']),
    );
  });
  return ExitCode.ok;
}

async function deleteBatch(context: CommandContext, _options: unknown, [batchId]: string[]): Promise<number> {
  const api = await context.api();
  await api.deleteBatch(batchId ?? '');
  context.output.result({ batch_id: batchId, deleted: true }, () =>
    context.output.line(`Deleted batch ${batchId} and its jobs`),
  );
  return ExitCode.ok;
}
