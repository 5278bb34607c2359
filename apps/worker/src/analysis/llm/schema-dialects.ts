/**
 * Profile schemas are full JSON Schema (draft-07); each vendor's structured output accepts a
 * narrower dialect. These pure adapters turn a schema into one the vendor takes without
 * changing which answers are right: what a dialect cannot say (a length, a format) is left
 * out or moved into the description, and the answer is still checked against the full schema
 * with ajv afterwards, so nothing the profile demands is lost.
 */
export type JsonSchema = Record<string, unknown>;

/** The keywords Gemini's response schema (an OpenAPI 3.0 subset) understands, as the AI SDK passes them. */
const GEMINI_KEYWORDS = new Set([
  'type',
  'format',
  'description',
  'enum',
  'items',
  'properties',
  'required',
  'anyOf',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
]);
/** String formats Gemini accepts; other formats become a hint in the description. */
const GEMINI_FORMATS = new Set(['date-time', 'enum']);

/**
 * Gemini: `$ref`s inlined (no recursion), `const` as a one-value `enum`, `oneOf` as `anyOf`,
 * `allOf` merged, no `additionalProperties`, only `date-time` formats, and every keyword it
 * does not know dropped. Nullable type lists (`["string", "null"]`) stay: the SDK turns them
 * into `nullable`.
 */
export function toGeminiSchema(schema: JsonSchema): JsonSchema {
  return geminiNode(schema, schema, []);
}

function geminiNode(node: unknown, root: JsonSchema, resolving: readonly string[]): JsonSchema {
  if (typeof node !== 'object' || node === null) return {};
  let source = node as JsonSchema;
  if (typeof source['$ref'] === 'string') {
    const reference = source['$ref'];
    if (resolving.includes(reference)) {
      throw new Error(`the schema refers to itself through ${reference}, which Gemini cannot express`);
    }
    return geminiNode(resolveReference(root, reference), root, [...resolving, reference]);
  }
  if (Array.isArray(source['allOf'])) source = mergeAllOf(source);

  const result: JsonSchema = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (keyword === 'const') result['enum'] = [value];
    else if (keyword === 'oneOf' || keyword === 'anyOf') {
      result['anyOf'] = (value as unknown[]).map((option) => geminiNode(option, root, resolving));
    } else if (keyword === 'properties') {
      result['properties'] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, property]) => [
          name,
          geminiNode(property, root, resolving),
        ]),
      );
    } else if (keyword === 'items') result['items'] = geminiNode(value, root, resolving);
    else if (keyword === 'format') {
      if (GEMINI_FORMATS.has(String(value))) result['format'] = value;
    } else if (GEMINI_KEYWORDS.has(keyword)) result[keyword] = value;
  }
  const format = source['format'];
  if (typeof format === 'string' && !GEMINI_FORMATS.has(format)) {
    result['description'] = [source['description'], `Format: ${format}.`].filter(Boolean).join(' ');
  }
  return result;
}

/** `allOf` members folded into their parent: properties and required lists combined. */
function mergeAllOf(schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  const merged: JsonSchema = { ...rest };
  for (const member of allOf as JsonSchema[]) {
    for (const [keyword, value] of Object.entries(member)) {
      if (keyword === 'properties') {
        merged['properties'] = { ...(merged['properties'] as object), ...(value as object) };
      } else if (keyword === 'required') {
        merged['required'] = [
          ...new Set([...((merged['required'] as string[]) ?? []), ...(value as string[])]),
        ];
      } else if (!(keyword in merged)) merged[keyword] = value;
    }
  }
  return merged;
}

function resolveReference(root: JsonSchema, reference: string): unknown {
  if (!reference.startsWith('#')) throw new Error(`the schema refers outside itself (${reference})`);
  let node: unknown = root;
  for (const part of reference.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`the schema's reference ${reference} points nowhere`);
  return node;
}

/** String formats OpenAI's strict mode accepts. */
const OPENAI_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);
/** Keywords strict mode refuses; ajv still checks them afterwards. */
const OPENAI_STRICT_DROPPED = new Set([
  '$schema',
  'minLength',
  'maxLength',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'default',
  'examples',
]);

/**
 * OpenAI: strict structured outputs (the answer is decoded against the schema) need every
 * object closed (`additionalProperties: false`) with all its properties required. A schema
 * that is so, or becomes so by closing its objects, goes strict with the keywords strict mode
 * refuses (lengths, most formats) left out; one with optional properties or free-form
 * objects goes non-strict as it is, and ajv alone holds the answer to it.
 */
export function toOpenAiSchema(schema: JsonSchema): { schema: JsonSchema; strict: boolean } {
  const strict = openAiStrictNode(schema);
  if (strict !== undefined) return { schema: strict, strict: true };
  const { $schema: _ignored, ...loose } = schema;
  return { schema: loose, strict: false };
}

/** The node in strict form, or undefined when it cannot be made strict without changing its meaning. */
function openAiStrictNode(node: unknown): JsonSchema | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const source = node as JsonSchema;
  const result: JsonSchema = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (OPENAI_STRICT_DROPPED.has(keyword)) continue;
    if (keyword === 'format' && !OPENAI_FORMATS.has(String(value))) continue;
    if (keyword === 'properties' || keyword === '$defs' || keyword === 'definitions') {
      const converted: Record<string, JsonSchema> = {};
      for (const [name, property] of Object.entries(value as Record<string, unknown>)) {
        const strict = openAiStrictNode(property);
        if (strict === undefined) return undefined;
        converted[name] = strict;
      }
      result[keyword] = converted;
    } else if (keyword === 'items' || keyword === 'not') {
      const strict = openAiStrictNode(value);
      if (strict === undefined) return undefined;
      result[keyword] = strict;
    } else if (keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'allOf') {
      const options = (value as unknown[]).map(openAiStrictNode);
      if (options.some((option) => option === undefined)) return undefined;
      result[keyword === 'oneOf' ? 'anyOf' : keyword] = options;
    } else result[keyword] = value;
  }
  if (isObjectSchema(source)) {
    const properties = Object.keys((source['properties'] as object | undefined) ?? {});
    const required = new Set((source['required'] as string[] | undefined) ?? []);
    const open = source['additionalProperties'] !== undefined && source['additionalProperties'] !== false;
    if (open || properties.length === 0 || properties.some((name) => !required.has(name))) return undefined;
    result['additionalProperties'] = false;
  }
  return result;
}

function isObjectSchema(schema: JsonSchema): boolean {
  const type = schema['type'];
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in schema;
}

/** Anthropic reads tool input schemas as JSON Schema; only the draft marker is left out. */
export function toAnthropicSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}
