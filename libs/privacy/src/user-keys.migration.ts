import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/**
 * The `user_keys` table in the schema of whichever service runs it (the ORM config's
 * `schema`). Frozen once released: change the table with a new migration.
 */
export class UserKeysMigration extends Migration {
  override up(): void {
    this.addSql(
      `create table ${this.table()} ("user_id" uuid not null, "wrapped_key" bytea not null, "created_at" timestamptz not null default now(), constraint "user_keys_pkey" primary key ("user_id"))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${this.table()}`);
  }

  private table(): string {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('The user_keys table needs the service schema in the ORM config');
    return `"${schema.replace(/"/g, '""')}"."user_keys"`;
  }
}

/** List these after the event store's migrations in a service that keeps personal data. */
export const privacyMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261201000000_user_keys', class: UserKeysMigration },
];
