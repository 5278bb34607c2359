import { Migration } from '@mikro-orm/migrations';

/** The `oidc_attempts` table of OpenID Connect sign-ins in flight (generated from OidcAttempt). */
export class OidcAttemptsMigration extends Migration {
  override up(): void {
    this.addSql(
      'create table "auth"."oidc_attempts" ("state_hash" text not null, "nonce" text not null, "code_verifier" text not null, "provider" text not null, "redirect_uri" text not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "oidc_attempts_pkey" primary key ("state_hash"))',
    );
    this.addSql('create index "oidc_attempts_expires_at_index" on "auth"."oidc_attempts" ("expires_at")');
  }

  override down(): void {
    this.addSql('drop table if exists "auth"."oidc_attempts" cascade');
  }
}
