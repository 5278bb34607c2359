import { Artifact } from './artifact/artifact.entity';
import { ExportIdempotencyKey, ExportRecord } from './export/export.entity';
import { PurgedUser } from './erasure/purged-user.entity';
import { ReleasedBlob } from './retention/released-blob.entity';

/** Every table of the artifacts schema besides the event store's. */
export const artifactsEntities = [Artifact, ExportRecord, ExportIdempotencyKey, ReleasedBlob, PurgedUser];
