import { Migration } from '@mikro-orm/migrations';

export class Migration20261128075837 extends Migration {
  override up(): void {
    this.addSql(
      'create table "profiles"."profiles" ("id" uuid not null, "key" text not null, "name" text not null, "description" text null, "default_version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "profiles_pkey" primary key ("id"))',
    );
    this.addSql('alter table "profiles"."profiles" add constraint "profiles_key_unique" unique ("key")');
    this.addSql(
      'create table "profiles"."profile_versions" ("profile_id" uuid not null, "version" int not null, "prompts" jsonb not null, "parameters" jsonb not null, "schema" jsonb not null, "template" text not null, "status" text not null, "created_at" timestamptz not null, constraint "profile_versions_pkey" primary key ("profile_id", "version"))',
    );
    this.addSql(
      'alter table "profiles"."profile_versions" add constraint "profile_versions_profile_id_foreign" foreign key ("profile_id") references "profiles"."profiles" ("id") on update cascade',
    );
  }

  override down(): void {
    this.addSql(
      'alter table "profiles"."profile_versions" drop constraint "profile_versions_profile_id_foreign"',
    );
    this.addSql('drop table if exists "profiles"."profiles" cascade');
    this.addSql('drop table if exists "profiles"."profile_versions" cascade');
  }
}
