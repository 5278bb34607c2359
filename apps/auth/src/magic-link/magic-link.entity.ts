import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Read model of sign-in links: the token only as sha256, the email in plaintext until the user is purged. */
@Entity({ tableName: 'magic_links' })
@Index({ properties: ['email', 'createdAt'] })
export class MagicLink {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  userId!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
