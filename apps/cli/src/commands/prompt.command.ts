import type { Command } from 'commander';
import { positiveInteger } from '../cli-numbers';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import { fetchArtifact } from '../files/download';
import { waitFor } from '../wait';
import type { CommandRunner } from './command-runner';

interface PromptOptions {
  readonly wait: boolean;
  readonly timeout: number;
}

export function registerPromptCommand(program: Command, run: CommandRunner): void {
  program
    .command('prompt')
    .summary('Ask a question about a completed job')
    .description(
      'Ask a question about a completed job; waits and prints the answer (checked against its sha256). ' +
        'Exits 7 when the job is not completed (or its transcript expired), 5 when answering failed.',
    )
    .argument('<job-id>')
    .argument('<question>')
    .option('--no-wait', 'only submit, and print the prompt id')
    .option(
      '--timeout <seconds>',
      'give up waiting after this long (0: never)',
      positiveInteger('--timeout', 0),
      600,
    )
    .action(run<PromptOptions>(ask));
}

async function ask(
  context: CommandContext,
  options: PromptOptions,
  [jobId, question]: string[],
): Promise<number> {
  if (!question?.trim()) throw CliError.usage('the question is empty');
  const api = await context.api();
  const { output } = context;
  const { prompt_id: promptId } = await api.createPrompt(jobId ?? '', question);
  if (!options.wait) {
    output.result({ prompt_id: promptId, job_id: jobId, status: 'pending' }, () => output.line(promptId));
    return ExitCode.ok;
  }
  const prompt = await waitFor(
    `prompt ${promptId}`,
    async () => {
      const current = await api.prompt(promptId);
      return current.status === 'pending' ? undefined : current;
    },
    context.waitOptions(options.timeout),
  );
  if (prompt.status === 'failed' || !prompt.result_artifact_id) {
    output.result({ prompt, answer: null }, () =>
      output.line(
        `prompt ${promptId} failed${prompt.error ? `: ${prompt.error.code}: ${prompt.error.message}` : ''}`,
      ),
    );
    return ExitCode.jobFailed;
  }
  const artifact = (await api.artifacts(prompt.job_id)).find((item) => item.id === prompt.result_artifact_id);
  if (!artifact) {
    throw new CliError(
      'NOT_FOUND',
      `the answer's artifact ${prompt.result_artifact_id} is not listed`,
      ExitCode.notFound,
    );
  }
  const answer = await fetchArtifact(api, artifact);
  const text = answer.bytes.toString('utf8');
  output.result(
    {
      prompt,
      artifact,
      answer: answer.verified ? text : null,
      checksum_verified: answer.verified,
    },
    () => {
      if (answer.verified) output.line(text.trimEnd());
      else output.line(`the answer's sha256 ${answer.sha256} differs from ${artifact.checksum}: not shown`);
    },
  );
  return answer.verified ? ExitCode.ok : ExitCode.checksumMismatch;
}
