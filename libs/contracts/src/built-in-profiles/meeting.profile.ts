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
import { itemsSchema, outputSchema, speakerStatisticsSchema } from './extracted-item.schema';

const prompts = {
  system:
    'You analyse a meeting transcript. Use only what the transcript says. Every item cites the ' +
    'segments it comes from, quoting them verbatim. Never invent an owner or a date: mark them unresolved.',
  summary: 'Summarise the meeting in a few sentences, each backed by the segments it draws on.',
  ...DECISIONS_TASKS_PROMPTS,
  highlights: 'List the moments that matter most, in the order they happened.',
  quotables: 'List short, striking sentences worth quoting, verbatim.',
  topics: 'List the topics discussed, each with the segments where it comes up.',
};

const parameters = {
  summary_sentences: 5,
  max_highlights: 8,
  max_quotables: 5,
  max_topics: 8,
};

const output_schema = outputSchema('Meeting analysis', {
  summary: itemsSchema(),
  ...decisionsTasksSchemas(),
  highlights: itemsSchema(),
  quotables: itemsSchema(),
  topics: itemsSchema(),
  speaker_statistics: speakerStatisticsSchema,
});

/** Version 1, as published: evidence times in milliseconds. */
const version1: ProfileVersionDefinition = {
  prompts,
  parameters,
  output_schema,
  template: `# Meeting results

## Summary
{{#summary}}
{{text}}
{{/summary}}

${decisionsTasksTemplate(EVIDENCE_V1)}
## Highlights
{{#highlights}}
- {{text}}${EVIDENCE_V1}
{{/highlights}}

## Quotables
{{#quotables}}
> {{text}}${EVIDENCE_V1}

{{/quotables}}

## Topics
{{#topics}}
- {{text}}
{{/topics}}

## Speakers
| Speaker | Talk time (ms) | Share | Turns | Words | Words/min | Questions |
|---|---|---|---|---|---|---|
{{#speaker_statistics}}
| {{speaker}} | {{talk_time_ms}} | {{share}} | {{turns}} | {{words}} | {{words_per_minute}} | {{questions}} |
{{/speaker_statistics}}
`,
};

/** Version 2: times as mm:ss, capped decisions and tasks (and a note when a list was cut). */
const version2: ProfileVersionDefinition = {
  prompts,
  parameters: { ...parameters, ...DECISIONS_TASKS_PARAMETERS },
  output_schema,
  template: `# Meeting results

## Summary
{{#summary}}
{{text}}
{{/summary}}

${decisionsTasksTemplate(EVIDENCE, { truncationNotes: true })}
## Highlights
{{#highlights}}
- {{text}}${EVIDENCE}
{{/highlights}}

## Quotables
{{#quotables}}
> {{text}}${EVIDENCE}

{{/quotables}}

## Topics
{{#topics}}
- {{text}}
{{/topics}}

## Speakers
| Speaker | Talk time | Share | Turns | Words | Words/min | Questions |
|---|---|---|---|---|---|---|
{{#speaker_statistics}}
| {{speaker}} | {{talk_time}} | {{share}} | {{turns}} | {{words}} | {{words_per_minute}} | {{questions}} |
{{/speaker_statistics}}
`,
};

/** A conversation with several speakers: what was decided, who does what by when, and who spoke how much. */
export const meetingProfile = builtInProfile(
  {
    key: 'meeting',
    name: 'Meeting',
    description:
      'A conversation with several speakers: summary, decisions, tasks with owners and due dates, ' +
      'highlights, quotables, topics and speaker statistics.',
  },
  [version1, version2],
);
