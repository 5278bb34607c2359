import type { Command } from 'commander';
import type { ProfileSummary } from '../api/scriptripper-api';
import { positiveInteger } from '../cli-numbers';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import type { CommandRunner } from './command-runner';

interface ShowOptions {
  readonly version?: number;
}

export function registerProfilesCommand(program: Command, run: CommandRunner): void {
  const profiles = program.command('profiles').description('The analysis profiles you can run');
  profiles.command('list').description('Every profile, by key').action(run(listProfiles));
  profiles
    .command('show')
    .description('A profile with its versions and its default version (or --version n) in full')
    .argument('<key>', 'profile key, e.g. meeting')
    .option('--version <n>', 'one version instead of the default', positiveInteger('--version'))
    .action(run<ShowOptions>(showProfile));
}

async function listProfiles(context: CommandContext): Promise<number> {
  const api = await context.api();
  const items: ProfileSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.profiles(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  context.output.result({ items }, () =>
    context.output.table(
      ['KEY', 'DEFAULT', 'NAME'],
      items.map((profile) => [profile.key, `v${profile.default_version}`, profile.name]),
    ),
  );
  return ExitCode.ok;
}

async function showProfile(context: CommandContext, options: ShowOptions, [key]: string[]): Promise<number> {
  const api = await context.api();
  const { output } = context;
  if (options.version !== undefined) {
    const version = await api.profileVersion(key ?? '', options.version);
    output.result(version, () => {
      output.line(
        `${version.key} v${version.version} (${version.status}${version.is_default ? ', default' : ''})`,
      );
      output.line(`prompts: ${Object.keys(version.prompts).join(', ') || '-'}`);
      output.line(`output fields: ${Object.keys(propertiesOf(version.output_schema)).join(', ') || '-'}`);
    });
    return ExitCode.ok;
  }
  const profile = await api.profile(key ?? '');
  output.result(profile, () => {
    output.line(`${profile.key}: ${profile.name}`);
    if (profile.description) output.line(profile.description);
    output.line(`default version: v${profile.default_version}`);
    output.line(
      `output fields: ${Object.keys(propertiesOf(profile.default.output_schema)).join(', ') || '-'}`,
    );
    output.line();
    output.table(
      ['VERSION', 'STATUS', 'CREATED'],
      profile.versions.map((version) => [`v${version.version}`, version.status, version.created_at]),
    );
  });
  return ExitCode.ok;
}

function propertiesOf(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const properties = schema['properties'];
  return typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {};
}
