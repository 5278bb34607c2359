import type { ProfileVersionDefinition } from '../api/types';

export const DEFINITION_FIELDS = ['prompts', 'parameters', 'output_schema', 'template'] as const;
export type DefinitionField = (typeof DEFINITION_FIELDS)[number];

export type DefinitionTexts = Record<DefinitionField, string>;
export type DefinitionErrors = Partial<Record<DefinitionField | 'form', string>>;

export function textsOf(definition: ProfileVersionDefinition): DefinitionTexts {
  return {
    prompts: JSON.stringify(definition.prompts, null, 2),
    parameters: JSON.stringify(definition.parameters, null, 2),
    output_schema: JSON.stringify(definition.output_schema, null, 2),
    template: definition.template,
  };
}

/** The texts as a definition, or the error of each field that is not a JSON object (or empty). */
export function parseDefinition(
  texts: DefinitionTexts,
): { definition: ProfileVersionDefinition; errors: null } | { definition: null; errors: DefinitionErrors } {
  const errors: DefinitionErrors = {};
  const objects: Partial<Record<DefinitionField, Record<string, unknown>>> = {};
  for (const field of ['prompts', 'parameters', 'output_schema'] as const) {
    try {
      const value = JSON.parse(texts[field]) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors[field] = 'Must be a JSON object ({ … }).';
      } else objects[field] = value as Record<string, unknown>;
    } catch (error) {
      errors[field] = `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (!texts.template.trim()) errors.template = 'The template must not be empty.';
  if (Object.keys(errors).length > 0) return { definition: null, errors };
  return {
    definition: {
      prompts: objects.prompts ?? {},
      parameters: objects.parameters ?? {},
      output_schema: objects.output_schema ?? {},
      template: texts.template,
    },
    errors: null,
  };
}

/**
 * Which field a refusal of the profiles service is about: its messages start with the field's
 * name ("output_schema is not a valid JSON Schema: ..."). Anything else belongs to the form.
 */
export function errorsOfRefusal(message: string): DefinitionErrors {
  const match = /^(prompts|parameters|output_schema|template)\b/.exec(message.trim());
  const field = match?.[1] as DefinitionField | undefined;
  return field ? { [field]: message } : { form: message };
}
