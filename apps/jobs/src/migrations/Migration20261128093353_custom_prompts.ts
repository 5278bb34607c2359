import { Migration } from '@mikro-orm/migrations';

/** Custom prompts' read model (`custom_prompts` of the data model, plus status and outcome). */
export class Migration20261128093353 extends Migration {
  override up(): void {
    this.addSql(
      'create table "jobs"."custom_prompts" ("id" uuid not null, "job_id" uuid not null, "user_id" text not null, "prompt" text not null, "status" text not null, "result_artifact_id" uuid null, "json_artifact_id" uuid null, "provider" text null, "tokens" int null, "cost" double precision not null, "error" jsonb null, "created_at" timestamptz not null, "answered_at" timestamptz null, constraint "custom_prompts_pkey" primary key ("id"))',
    );
    this.addSql('create index "custom_prompts_user_id_index" on "jobs"."custom_prompts" ("user_id")');
    this.addSql(
      'create index "custom_prompts_job_id_created_at_id_index" on "jobs"."custom_prompts" ("job_id", "created_at", "id")',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "jobs"."custom_prompts" cascade');
  }
}
