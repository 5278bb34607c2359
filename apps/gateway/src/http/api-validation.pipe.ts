import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

/**
 * Bodies, queries and params become their DTO classes; unknown fields are refused, not
 * dropped, so a client's typo is an error rather than a silently ignored setting.
 */
export function createApiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => ApiError.validation(describe(errors).join('; ')),
  });
}

function describe(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`${error.property} `)
        ? `${path} ${message.slice(error.property.length + 1)}`
        : message,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}
