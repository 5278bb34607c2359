/** One setting that is missing or wrong, named by its environment variable. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problems: readonly string[];
  /** The value as given, or `***` for a secret, or undefined when missing. */
  readonly shownValue: string | undefined;
}

/** Thrown by `loadConfig` with every problem at once, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(
    readonly configName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration (${configName}):\n` +
        problems
          .map(
            (problem) =>
              `  - ${problem.variable}: ${problem.problems.join('; ')}` +
              (problem.shownValue === undefined ? ' (not set)' : ` (got ${problem.shownValue})`),
          )
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}
