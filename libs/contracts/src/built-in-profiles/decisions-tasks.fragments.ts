import { itemsSchema } from './extracted-item.schema';

/**
 * The decisions and tasks sections the meeting and tasks profiles share: one prompt, schema and
 * template fragment each, so the two profiles cannot drift apart.
 */

export const DECISIONS_TASKS_PROMPTS = {
  decisions: 'List the decisions the participants made. Keep proposals, open questions and opinions out.',
  tasks:
    'List the tasks someone agreed to do. The owner is the speaker for "I will ...", the person ' +
    'addressed for "Ana, please ...", otherwise unresolved. Keep the due phrase as said and resolve ' +
    'it to a date only when the meeting date is known.',
} as const;

export function decisionsTasksSchemas() {
  return { decisions: itemsSchema(), tasks: itemsSchema({ withOwnerAndDue: true }) };
}

/** Version 1's evidence: the speaker and the start in milliseconds. Kept as published. */
export const EVIDENCE_V1 = '{{#evidence}} _({{speaker}}, {{start_ms}} ms: "{{quote}}")_{{/evidence}}';

/** The speaker and the start as `mm:ss` (`at`, added by the worker's renderer). */
export const EVIDENCE = '{{#evidence}} _({{speaker}}, {{at}}: "{{quote}}")_{{/evidence}}';

const TASK_LINE =
  '- [ ] {{text}} — owner: {{#owner.resolved}}{{owner.name}}{{/owner.resolved}}{{^owner.resolved}}unresolved{{/owner.resolved}}' +
  '{{#due.phrase}}, due: {{due.phrase}}{{#due.date}} ({{due.date}}){{/due.date}}{{/due.phrase}}';

/** Says that a capped list shows only its best-ranked items (the analyzer's `truncated`); a paragraph of its own, not part of the last item. */
const truncationNote = (section: 'decisions' | 'tasks') =>
  `{{#truncated.${section}}}\n\n_The {{kept}} most relevant of {{found}} ${section}._\n{{/truncated.${section}}}\n`;

/** The `## Decisions` and `## Tasks` sections of a template, each item followed by `evidence`. */
export function decisionsTasksTemplate(
  evidence: string,
  options: { truncationNotes?: boolean } = {},
): string {
  const note = (section: 'decisions' | 'tasks') => (options.truncationNotes ? truncationNote(section) : '');
  return `## Decisions
{{#decisions}}
- {{text}}${evidence}
{{/decisions}}
{{^decisions}}
_No decisions._
{{/decisions}}
${note('decisions')}
## Tasks
{{#tasks}}
${TASK_LINE}${evidence}
{{/tasks}}
{{^tasks}}
_No tasks._
{{/tasks}}
${note('tasks')}`;
}

/** Caps the offline analyzer applies to long lists (profile parameters it reads; an LLM sees them too). */
export const DECISIONS_TASKS_PARAMETERS = { max_decisions: 50, max_tasks: 50 } as const;
