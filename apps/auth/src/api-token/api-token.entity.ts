import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Scope } from '@scriptripper/contracts';

/** Read model of API tokens: the secret only as sha256. */
@Entity({ tableName: 'api_tokens' })
@Index({ properties: ['userId', 'createdAt', 'id'] })
export class ApiToken {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'json' })
  scopes!: Scope[];

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** The API token this one was made with; null when a signed-in person made it. */
  @Property({ type: 'uuid', nullable: true })
  parentTokenId!: string | null;
}
