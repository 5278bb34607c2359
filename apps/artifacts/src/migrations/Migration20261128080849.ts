import { Migration } from '@mikro-orm/migrations';

export class Migration20261128080849 extends Migration {
  override up(): void {
    this.addSql(
      'create table "artifacts"."artifacts" ("id" uuid not null, "job_id" uuid not null, "user_id" uuid not null, "kind" text not null, "uri" text not null, "checksum" text not null, "size" bigint not null, "content_type" text not null, "filename" text not null, "created_at" timestamptz not null, constraint "artifacts_pkey" primary key ("id"))',
    );
    this.addSql('create index "artifacts_user_id_index" on "artifacts"."artifacts" ("user_id")');
    this.addSql(
      'alter table "artifacts"."artifacts" add constraint "artifacts_job_id_kind_unique" unique ("job_id", "kind")',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "artifacts"."artifacts" cascade');
  }
}
