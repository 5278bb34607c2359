import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One OpenID Connect sign-in in flight, between the redirect to the provider and its callback.
 * The state is kept only as a hash: it travels through the browser, and the row must not
 * help whoever reads the table to complete someone else's sign-in.
 */
@Entity({ tableName: 'oidc_attempts' })
export class OidcAttempt {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'text' })
  stateHash!: string;

  @Property({ type: 'text' })
  nonce!: string;

  @Property({ type: 'text' })
  codeVerifier!: string;

  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  redirectUri!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  /** Expired attempts are refused, and old rows can be swept by this index. */
  @Index()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
