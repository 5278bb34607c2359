/**
 * JSON with every object's keys sorted and a fixed layout (two-space indent, final newline),
 * so the same value always gives the same bytes, whatever order its keys were built in.
 * Integer-like keys keep JavaScript's own ascending numeric order.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, sortKeys, 2)}\n`;
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}
