import { Migration } from '@mikro-orm/migrations';

export class Migration20261128074041 extends Migration {
  override up(): void {
    this.addSql(
      'create table "auth"."api_tokens" ("id" uuid not null, "user_id" uuid not null, "name" text not null, "scopes" jsonb not null, "token_hash" text not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"))',
    );
    this.addSql(
      'alter table "auth"."api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash")',
    );
    this.addSql(
      'create index "api_tokens_user_id_created_at_id_index" on "auth"."api_tokens" ("user_id", "created_at", "id")',
    );
    this.addSql(
      'create table "auth"."magic_links" ("id" uuid not null, "user_id" uuid not null, "email" text not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "magic_links_pkey" primary key ("id"))',
    );
    this.addSql('create index "magic_links_user_id_index" on "auth"."magic_links" ("user_id")');
    this.addSql(
      'alter table "auth"."magic_links" add constraint "magic_links_token_hash_unique" unique ("token_hash")',
    );
    this.addSql(
      'create index "magic_links_email_created_at_index" on "auth"."magic_links" ("email", "created_at")',
    );
    this.addSql(
      'create table "auth"."refresh_tokens" ("id" uuid not null, "session_id" uuid not null, "user_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "refresh_tokens_pkey" primary key ("id"))',
    );
    this.addSql('create index "refresh_tokens_session_id_index" on "auth"."refresh_tokens" ("session_id")');
    this.addSql('create index "refresh_tokens_user_id_index" on "auth"."refresh_tokens" ("user_id")');
    this.addSql(
      'alter table "auth"."refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash")',
    );
    this.addSql(
      'create table "auth"."signing_keys" ("kid" text not null, "algorithm" text not null, "public_jwk" jsonb not null, "private_key" text not null, "created_at" timestamptz not null, "retired_at" timestamptz null, constraint "signing_keys_pkey" primary key ("kid"))',
    );
    this.addSql(
      'create table "auth"."users" ("id" uuid not null, "email" text not null, "name" text null, "role" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"))',
    );
    this.addSql('alter table "auth"."users" add constraint "users_email_unique" unique ("email")');
  }

  override down(): void {
    this.addSql('drop table if exists "auth"."api_tokens" cascade');
    this.addSql('drop table if exists "auth"."magic_links" cascade');
    this.addSql('drop table if exists "auth"."refresh_tokens" cascade');
    this.addSql('drop table if exists "auth"."signing_keys" cascade');
    this.addSql('drop table if exists "auth"."users" cascade');
  }
}
