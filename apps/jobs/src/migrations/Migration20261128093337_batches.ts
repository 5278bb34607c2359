import { Migration } from '@mikro-orm/migrations';

/** Batches: their read model, their idempotency keys, and the batch a job belongs to. */
export class Migration20261128093337 extends Migration {
  override up(): void {
    this.addSql(
      'create table "jobs"."batches" ("id" uuid not null, "user_id" text not null, "profile_key" text not null, "profile_version" int not null, "job_ids" jsonb not null, "created_at" timestamptz not null, constraint "batches_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "batches_user_id_created_at_id_index" on "jobs"."batches" ("user_id", "created_at", "id")',
    );
    this.addSql(
      'create table "jobs"."batch_idempotency_keys" ("user_id" text not null, "key" text not null, "request_hash" text not null, "batch_id" uuid not null, "created_at" timestamptz not null, constraint "batch_idempotency_keys_pkey" primary key ("user_id", "key"))',
    );
    this.addSql('alter table "jobs"."jobs" add column "batch_id" uuid null');
    this.addSql('create index "jobs_batch_id_index" on "jobs"."jobs" ("batch_id")');
  }

  override down(): void {
    this.addSql('drop index "jobs"."jobs_batch_id_index"');
    this.addSql('alter table "jobs"."jobs" drop column "batch_id"');
    this.addSql('drop table if exists "jobs"."batch_idempotency_keys" cascade');
    this.addSql('drop table if exists "jobs"."batches" cascade');
  }
}
