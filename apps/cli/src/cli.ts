import { Command, CommanderError, Option } from 'commander';
import { positiveInteger } from './cli-numbers';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { CommandContext, DEFAULT_POLL_INTERVAL_MS, type GlobalOptions } from './command-context';
import { registerBatchesCommand } from './commands/batches.command';
import { splitActionArgs, type CommandRunner } from './commands/command-runner';
import { registerExportCommand } from './commands/export.command';
import { registerJobsCommand } from './commands/jobs.command';
import { registerLoginCommand } from './commands/login.command';
import { registerProfilesCommand } from './commands/profiles.command';
import { registerPromptCommand } from './commands/prompt.command';
import { registerRunCommand } from './commands/run.command';
import { ExitCode } from './exit-codes';

/**
 * `scriptripper`: the gateway's HTTP API from a shell. Answers the process's exit code
 * (see exit-codes.ts); never throws, and shows a stack trace only with `--debug`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let context: CommandContext | undefined;
  const run: CommandRunner =
    (handler) =>
    async (...actionArgs) => {
      const { command, options, args } = splitActionArgs(actionArgs);
      context = new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
      exitCode = await handler(context, options as never, args);
    };
  const program = buildProgram(io, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      if (error.exitCode === 0) return ExitCode.ok;
      if (argv.includes('--json')) {
        const message = error.message.replace(/^error: /, '');
        io.stdout.write(
          `${JSON.stringify({ error: { code: 'USAGE', message, exit_code: ExitCode.usage } }, null, 2)}\n`,
        );
      }
      return ExitCode.usage;
    }
    const json = context?.options.json ?? argv.includes('--json');
    const debug = context?.options.debug ?? argv.includes('--debug');
    return reportError(error, io, json, debug);
  }
}

export function buildProgram(io: CliIo, run: CommandRunner): Command {
  const program = new Command('scriptripper')
    .description('Command line client of the ScriptRipper API: transcripts in, checked results out.')
    .option('--url <url>', 'gateway URL (else SCRIPTRIPPER_URL, the config file, http://127.0.0.1:3000)')
    .option('--token <token>', 'API token (else SCRIPTRIPPER_TOKEN, the config file)')
    .option('--json', 'print the result as JSON on stdout, for scripts')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .option('--debug', 'show stack traces of unexpected errors')
    .addOption(
      new Option('--poll-interval <ms>', 'how often to ask while waiting')
        .argParser(positiveInteger('--poll-interval'))
        .default(DEFAULT_POLL_INTERVAL_MS)
        .hideHelp(),
    )
    // Subcommands made after these inherit them (commander copies the settings).
    .showHelpAfterError()
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerLoginCommand(program, run);
  registerProfilesCommand(program, run);
  registerRunCommand(program, run);
  registerJobsCommand(program, run);
  registerBatchesCommand(program, run);
  registerPromptCommand(program, run);
  registerExportCommand(program, run);
  return program;
}

const HELP_FOOTER = `
Settings: --url/--token, else SCRIPTRIPPER_URL/SCRIPTRIPPER_TOKEN, else the config file
$XDG_CONFIG_HOME/scriptripper/config.json (default ~/.config/scriptripper/) that login writes.

Exit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 job failed,
6 checksum mismatch, 7 conflict or gone, 8 quota/rate/spend limit, 9 gateway unreachable.`;

/** `error CODE: message` on stderr (and `{ error }` on stdout with --json); the exit code of the error. */
function reportError(error: unknown, io: CliIo, json: boolean, debug: boolean): number {
  const known = error instanceof CliError;
  const code = known ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const exitCode = known ? error.exitCode : ExitCode.failure;
  io.stderr.write(`error ${code}: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (json)
    io.stdout.write(`${JSON.stringify({ error: { code, message, exit_code: exitCode } }, null, 2)}\n`);
  return exitCode;
}
