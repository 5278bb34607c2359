import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A blob an artifact no longer needs (expired or deleted), waiting for the releaser: it is deleted
 * from the blob store only once no live artifact references it (content-addressed blobs are shared
 * when the same bytes were stored twice). Written in the same transaction as the event that released
 * it, so a crash between commit and deletion loses nothing: the row stays until the blob is handled.
 */
@Entity({ tableName: 'released_blobs' })
export class ReleasedBlob {
  /** `blob://sha256/<hex>` */
  @PrimaryKey({ type: 'text' })
  uri!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  releasedAt!: Date;
}
