import type { EntityManager } from '@mikro-orm/postgresql';
import { ReleasedBlob } from './released-blob.entity';

/** Queues a blob for the releaser, in the caller's transaction; queued twice is queued once. */
export async function releaseBlob(em: EntityManager, uri: string, at: Date): Promise<void> {
  await em
    .createQueryBuilder(ReleasedBlob)
    .insert({ uri, releasedAt: at })
    .onConflict('uri')
    .ignore()
    .execute();
}
