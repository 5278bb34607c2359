import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Compiled schemas kept at most; versions are immutable, so a cached one never goes stale. */
const MAX_CACHED_SCHEMAS = 200;

/**
 * Checks an analysis output against its profile version's JSON Schema. Compiling costs far
 * more than validating, so each version's schema is compiled once per process.
 */
export class OutputSchemaValidator {
  // Schemas were checked strictly when published; `$id`s are not registered, so versions may share one.
  private readonly ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    strict: false,
    addUsedSchema: false,
  });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  /** The problems found, as one message, or null when the output satisfies the schema. */
  problemsOf(version: { key: string; version: number; schema: object }, output: unknown): string | null {
    const validate = this.validatorOf(version);
    if (validate(output)) return null;
    return this.ajv.errorsText(validate.errors, { dataVar: 'output' });
  }

  private validatorOf(version: { key: string; version: number; schema: object }): ValidateFunction {
    const cacheKey = `${version.key}@${version.version}`;
    const cached = this.compiled.get(cacheKey);
    if (cached) return cached;
    if (this.compiled.size >= MAX_CACHED_SCHEMAS) {
      this.compiled.clear();
      this.ajv.removeSchema();
    }
    const validate = this.ajv.compile(version.schema);
    this.compiled.set(cacheKey, validate);
    return validate;
  }
}
