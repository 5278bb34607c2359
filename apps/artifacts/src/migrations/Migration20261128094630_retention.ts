import { Migration } from '@mikro-orm/migrations';

/** Retention and erasure: when an artifact expired, the blobs waiting for the releaser, and the indexes they search by. */
export class Migration20261128094630 extends Migration {
  override up(): void {
    this.addSql('alter table "artifacts"."artifacts" add column "expired_at" timestamptz null');
    this.addSql('create index "artifacts_created_at_index" on "artifacts"."artifacts" ("created_at")');
    this.addSql('create index "artifacts_uri_index" on "artifacts"."artifacts" ("uri")');
    this.addSql(
      'create table "artifacts"."released_blobs" ("uri" text not null, "released_at" timestamptz not null, constraint "released_blobs_pkey" primary key ("uri"))',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "artifacts"."released_blobs"');
    this.addSql('drop index "artifacts"."artifacts_uri_index"');
    this.addSql('drop index "artifacts"."artifacts_created_at_index"');
    this.addSql('alter table "artifacts"."artifacts" drop column "expired_at"');
  }
}
