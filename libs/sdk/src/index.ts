export type { components, operations, paths } from './generated/schema';
export {
  dataOrThrow,
  isApiErrorBody,
  ScriptRipperApiError,
  type ApiErrorBody,
  type ApiResult,
} from './api-error';
export {
  createScriptRipperClient,
  type ScriptRipperClient,
  type ScriptRipperClientOptions,
  type TokenSource,
} from './scriptripper-client';
export type { ApiSchema, ApiSchemaName } from './schemas';
