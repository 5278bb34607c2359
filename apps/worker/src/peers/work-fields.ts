import { invalid, isUuid } from '@scriptripper/contracts';

/**
 * The named UUID fields of a work message, or a refusal naming the first bad one: a malformed
 * message is refused (and dead-lettered by the transport), never half-run.
 */
export function uuidFieldsOf<const F extends string>(
  message: string,
  data: unknown,
  fields: readonly F[],
): Record<F, string> {
  const work = (data ?? {}) as Partial<Record<F, unknown>>;
  const values = {} as Record<F, string>;
  for (const field of fields) {
    const value = work[field];
    if (!isUuid(value)) throw invalid(`${message} ${field} must be a UUID`);
    values[field] = value;
  }
  return values;
}
