/** What changed in one list section of results.json (decisions, tasks, ...). */
export interface SectionDiff {
  readonly section: string;
  readonly added: readonly unknown[];
  readonly removed: readonly unknown[];
  /** The same item (same identity) with other details: an owner, a due date, its evidence. */
  readonly changed: readonly { readonly before: unknown; readonly after: unknown }[];
  readonly unchanged: number;
}

export interface ResultsDiff {
  readonly summary_changed: boolean;
  /** Every list section either side has, in name order; unchanged sections included. */
  readonly sections: readonly SectionDiff[];
}

/**
 * Compares two results documents (results.json of a job and of its re-run) section by section.
 * An item is matched across the two by its identity: its `text` (a decision, a task), else its
 * `speaker` (speaker statistics), else its whole content; a matched item whose content differs
 * is `changed`. The summary is compared as a whole. Pure and deterministic: the same two
 * documents give the same diff, with items in the order each document lists them.
 */
export function diffResults(before: unknown, after: unknown): ResultsDiff {
  const older = asRecord(before);
  const newer = asRecord(after);
  const names = [...new Set([...Object.keys(older), ...Object.keys(newer)])]
    .filter((name) => Array.isArray(older[name]) || Array.isArray(newer[name]))
    .sort();
  return {
    summary_changed: canonical(older['summary'] ?? null) !== canonical(newer['summary'] ?? null),
    sections: names.map((name) => diffSection(name, asList(older[name]), asList(newer[name]))),
  };
}

function diffSection(section: string, before: readonly unknown[], after: readonly unknown[]): SectionDiff {
  const beforeByIdentity = grouped(before);
  const afterByIdentity = grouped(after);
  const added: unknown[] = [];
  const changed: { before: unknown; after: unknown }[] = [];
  let unchanged = 0;
  for (const [identity, items] of afterByIdentity) {
    const earlier = beforeByIdentity.get(identity) ?? [];
    items.forEach((item, index) => {
      const match = earlier[index];
      if (match === undefined) added.push(item);
      else if (canonical(match) === canonical(item)) unchanged++;
      else changed.push({ before: match, after: item });
    });
  }
  const removed: unknown[] = [];
  for (const [identity, items] of beforeByIdentity) {
    const later = afterByIdentity.get(identity) ?? [];
    removed.push(...items.slice(later.length));
  }
  return { section, added, removed, changed, unchanged };
}

/** Items by identity, in document order; the same identity twice pairs up in order. */
function grouped(items: readonly unknown[]): Map<string, unknown[]> {
  const byIdentity = new Map<string, unknown[]>();
  for (const item of items) {
    const identity = identityOf(item);
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), item]);
  }
  return byIdentity;
}

function identityOf(item: unknown): string {
  const record = item as Record<string, unknown> | null;
  if (record && typeof record === 'object') {
    if (typeof record['text'] === 'string') return `text:${normalised(record['text'])}`;
    if (typeof record['speaker'] === 'string') return `speaker:${record['speaker']}`;
  }
  return `value:${canonical(item)}`;
}

function normalised(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** JSON with object keys sorted, so key order never makes two equal values differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
