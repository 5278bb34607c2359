import { Migration } from '@mikro-orm/migrations';

/** Users whose artifacts were erased, so nothing more is registered for them. */
export class Migration20261128105300 extends Migration {
  override up(): void {
    this.addSql(
      'create table "artifacts"."purged_users" ("user_id" uuid not null, "purged_at" timestamptz not null, constraint "purged_users_pkey" primary key ("user_id"))',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "artifacts"."purged_users"');
  }
}
