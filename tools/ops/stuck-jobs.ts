// `node dist/tools/ops/stuck-jobs.js <list|requeue> --older-than-minutes N ...`: jobs queued or
// running without progress, and their re-run through the jobs service's own decision path
// (an RPC on rpc:jobs deciding the watchdog's RequeueStalled on each job's stream).
import { lastValueFrom } from 'rxjs';
import {
  JobsOperationsRpc,
  OPERATOR_TOOL_ACTOR,
  type RequeueStuckJobsAnswer,
  type StuckJobsPage,
  type StuckJobsRequest,
} from '@scriptripper/contracts';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';
import {
  isEntry,
  opsSettings,
  parseCommandLine,
  positiveInteger,
  report,
  runCommand,
  UsageError,
} from './ops-cli';

export const STUCK_JOBS_USAGE = `Usage: node dist/tools/ops/stuck-jobs.js <command> --older-than-minutes N [options]
  (or: npm run ops -- stuck-jobs <command> ...)

Commands:
  list        jobs queued or running with no change for at least N minutes
  requeue     re-queue them as the watchdog would: a new attempt, or failed when none is left;
              a job that moved on meanwhile is left alone
Options:
  --older-than-minutes N   required; 0 means every queued or running job
  --job ID                 only this job (repeatable)
  --limit N                at most N jobs, oldest first (default 100, at most 1000)
  --dry-run                requeue: list what would be re-queued, change nothing
  --json, --help
Settings: REDIS_URL, REDIS_KEY_PREFIX (default sr:). The jobs service must be running.`;

const OPTIONS = {
  'older-than-minutes': { type: 'string' },
  job: { type: 'string', multiple: true },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export async function stuckJobsMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(`${STUCK_JOBS_USAGE}\n`);
    return 0;
  }
  const command = positionals[0];
  if (!command || !['list', 'requeue'].includes(command) || positionals.length > 1) {
    throw new UsageError(command ? `unknown command "${positionals.join(' ')}"` : 'no command given');
  }
  const minutesText = values['older-than-minutes'];
  if (minutesText === undefined || !/^\d+$/.test(minutesText)) {
    throw new UsageError('--older-than-minutes N is required (a whole number, 0 or more)');
  }
  const request: StuckJobsRequest = {
    older_than_minutes: Number(minutesText),
    limit: positiveInteger(values.limit, '--limit', 100),
    ...(values.job ? { job_ids: values.job } : {}),
  };
  const { redisUrl, keyPrefix } = opsSettings(['redisUrl', 'keyPrefix'], env);
  const client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'ops-stuck-jobs' });
  try {
    const call = <T>(pattern: string) =>
      lastValueFrom(
        client.send<T>(pattern, withContext({ actor: OPERATOR_TOOL_ACTOR, timeoutMs: 60_000 }, request)),
      );
    const json = values.json === true;
    if (command === 'list' || values['dry-run']) {
      const page = await call<StuckJobsPage>(JobsOperationsRpc.listStuck);
      report(json, page, () =>
        page.items.length === 0
          ? `No job queued or running for ${request.older_than_minutes} minute(s) or more.`
          : [
              `${page.items.length} stuck job(s)${command === 'requeue' ? ' would be re-queued (dry run)' : ''}:`,
              ...page.items.map(
                (job) =>
                  `  ${job.job_id}  ${job.status}  attempt ${job.attempts}  since ${job.updated_at}` +
                  (job.retry_at ? `  retry due ${job.retry_at}` : ''),
              ),
            ].join('\n'),
      );
      return 0;
    }
    const answer = await call<RequeueStuckJobsAnswer>(JobsOperationsRpc.requeueStuck);
    report(json, answer, () =>
      answer.items.length === 0
        ? 'No stuck job to re-queue.'
        : answer.items.map((job) => `  ${job.job_id}  attempt ${job.attempts}: ${job.outcome}`).join('\n'),
    );
    return 0;
  } finally {
    await client.close();
  }
}

if (isEntry(module)) void runCommand(STUCK_JOBS_USAGE, () => stuckJobsMain(process.argv.slice(2)));
