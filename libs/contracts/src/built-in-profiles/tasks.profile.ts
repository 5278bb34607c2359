import type { ProfileVersionDefinition } from '../profiles';
import { builtInProfile } from './built-in-profile';
import {
  DECISIONS_TASKS_PARAMETERS,
  DECISIONS_TASKS_PROMPTS,
  EVIDENCE,
  EVIDENCE_V1,
  decisionsTasksSchemas,
  decisionsTasksTemplate,
} from './decisions-tasks.fragments';
import { outputSchema } from './extracted-item.schema';

const prompts = {
  system:
    'You extract tasks and decisions from a transcript. Use only what the transcript says. Every item ' +
    'cites the segments it comes from, quoting them verbatim. Never invent an owner or a date.',
  ...DECISIONS_TASKS_PROMPTS,
};

const output_schema = outputSchema('Tasks and decisions', decisionsTasksSchemas());

/** Version 1, as published: evidence times in milliseconds. */
const version1: ProfileVersionDefinition = {
  prompts,
  parameters: {},
  output_schema,
  template: `# Tasks and decisions

${decisionsTasksTemplate(EVIDENCE_V1)}`,
};

/** Version 2: times as mm:ss, capped decisions and tasks (and a note when a list was cut). */
const version2: ProfileVersionDefinition = {
  prompts,
  parameters: { ...DECISIONS_TASKS_PARAMETERS },
  output_schema,
  template: `# Tasks and decisions

${decisionsTasksTemplate(EVIDENCE, { truncationNotes: true })}`,
};

/** Only what was decided and what must be done, for a quick follow-up. */
export const tasksProfile = builtInProfile(
  {
    key: 'tasks',
    name: 'Tasks and decisions',
    description: 'Tasks (with owners and due dates) and decisions only.',
  },
  [version1, version2],
);
