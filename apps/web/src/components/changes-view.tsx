import type { ResultsChanges } from '../api/types';

/** The readable text of a result item (any section's shape); JSON for an unknown one. */
export function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'object' && item !== null) {
    const record = item as Record<string, unknown>;
    if (typeof record['text'] === 'string') {
      const owner = record['owner'] as { name?: string | null } | undefined;
      const due = record['due'] as { date?: string | null; phrase?: string | null } | undefined;
      const extras = [
        owner?.name ? `owner: ${owner.name}` : '',
        due?.date || due?.phrase ? `due: ${due.date ?? due.phrase}` : '',
      ].filter(Boolean);
      return extras.length ? `${record['text']} (${extras.join(', ')})` : record['text'];
    }
    if (typeof record['speaker'] === 'string') return `${record['speaker']}`;
  }
  return JSON.stringify(item);
}

/** The fields of an item that differ between its two versions (e.g. only its evidence). */
export function differingFields(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || typeof after !== 'object' || !before || !after) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .sort();
}

function sectionTitle(section: string): string {
  const words = section.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A re-run's results beside its original's: per section, what was removed (left only), added
 * (right only) and changed (both), with the count of items that stayed the same.
 */
export function ChangesView({ changes }: { changes: ResultsChanges }) {
  const from = `v${changes.profile.from_version}`;
  const to = `v${changes.profile.to_version}`;
  const touched = changes.sections.filter((s) => s.added.length || s.removed.length || s.changed.length);
  return (
    <div>
      <p>
        {changes.profile.key} {from} → {to}.{' '}
        {changes.summary_changed ? 'The summary changed.' : 'The summary is the same.'}
      </p>
      {touched.length === 0 ? <p className="muted">No item was added, removed or changed.</p> : null}
      {touched.map((section) => (
        <section
          className="changes-section"
          key={section.section}
          aria-label={`Changes in ${sectionTitle(section.section)}`}
        >
          <h3>
            {sectionTitle(section.section)}{' '}
            <span className="muted small">
              {section.removed.length} removed, {section.added.length} added, {section.changed.length}{' '}
              changed, {section.unchanged} unchanged
            </span>
          </h3>
          <div className="column-heads" aria-hidden="true">
            <span>Before ({from})</span>
            <span>After ({to})</span>
          </div>
          {section.removed.map((item, index) => (
            <div className="change-row" key={`r${index}`} data-change="removed">
              <div className="change-cell removed">
                <span className="change-kind">Removed</span>
                {itemText(item)}
              </div>
              <div className="change-cell empty">—</div>
            </div>
          ))}
          {section.changed.map((pair, index) => (
            <div className="change-row" key={`c${index}`} data-change="changed">
              <div className="change-cell removed">
                <span className="change-kind">Before</span>
                {itemText(pair.before)}
              </div>
              <div className="change-cell added">
                <span className="change-kind">After</span>
                {itemText(pair.after)}
                {differingFields(pair.before, pair.after).length ? (
                  <span className="change-fields">
                    Changed: {differingFields(pair.before, pair.after).join(', ').replace(/_/g, ' ')}
                  </span>
                ) : null}
              </div>
            </div>
          ))}
          {section.added.map((item, index) => (
            <div className="change-row" key={`a${index}`} data-change="added">
              <div className="change-cell empty">—</div>
              <div className="change-cell added">
                <span className="change-kind">Added</span>
                {itemText(item)}
              </div>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
