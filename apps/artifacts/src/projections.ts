import type { ReadModels } from '@scriptripper/service-runtime';
import { artifactProjection } from './artifact/artifact.projection';
import { exportProjection } from './export/export.projection';

/**
 * The artifacts service's read models: what its appends apply (AppModule) and what
 * `rebuild-projections` replays, from one list. Not emptied: `released_blobs` (the retention
 * sweep's work list, written beside the events).
 */
export const artifactsReadModels: ReadModels = {
  projections: [artifactProjection, exportProjection],
  tables: ['exports', 'artifacts'],
};
