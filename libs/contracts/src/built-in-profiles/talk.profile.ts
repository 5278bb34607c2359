import type { ProfileVersionDefinition } from '../profiles';
import { builtInProfile } from './built-in-profile';
import { itemsSchema, outputSchema } from './extracted-item.schema';

const prompts = {
  system:
    'You analyse the transcript of a talk by one speaker. Use only what the transcript says. Every ' +
    'item cites the segments it comes from, quoting them verbatim.',
  summary: 'Summarise the talk in a few sentences, each backed by the segments it draws on.',
  key_points: 'List the key points the speaker makes, in the order they are made.',
  quotables: 'List short, striking sentences worth quoting, verbatim.',
  topics: 'List the topics the talk covers, each with the segments where it comes up.',
};

const parameters = {
  summary_sentences: 5,
  max_key_points: 8,
  max_quotables: 5,
  max_topics: 8,
};

const output_schema = outputSchema('Talk analysis', {
  summary: itemsSchema(),
  key_points: itemsSchema(),
  quotables: itemsSchema(),
  topics: itemsSchema(),
});

/** One speaker: no name, just where it was said. */
const templateWith = (evidence: string) => `# Talk results

## Summary
{{#summary}}
{{text}}
{{/summary}}

## Key points
{{#key_points}}
- {{text}}${evidence}
{{/key_points}}

## Quotables
{{#quotables}}
> {{text}}${evidence}

{{/quotables}}

## Topics
{{#topics}}
- {{text}}
{{/topics}}
`;

/** Version 1, as published: evidence times in milliseconds. */
const version1: ProfileVersionDefinition = {
  prompts,
  parameters,
  output_schema,
  template: templateWith('{{#evidence}} _({{start_ms}} ms: "{{quote}}")_{{/evidence}}'),
};

/** Version 2: times as mm:ss (`at`, added by the worker's renderer). */
const version2: ProfileVersionDefinition = {
  prompts,
  parameters,
  output_schema,
  template: templateWith('{{#evidence}} _({{at}}: "{{quote}}")_{{/evidence}}'),
};

/** One speaker (a talk, a lecture, a podcast monologue): what was said and what is worth quoting. */
export const talkProfile = builtInProfile(
  { key: 'talk', name: 'Talk', description: 'One speaker: summary, key points, quotables and topics.' },
  [version1, version2],
);
