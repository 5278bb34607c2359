import type { BuiltInProfile } from './built-in-profile';
import { itemsSchema, outputSchema, speakerStatisticsSchema } from './extracted-item.schema';

const EVIDENCE = '{{#evidence}} _({{speaker}}, {{start_ms}} ms: "{{quote}}")_{{/evidence}}';

/** A conversation with several speakers: what was decided, who does what by when, and who spoke how much. */
export const meetingProfile: BuiltInProfile = {
  key: 'meeting',
  name: 'Meeting',
  description:
    'A conversation with several speakers: summary, decisions, tasks with owners and due dates, ' +
    'highlights, quotables, topics and speaker statistics.',
  definition: {
    prompts: {
      system:
        'You analyse a meeting transcript. Use only what the transcript says. Every item cites the ' +
        'segments it comes from, quoting them verbatim. Never invent an owner or a date: mark them unresolved.',
      summary: 'Summarise the meeting in a few sentences, each backed by the segments it draws on.',
      decisions: 'List the decisions the participants made. Keep proposals, open questions and opinions out.',
      tasks:
        'List the tasks someone agreed to do. The owner is the speaker for "I will ...", the person ' +
        'addressed for "Ana, please ...", otherwise unresolved. Keep the due phrase as said and resolve ' +
        'it to a date only when the meeting date is known.',
      highlights: 'List the moments that matter most, in the order they happened.',
      quotables: 'List short, striking sentences worth quoting, verbatim.',
      topics: 'List the topics discussed, each with the segments where it comes up.',
    },
    parameters: {
      summary_sentences: 5,
      max_highlights: 8,
      max_quotables: 5,
      max_topics: 8,
    },
    output_schema: outputSchema('Meeting analysis', {
      summary: itemsSchema(),
      decisions: itemsSchema(),
      tasks: itemsSchema({ withOwnerAndDue: true }),
      highlights: itemsSchema(),
      quotables: itemsSchema(),
      topics: itemsSchema(),
      speaker_statistics: speakerStatisticsSchema,
    }),
    template: `# Meeting results

## Summary
{{#summary}}
{{text}}
{{/summary}}

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
| Speaker | Talk time (ms) | Share | Turns | Words | Words/min | Questions |
|---|---|---|---|---|---|---|
{{#speaker_statistics}}
| {{speaker}} | {{talk_time_ms}} | {{share}} | {{turns}} | {{words}} | {{words_per_minute}} | {{questions}} |
{{/speaker_statistics}}
`,
  },
};
