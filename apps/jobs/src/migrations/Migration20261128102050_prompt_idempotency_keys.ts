import { Migration } from '@mikro-orm/migrations';

/** `Idempotency-Key` of `POST /prompts`, per user. */
export class Migration20261128102050 extends Migration {
  override up(): void {
    this.addSql(
      'create table "jobs"."prompt_idempotency_keys" ("user_id" text not null, "key" text not null, "request_hash" text not null, "prompt_id" uuid not null, "created_at" timestamptz not null, constraint "prompt_idempotency_keys_pkey" primary key ("user_id", "key"))',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "jobs"."prompt_idempotency_keys" cascade');
  }
}
