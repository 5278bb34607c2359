import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A user's data key, wrapped with the service's key-encryption key. Deleting the row is the
 * crypto-shredding: what was encrypted with it can no longer be read, anywhere.
 */
@Entity({ tableName: 'user_keys' })
export class UserKey {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'blob', columnType: 'bytea' })
  wrappedKey!: Buffer;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
