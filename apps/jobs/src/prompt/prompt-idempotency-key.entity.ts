import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A client's `Idempotency-Key` on `POST /prompts`, per user, with the hash of the request it
 * came with. Written in the prompt's append: two concurrent asks with one key collide on the
 * primary key, and only one prompt is recorded.
 */
@Entity({ tableName: 'prompt_idempotency_keys' })
export class PromptIdempotencyKey {
  @PrimaryKey({ type: 'text' })
  userId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'uuid' })
  promptId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
