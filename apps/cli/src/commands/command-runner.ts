import type { Command } from 'commander';
import type { CommandContext } from '../command-context';

/** A command's work: answers the exit code; throws a CliError to fail with one. */
export type CommandHandler<O> = (context: CommandContext, options: O, args: string[]) => Promise<number>;

/** Turns a handler into a commander action (positional args, then options, then the command). */
export type CommandRunner = <O = Record<string, never>>(
  handler: CommandHandler<O>,
) => (...actionArgs: unknown[]) => Promise<void>;

/** The command's own options and its positional arguments, from commander's action arguments. */
export function splitActionArgs(actionArgs: unknown[]): {
  command: Command;
  options: unknown;
  args: string[];
} {
  const command = actionArgs[actionArgs.length - 1] as Command;
  const options = actionArgs[actionArgs.length - 2];
  const args = actionArgs.slice(0, -2).flatMap((arg) => (Array.isArray(arg) ? arg : [arg])) as string[];
  return { command, options, args };
}
