import { diffResults } from './results-diff';

const evidence = (quote: string) => [{ segment_id: 's1', start_ms: 0, end_ms: 1, speaker: 'Ana', quote }];

describe('diffResults', () => {
  const before = {
    profile: 'meeting',
    summary: [{ text: 'We talked about the launch.', evidence: evidence('launch') }],
    decisions: [
      { text: 'Launch on March 15.', evidence: evidence('March 15') },
      { text: 'Keep the old pricing.', evidence: evidence('pricing') },
    ],
    tasks: [{ text: 'Send the notes.', owner: { name: 'Bob', resolved: true }, evidence: evidence('notes') }],
    speaker_stats: [{ speaker: 'Ana', words: 10 }],
  };

  it('finds items added, removed and changed per section, and counts the unchanged', () => {
    const after = {
      ...before,
      decisions: [
        { text: 'launch on  March 15.', evidence: evidence('March 15') },
        { text: 'Translate the page later.', evidence: evidence('later') },
      ],
      tasks: [
        { text: 'Send the notes.', owner: { name: 'Carla', resolved: true }, evidence: evidence('notes') },
      ],
    };
    const diff = diffResults(before, after);
    expect(diff.summary_changed).toBe(false);
    expect(diff.sections.map((section) => section.section)).toEqual([
      'decisions',
      'speaker_stats',
      'summary',
      'tasks',
    ]);
    const decisions = diff.sections.find((section) => section.section === 'decisions');
    // Matched by text, whitespace and case aside; the text's own difference makes it changed.
    expect(decisions?.changed).toEqual([{ before: before.decisions[0], after: after.decisions[0] }]);
    expect(decisions?.added).toEqual([after.decisions[1]]);
    expect(decisions?.removed).toEqual([before.decisions[1]]);
    expect(decisions?.unchanged).toBe(0);
    const tasks = diff.sections.find((section) => section.section === 'tasks');
    expect(tasks).toMatchObject({ added: [], removed: [], unchanged: 0 });
    expect(tasks?.changed).toHaveLength(1);
    expect(diff.sections.find((section) => section.section === 'speaker_stats')).toMatchObject({
      added: [],
      removed: [],
      changed: [],
      unchanged: 1,
    });
  });

  it('says the summary changed when any of it did; key order alone is no change', () => {
    const reordered = JSON.parse(JSON.stringify(before, ['speaker_stats', 'words', 'speaker'])) as unknown;
    expect(diffResults({ speaker_stats: before.speaker_stats }, reordered).sections[0]?.unchanged).toBe(1);
    const after = { ...before, summary: [{ text: 'We set the launch date.', evidence: evidence('date') }] };
    expect(diffResults(before, after).summary_changed).toBe(true);
  });

  it('handles sections one side lacks, duplicates, and identical documents', () => {
    const diff = diffResults({ quotables: [] }, { quotables: [{ text: 'A' }, { text: 'A' }], topics: [] });
    expect(diff.sections.find((section) => section.section === 'quotables')?.added).toHaveLength(2);
    expect(diffResults(before, before).sections.every((section) => section.changed.length === 0)).toBe(true);
    expect(diffResults(before, before).sections.every((section) => section.added.length === 0)).toBe(true);
    expect(diffResults(null, undefined)).toEqual({ summary_changed: false, sections: [] });
  });
});
