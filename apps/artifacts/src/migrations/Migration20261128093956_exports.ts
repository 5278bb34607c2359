import { Migration } from '@mikro-orm/migrations';

/** Exports' read model. */
export class Migration20261128093956 extends Migration {
  override up(): void {
    this.addSql(
      'create table "artifacts"."exports" ("id" uuid not null, "user_id" uuid not null, "subject_type" text not null, "subject_id" uuid not null, "job_ids" jsonb not null, "status" text not null, "artifact_ids" jsonb not null, "error" jsonb null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "exports_pkey" primary key ("id"))',
    );
    this.addSql(
      'create index "exports_user_id_created_at_index" on "artifacts"."exports" ("user_id", "created_at")',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "artifacts"."exports" cascade');
  }
}
