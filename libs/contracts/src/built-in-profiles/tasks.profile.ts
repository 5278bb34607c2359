import type { BuiltInProfile } from './built-in-profile';
import { itemsSchema, outputSchema } from './extracted-item.schema';

const EVIDENCE = '{{#evidence}} _({{speaker}}, {{start_ms}} ms: "{{quote}}")_{{/evidence}}';

/** Only what was decided and what must be done, for a quick follow-up. */
export const tasksProfile: BuiltInProfile = {
  key: 'tasks',
  name: 'Tasks and decisions',
  description: 'Tasks (with owners and due dates) and decisions only.',
  definition: {
    prompts: {
      system:
        'You extract tasks and decisions from a transcript. Use only what the transcript says. Every item ' +
        'cites the segments it comes from, quoting them verbatim. Never invent an owner or a date.',
      decisions: 'List the decisions the participants made. Keep proposals, open questions and opinions out.',
      tasks:
        'List the tasks someone agreed to do. The owner is the speaker for "I will ...", the person ' +
        'addressed for "Ana, please ...", otherwise unresolved. Keep the due phrase as said and resolve ' +
        'it to a date only when the meeting date is known.',
    },
    parameters: {},
    output_schema: outputSchema('Tasks and decisions', {
      decisions: itemsSchema(),
      tasks: itemsSchema({ withOwnerAndDue: true }),
    }),
    template: `# Tasks and decisions

## Decisions
{{#decisions}}
- {{text}}${EVIDENCE}
{{/decisions}}
{{^decisions}}
_No decisions._
{{/decisions}}

## Tasks
{{#tasks}}
- [ ] {{text}} — owner: {{#owner.resolved}}{{owner.name}}{{/owner.resolved}}{{^owner.resolved}}unresolved{{/owner.resolved}}{{#due.phrase}}, due: {{due.phrase}}{{#due.date}} ({{due.date}}){{/due.date}}{{/due.phrase}}${EVIDENCE}
{{/tasks}}
{{^tasks}}
_No tasks._
{{/tasks}}
`,
  },
};
