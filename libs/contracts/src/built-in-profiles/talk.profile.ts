import type { BuiltInProfile } from './built-in-profile';
import { itemsSchema, outputSchema } from './extracted-item.schema';

const EVIDENCE = '{{#evidence}} _({{start_ms}} ms: "{{quote}}")_{{/evidence}}';

/** One speaker (a talk, a lecture, a podcast monologue): what was said and what is worth quoting. */
export const talkProfile: BuiltInProfile = {
  key: 'talk',
  name: 'Talk',
  description: 'One speaker: summary, key points, quotables and topics.',
  definition: {
    prompts: {
      system:
        'You analyse the transcript of a talk by one speaker. Use only what the transcript says. Every ' +
        'item cites the segments it comes from, quoting them verbatim.',
      summary: 'Summarise the talk in a few sentences, each backed by the segments it draws on.',
      key_points: 'List the key points the speaker makes, in the order they are made.',
      quotables: 'List short, striking sentences worth quoting, verbatim.',
      topics: 'List the topics the talk covers, each with the segments where it comes up.',
    },
    parameters: {
      summary_sentences: 5,
      max_key_points: 8,
      max_quotables: 5,
      max_topics: 8,
    },
    output_schema: outputSchema('Talk analysis', {
      summary: itemsSchema(),
      key_points: itemsSchema(),
      quotables: itemsSchema(),
      topics: itemsSchema(),
    }),
    template: `# Talk results

## Summary
{{#summary}}
{{text}}
{{/summary}}

## Key points
{{#key_points}}
- {{text}}${EVIDENCE}
{{/key_points}}

## Quotables
{{#quotables}}
> {{text}}${EVIDENCE}

{{/quotables}}

## Topics
{{#topics}}
- {{text}}
{{/topics}}
`,
  },
};
