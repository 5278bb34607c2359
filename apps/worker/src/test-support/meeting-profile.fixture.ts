import type { ProfileVersionDefinition, ResolvedProfile } from '@scriptripper/contracts';

/*
 * A copy of the built-in `meeting` profile, version 1, as the profiles service publishes it
 * (apps cannot import apps): the int test's stand-in profiles peer answers it, so the worker's
 * output is checked against the real meeting schema and rendered with the real template.
 */

const evidence = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['segment_id', 'start_ms', 'end_ms', 'speaker', 'quote'],
    properties: {
      segment_id: { type: 'string', minLength: 1 },
      start_ms: { type: 'integer', minimum: 0 },
      end_ms: { type: 'integer', minimum: 0 },
      speaker: { type: ['string', 'null'] },
      quote: { type: 'string', minLength: 1, description: 'Verbatim from the transcript' },
    },
  },
} as const;

const owner = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'resolved'],
  properties: {
    name: { type: ['string', 'null'] },
    resolved: { type: 'boolean', description: 'false when the owner could not be told from the transcript' },
  },
} as const;

const due = {
  type: 'object',
  additionalProperties: false,
  required: ['phrase', 'date'],
  properties: {
    phrase: { type: ['string', 'null'], description: 'As said: "by Friday"' },
    date: {
      type: ['string', 'null'],
      format: 'date',
      description: 'The phrase resolved against the meeting date, when both are known',
    },
  },
} as const;

/** `{ text, evidence }`, plus `owner` and `due` for items that have them (tasks). */
function itemsSchema(options: { withOwnerAndDue?: boolean } = {}) {
  const extra = options.withOwnerAndDue ? { owner, due } : {};
  return {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['text', 'evidence', ...Object.keys(extra)],
      properties: { text: { type: 'string', minLength: 1 }, ...extra, evidence },
    },
  };
}

/** One row per speaker. `share` is the speaker's part of the total talk time, 0..1. */
const speakerStatisticsSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['speaker', 'talk_time_ms', 'share', 'turns', 'words', 'words_per_minute', 'questions'],
    properties: {
      speaker: { type: 'string' },
      talk_time_ms: { type: 'integer', minimum: 0 },
      share: { type: 'number', minimum: 0, maximum: 1 },
      turns: { type: 'integer', minimum: 0 },
      words: { type: 'integer', minimum: 0 },
      words_per_minute: { type: 'number', minimum: 0 },
      questions: { type: 'integer', minimum: 0 },
    },
  },
} as const;

/** The output object: the listed sections are required; other top-level fields (metadata) are allowed. */
function outputSchema(title: string, sections: Record<string, unknown>): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    type: 'object',
    required: Object.keys(sections),
    properties: sections,
  };
}

const EVIDENCE = '{{#evidence}} _({{speaker}}, {{start_ms}} ms: "{{quote}}")_{{/evidence}}';

const meetingDefinition: ProfileVersionDefinition = {
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
};

export const MEETING_PROFILE: ResolvedProfile = {
  profile_id: '00000000-0000-4000-8000-000000000001',
  key: 'meeting',
  version: 1,
  ...meetingDefinition,
};
