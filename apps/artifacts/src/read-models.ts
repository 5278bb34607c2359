import { Artifact } from './artifact/artifact.entity';

/** Every table of the artifacts schema besides the event store's. */
export const artifactsEntities = [Artifact];
