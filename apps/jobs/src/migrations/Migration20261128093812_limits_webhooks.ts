import { Migration } from '@mikro-orm/migrations';

/** Quotas (`quota_usage`) and webhooks (`webhooks`, `webhook_deliveries`, `webhook_delivery_attempts`). */
export class Migration20261128093812 extends Migration {
  override up(): void {
    this.addSql(
      'create table "jobs"."quota_usage" ("user_id" text not null, "day" text not null, "jobs" int not null, "spend_usd" double precision not null, constraint "quota_usage_pkey" primary key ("user_id", "day"))',
    );
    this.addSql('create index "quota_usage_day_index" on "jobs"."quota_usage" ("day")');
    this.addSql(
      'create table "jobs"."webhooks" ("id" uuid not null, "user_id" text not null, "url" text not null, "events" jsonb not null, "secret" text not null, "created_at" timestamptz not null, constraint "webhooks_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "webhooks_user_id_created_at_id_index" on "jobs"."webhooks" ("user_id", "created_at", "id")',
    );
    this.addSql(
      'create table "jobs"."webhook_deliveries" ("id" uuid not null, "webhook_id" uuid not null, "user_id" text not null, "event_id" text not null, "event_type" text not null, "job_id" uuid not null, "payload" jsonb not null, "status" text not null, "attempts" int not null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "webhook_deliveries_status_next_attempt_at_index" on "jobs"."webhook_deliveries" ("status", "next_attempt_at")',
    );
    this.addSql(
      'create index "webhook_deliveries_webhook_id_created_at_id_index" on "jobs"."webhook_deliveries" ("webhook_id", "created_at", "id")',
    );
    this.addSql(
      'alter table "jobs"."webhook_deliveries" add constraint "webhook_deliveries_webhook_id_event_id_unique" unique ("webhook_id", "event_id")',
    );
    this.addSql(
      'create table "jobs"."webhook_delivery_attempts" ("delivery_id" uuid not null, "attempt" int not null, "attempted_at" timestamptz not null, "status_code" int null, "duration_ms" int not null, "error" text null, "next_attempt_at" timestamptz null, constraint "webhook_delivery_attempts_pkey" primary key ("delivery_id", "attempt"))',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "jobs"."webhook_delivery_attempts" cascade');
    this.addSql('drop table if exists "jobs"."webhook_deliveries" cascade');
    this.addSql('drop table if exists "jobs"."webhooks" cascade');
    this.addSql('drop table if exists "jobs"."quota_usage" cascade');
  }
}
