/**
 * The JSON Schema pieces every built-in profile's output is made of (draft-07). Every extracted
 * item carries the evidence it was drawn from, with `quote` verbatim from the transcript, so a
 * reader can check it; owners and due dates that cannot be resolved are marked so, never invented.
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
export function itemsSchema(options: { withOwnerAndDue?: boolean } = {}) {
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
export const speakerStatisticsSchema = {
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
export function outputSchema(title: string, sections: Record<string, unknown>): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    type: 'object',
    required: Object.keys(sections),
    properties: sections,
  };
}
