import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys of export requests. */
export class Migration20261128100613 extends Migration {
  override up(): void {
    this.addSql(
      'create table "artifacts"."export_idempotency_keys" ("user_id" uuid not null, "key" text not null, "subject" text not null, "export_id" uuid not null, "created_at" timestamptz not null, constraint "export_idempotency_keys_pkey" primary key ("user_id", "key"))',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "artifacts"."export_idempotency_keys" cascade');
  }
}
