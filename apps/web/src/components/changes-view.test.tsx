import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResultsChanges } from '../api/types';
import { ChangesView, itemText } from './changes-view';

const changes: ResultsChanges = {
  job_id: 'j2',
  rerun_of: 'j1',
  profile: { key: 'meeting', from_version: 1, to_version: 2 },
  summary_changed: true,
  sections: [
    {
      section: 'decisions',
      added: [{ text: 'Ship on Friday', evidence: [] }],
      removed: [{ text: 'Ship on Monday', evidence: [] }],
      changed: [],
      unchanged: 3,
    },
    {
      section: 'tasks',
      added: [],
      removed: [],
      changed: [
        {
          before: {
            text: 'Write the notes',
            owner: { name: 'Ana', resolved: true },
            due: { date: null, phrase: null },
          },
          after: {
            text: 'Write the notes',
            owner: { name: 'Bob', resolved: true },
            due: { date: '2026-12-04', phrase: 'Friday' },
          },
        },
      ],
      unchanged: 1,
    },
    { section: 'topics', added: [], removed: [], changed: [], unchanged: 5 },
  ],
};

describe('ChangesView', () => {
  it('puts removed items on the left, added on the right and changed ones on both sides', () => {
    render(<ChangesView changes={changes} />);
    expect(screen.getByText(/meeting v1 → v2\. The summary changed\./)).toBeTruthy();

    const decisions = screen.getByRole('region', { name: 'Changes in Decisions' });
    const rows = decisions.querySelectorAll('.change-row');
    expect(rows).toHaveLength(2);
    const [removed, added] = [...rows];
    expect(removed?.getAttribute('data-change')).toBe('removed');
    expect(removed?.children[0]?.textContent).toBe('RemovedShip on Monday');
    expect(removed?.children[1]?.textContent).toBe('—');
    expect(added?.getAttribute('data-change')).toBe('added');
    expect(added?.children[0]?.textContent).toBe('—');
    expect(added?.children[1]?.textContent).toBe('AddedShip on Friday');
    expect(within(decisions).getByText(/1 removed, 1 added, 0 changed, 3 unchanged/)).toBeTruthy();

    const tasks = screen.getByRole('region', { name: 'Changes in Tasks' });
    const changed = tasks.querySelector('[data-change="changed"]');
    expect(changed?.children[0]?.textContent).toBe('BeforeWrite the notes (owner: Ana)');
    expect(changed?.children[1]?.textContent).toBe(
      'AfterWrite the notes (owner: Bob, due: 2026-12-04)Changed: due, owner',
    );
  });

  it('leaves out sections where nothing changed, and says when nothing did at all', () => {
    render(
      <ChangesView
        changes={{
          ...changes,
          summary_changed: false,
          sections: [changes.sections[2] as ResultsChanges['sections'][number]],
        }}
      />,
    );
    expect(screen.queryByRole('region', { name: 'Changes in Topics' })).toBeNull();
    expect(screen.getByText('No item was added, removed or changed.')).toBeTruthy();
    expect(screen.getByText(/The summary is the same\./)).toBeTruthy();
  });
});

describe('itemText', () => {
  it('reads text items, speakers and anything else', () => {
    expect(itemText({ text: 'A' })).toBe('A');
    expect(itemText({ speaker: 'Ana', turns: 3 })).toBe('Ana');
    expect(itemText(42)).toBe('42');
  });
});
