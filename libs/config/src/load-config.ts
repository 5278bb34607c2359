import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigError, type ConfigProblem } from './config-error';
import { isSecret } from './secret.decorator';

export type ConfigClass<T extends object> = new () => T;

/**
 * Reads a config class from the environment: each property is named after its environment
 * variable, so errors name the variable an operator has to fix. Empty values count as unset
 * (so defaults apply) and unknown variables are ignored. Values are strings: a numeric
 * setting declares its conversion with `@Type(() => Number)`.
 */
export function loadConfig<T extends object>(
  configClass: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const plain: Record<string, string> = {};
  for (const variable of settingsOf(configClass)) {
    const value = env[variable];
    if (value !== undefined && value !== '') plain[variable] = value;
  }
  const config = plainToInstance(configClass, plain);
  const errors = validateSync(config, { forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigError(
      configClass.name,
      errors.map((error) => problemOf(configClass, error, plain)),
    );
  }
  return config;
}

function settingsOf(configClass: ConfigClass<object>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

function problemOf(
  configClass: ConfigClass<object>,
  error: ValidationError,
  plain: Record<string, string>,
): ConfigProblem {
  const given = plain[error.property];
  return {
    variable: error.property,
    problems: Object.values(error.constraints ?? {}).map((message) =>
      // class-validator's default messages start with the property, which the caller already shows.
      message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    ),
    shownValue:
      given === undefined ? undefined : isSecret(configClass, error.property) ? '***' : JSON.stringify(given),
  };
}
