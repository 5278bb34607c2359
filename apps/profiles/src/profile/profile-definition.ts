import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Writer } from 'mustache';
import type { ProfileVersionDefinition } from '@scriptripper/contracts';
import { invalid } from '@scriptripper/contracts';

const MAX_TEMPLATE_LENGTH = 100_000;

/**
 * Checks what a version will hold before it is published, since it can never change after:
 * prompts and parameters are JSON objects, the output schema is a JSON Schema ajv compiles (draft-07,
 * strict about keywords, so a misspelt one is refused rather than ignored), and the template is
 * Mustache that parses and includes no partials (a version must render on its own).
 * Answers the definition with only the known fields.
 */
export function checkedDefinition(input: unknown): ProfileVersionDefinition {
  if (!isObject(input)) throw invalid('the version definition must be an object');
  const { prompts, parameters, output_schema: outputSchema, template } = input;
  if (!isObject(prompts)) throw invalid('prompts must be an object');
  if (!isObject(parameters)) throw invalid('parameters must be an object');
  if (!isObject(outputSchema)) throw invalid('output_schema must be a JSON Schema object');
  checkJsonSchema(outputSchema);
  if (typeof template !== 'string' || template.length === 0 || template.length > MAX_TEMPLATE_LENGTH) {
    throw invalid(`template must be a non-empty string of at most ${MAX_TEMPLATE_LENGTH} characters`);
  }
  checkTemplate(template);
  return { prompts, parameters, output_schema: outputSchema, template };
}

function checkJsonSchema(schema: Record<string, unknown>): void {
  // A fresh instance each time: ajv caches every schema it compiles, and these are untrusted.
  // Unknown keywords and formats fail; type-strictness hints would only be logged, so they are off.
  const ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  try {
    ajv.compile(schema);
  } catch (error) {
    throw invalid(
      `output_schema is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

type Span = [string, string, number, number, Span[]?];

function checkTemplate(template: string): void {
  let spans: Span[];
  try {
    spans = new Writer().parse(template) as Span[];
  } catch (error) {
    throw invalid(`template does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (includesPartial(spans)) throw invalid('template must not include partials ({{> name}})');
}

function includesPartial(spans: readonly Span[]): boolean {
  return spans.some(
    ([type, , , , children]) => type === '>' || (children ? includesPartial(children) : false),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
