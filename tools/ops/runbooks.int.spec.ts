import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OPS_COMMANDS } from './ops';
import { REBUILDABLE_SERVICES } from './rebuild-projections';

const workspaceRoot = resolve(__dirname, '../..');
const runbooksFolder = join(workspaceRoot, 'docs/runbooks');
/** The build the commands run from: SCRIPTRIPPER_BUILD_ROOT (a build made with --out-dir) or dist/. */
const buildRoot = resolve(workspaceRoot, process.env['SCRIPTRIPPER_BUILD_ROOT'] ?? 'dist');

interface NamedCommand {
  readonly runbook: string;
  readonly line: string;
}

/** Every line of every runbook that runs `node dist/...` or `npm run ...`. */
function commandsInRunbooks(): NamedCommand[] {
  return readdirSync(runbooksFolder)
    .filter((file) => file.endsWith('.md'))
    .flatMap((runbook) =>
      readFileSync(join(runbooksFolder, runbook), 'utf8')
        .split('\n')
        .flatMap((text) => [
          ...text.matchAll(/(node dist\/\S+\.js[^`|#\n]*|npm run [\w:-]+(?: -- [^`|#\n]*)?)/g),
        ])
        .map((match) => ({ runbook, line: (match[1] as string).trim() })),
    );
}

const helpOf = new Map<string, string>();
/** The tool's `--help` text, from the build: proves it loads and says what it takes. */
function help(file: string): string {
  let text = helpOf.get(file);
  if (text === undefined) {
    text = execFileSync(process.execPath, [file, '--help'], { encoding: 'utf8', env: {} });
    helpOf.set(file, text);
  }
  return text;
}

/** A command line's subcommand and options, for checking them against the tool's usage. */
function wordsOf(args: string): { subcommand?: string; options: string[] } {
  const words = args.split(/\s+/).filter(Boolean);
  const first = words[0];
  return {
    ...(first && !first.startsWith('-') && /^[a-z-]+$/.test(first) ? { subcommand: first } : {}),
    options: words.filter((word) => /^--[a-z-]+$/.test(word)),
  };
}

describe('the runbooks name commands that exist in the build', () => {
  const commands = commandsInRunbooks();
  const scripts = (
    JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it('has a runbook for each operation, each naming at least one command', () => {
    const runbooks = readdirSync(runbooksFolder).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(runbooks.sort()).toEqual([
      'dead-letters.md',
      'postgres-backup-restore.md',
      'rebuild-read-models.md',
      'redis-loss.md',
      'rotate-secrets.md',
      'scale-workers.md',
      'stuck-jobs.md',
    ]);
    for (const runbook of runbooks) {
      expect({ runbook, names: commands.some((command) => command.runbook === runbook) }).toEqual({
        runbook,
        names: true,
      });
    }
  });

  it("names only built files, and the operators' tools load and accept the subcommands and options used", () => {
    // Generic forms: `<command>` (the index) is no command; `<service>` stands for each rebuildable service.
    const nodeCommands = commands
      .filter((command) => command.line.startsWith('node dist/') && !command.line.includes('<command>'))
      .flatMap((command) =>
        command.line.includes('<service>')
          ? REBUILDABLE_SERVICES.map((service) => ({
              ...command,
              line: command.line.replace('<service>', service),
            }))
          : [command],
      );
    expect(nodeCommands.length).toBeGreaterThan(20);
    for (const { runbook, line } of nodeCommands) {
      const [, path, args = ''] = /^node dist\/(\S+\.js)(.*)$/.exec(line) ?? [];
      const file = join(buildRoot, path as string);
      expect({ runbook, line, exists: existsSync(file) }).toEqual({ runbook, line, exists: true });
      if (!path?.startsWith('tools/ops/')) continue;
      const usage = help(file);
      const { subcommand, options } = wordsOf(args);
      for (const word of [...(subcommand ? [subcommand] : []), ...options]) {
        expect({ runbook, line, word, inUsage: usage.includes(word) }).toEqual({
          runbook,
          line,
          word,
          inUsage: true,
        });
      }
    }
  });

  it('names only npm scripts that exist, and ops commands that the ops entry knows', () => {
    const npmCommands = commands.filter((command) => command.line.startsWith('npm run '));
    expect(npmCommands.length).toBeGreaterThan(0);
    for (const { runbook, line } of npmCommands) {
      const [, script, rest = ''] = /^npm run ([\w:-]+)(?: -- (.*))?$/.exec(line) ?? [];
      expect({ runbook, script, exists: script !== undefined && script in scripts }).toEqual({
        runbook,
        script,
        exists: true,
      });
      if (script === 'ops') {
        const name = rest.split(/\s+/)[0] as string;
        if (name.startsWith('<')) continue; // the generic form, `npm run ops -- <command>`
        expect({ runbook, name, known: name in OPS_COMMANDS }).toEqual({ runbook, name, known: true });
      }
    }
  });
});
