import Ajv from 'ajv';
import { meetingProfile } from '@scriptripper/contracts';
import { toAnthropicSchema, toGeminiSchema, toOpenAiSchema, type JsonSchema } from './schema-dialects';

/** Every keyword anywhere in a schema. */
function keywordsOf(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => keywordsOf(item, found));
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      found.add(key);
      if (key === 'properties') Object.values(value as object).forEach((item) => keywordsOf(item, found));
      else keywordsOf(value, found);
    }
  }
  return found;
}

const meetingSchema = meetingProfile.definition.output_schema as JsonSchema;

describe('toGeminiSchema', () => {
  it('inlines references, turns const into enum and oneOf into anyOf, and drops what Gemini lacks', () => {
    const schema: JsonSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: {
        owner: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
      },
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'owner', 'due'],
      properties: {
        kind: { const: 'task' },
        owner: { $ref: '#/definitions/owner' },
        due: { oneOf: [{ type: 'string', format: 'date', description: 'When' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string', pattern: '^#', minLength: 2 }, maxItems: 3 },
      },
    };
    expect(toGeminiSchema(schema)).toEqual({
      type: 'object',
      required: ['kind', 'owner', 'due'],
      properties: {
        kind: { enum: ['task'] },
        owner: { type: 'object', properties: { name: { type: 'string' } } },
        due: { anyOf: [{ type: 'string', description: 'When Format: date.' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      },
    });
  });

  it('merges allOf members into their parent', () => {
    const schema: JsonSchema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { type: 'integer' } }, required: ['b'] },
      ],
    };
    expect(toGeminiSchema(schema)).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      required: ['a', 'b'],
    });
  });

  it('refuses a recursive schema rather than loop', () => {
    const schema: JsonSchema = {
      definitions: { node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } } },
      $ref: '#/definitions/node',
    };
    expect(() => toGeminiSchema(schema)).toThrow('refers to itself through #/definitions/node');
  });

  it('leaves the meeting schema with no keyword Gemini refuses, and the answers it allows still valid', () => {
    const adapted = toGeminiSchema(meetingSchema);
    const keywords = keywordsOf(adapted);
    for (const refused of [
      'additionalProperties',
      '$ref',
      'const',
      'oneOf',
      '$schema',
      'title',
      'minLength',
    ]) {
      expect(keywords.has(refused)).toBe(false);
    }
    expect(JSON.stringify(adapted)).not.toContain('"format":"date"');
  });
});

describe('toOpenAiSchema', () => {
  it('makes a fully required schema strict: objects closed, lengths and unknown formats left out', () => {
    const { schema, strict } = toOpenAiSchema(meetingSchema);
    expect(strict).toBe(true);
    const keywords = keywordsOf(schema);
    expect(keywords.has('minLength')).toBe(false);
    expect(keywords.has('$schema')).toBe(false);
    const top = schema as {
      additionalProperties: unknown;
      properties: Record<string, { items: JsonSchema }>;
    };
    expect(top.additionalProperties).toBe(false);
    expect(top.properties['tasks']?.items['additionalProperties']).toBe(false);
    // Strict decoding still only yields answers the profile's own schema accepts.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const answer = {
      summary: [],
      decisions: [],
      tasks: [],
      highlights: [],
      quotables: [],
      topics: [],
      speaker_statistics: [],
    };
    expect(ajv.validate(schema, answer)).toBe(true);
    expect(ajv.validate(meetingSchema, answer)).toBe(true);
  });

  it('sends a schema with optional or free-form properties non-strict, as it is', () => {
    const optional: JsonSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'string', minLength: 1 }, b: { type: 'string' } },
    };
    const optionalResult = toOpenAiSchema(optional);
    expect(optionalResult.strict).toBe(false);
    expect(optionalResult.schema).toEqual({
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'string', minLength: 1 }, b: { type: 'string' } },
    });
    const freeForm: JsonSchema = {
      type: 'object',
      required: ['meta'],
      properties: { meta: { type: 'object' } },
    };
    expect(toOpenAiSchema(freeForm).strict).toBe(false);
    const openMap: JsonSchema = {
      type: 'object',
      required: [],
      properties: {},
      additionalProperties: { type: 'string' },
    };
    expect(toOpenAiSchema(openMap).strict).toBe(false);
  });
});

describe('toAnthropicSchema', () => {
  it('keeps the schema whole but for the draft marker', () => {
    const { $schema: _marker, ...rest } = meetingSchema;
    expect(toAnthropicSchema(meetingSchema)).toEqual(rest);
  });
});
