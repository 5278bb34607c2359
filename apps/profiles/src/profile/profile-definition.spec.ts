import { DomainError } from '@scriptripper/contracts';
import { checkedDefinition } from './profile-definition';

const valid = {
  prompts: { summary: 'Summarise.' },
  parameters: {},
  output_schema: { type: 'object', properties: { when: { type: 'string', format: 'date' } } },
  template: '# {{title}}\n{{#items}}- {{text}}\n{{/items}}',
};
const refusal = (input: unknown) => {
  try {
    checkedDefinition(input);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the definition was not refused');
};

describe('a version definition', () => {
  it('passes when the schema compiles and the template parses, keeping only known fields', () => {
    expect(checkedDefinition({ ...valid, extra: 1 })).toEqual(valid);
  });

  it("refuses an invalid JSON Schema with ajv's message", () => {
    expect(refusal({ ...valid, output_schema: { type: 'thing' } })).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^output_schema is not a valid JSON Schema: .*type/),
    });
  });

  it('refuses an unknown schema keyword instead of ignoring it', () => {
    expect(refusal({ ...valid, output_schema: { type: 'object', propertees: {} } }).message).toMatch(
      /unknown keyword: "propertees"/,
    );
  });

  it('refuses a template with an unclosed section', () => {
    expect(refusal({ ...valid, template: '{{#items}} open' }).message).toMatch(
      /^template does not parse: .*items/,
    );
  });

  it('refuses a template with a partial, even inside a section', () => {
    expect(refusal({ ...valid, template: '{{#a}}{{> other}}{{/a}}' }).message).toMatch(/partials/);
  });

  it('refuses prompts or parameters that are not objects', () => {
    expect(refusal({ ...valid, prompts: ['x'] }).message).toBe('prompts must be an object');
    expect(refusal({ ...valid, parameters: null }).message).toBe('parameters must be an object');
  });
});
