import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

/**
 * Bodies, queries and params become their DTO classes; unknown fields are refused, not
 * dropped, so a client's typo is an error rather than a silently ignored setting.
 */
export function createApiValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => ApiError.validation(describe(errors).join('; ')),
  });
}

/** Deeper than any DTO of ours goes (a batch's items, a relabel map): anything deeper is refused. */
const MAX_INPUT_DEPTH = 32;

/**
 * Before the DTO checks, refuses what no DTO may hold but would otherwise reach a service and
 * fail there (a 500): a NUL character in a string or key (Postgres text cannot store it), and
 * nesting so deep that walking it overflows the stack (class-transformer's and Nest's own walks
 * are recursive). The walk here is iterative.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') refuseUnstorable(value);
    return super.transform(value, metadata);
  }
}

function refuseUnstorable(input: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        throw ApiError.validation(`${path || 'the body'} must not contain NUL characters`);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_INPUT_DEPTH)
        throw ApiError.validation(`the input is nested deeper than ${MAX_INPUT_DEPTH} levels`);
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000'))
          throw ApiError.validation('a property name must not contain NUL characters');
        pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
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
