import type { components } from './generated/schema';

/** Names of the API's body shapes: `'JobViewDto'`, `'TokenPairDto'`, ... */
export type ApiSchemaName = keyof components['schemas'];

/** One body shape of the API by name: `ApiSchema<'JobViewDto'>`. */
export type ApiSchema<Name extends ApiSchemaName> = components['schemas'][Name];
