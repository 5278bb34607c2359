import { Migration } from '@mikro-orm/migrations';

export class Migration20261128080911 extends Migration {
  override up(): void {
    this.addSql(
      'create table "jobs"."idempotency_keys" ("user_id" text not null, "key" text not null, "request_hash" text not null, "job_id" uuid not null, "created_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("user_id", "key"))',
    );
    this.addSql(
      'create table "jobs"."jobs" ("id" uuid not null, "user_id" text not null, "profile_id" uuid not null, "profile_key" text not null, "profile_version" int not null, "status" text not null, "input_uri" text not null, "input_sha256" text not null, "input_size" bigint not null, "format" text null, "filename" text null, "meeting_date" text null, "attempts" int not null, "metrics" jsonb null, "cost" double precision not null, "error" jsonb null, "retry_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "completed_at" timestamptz null, constraint "jobs_pkey" primary key ("id"))',
    );
    this.addSql('create index "jobs_retry_at_index" on "jobs"."jobs" ("retry_at")');
    this.addSql('create index "jobs_status_updated_at_index" on "jobs"."jobs" ("status", "updated_at")');
    this.addSql(
      'create index "jobs_user_id_created_at_id_index" on "jobs"."jobs" ("user_id", "created_at", "id")',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "jobs"."idempotency_keys" cascade');
    this.addSql('drop table if exists "jobs"."jobs" cascade');
  }
}
