import { Migration } from '@mikro-orm/migrations';

/** Lifecycle: when a job's transcript expired; idempotency keys found by job for its deletion. */
export class Migration20261128093800 extends Migration {
  override up(): void {
    this.addSql('alter table "jobs"."jobs" add column "transcript_expired_at" timestamptz null');
    this.addSql('create index "idempotency_keys_job_id_index" on "jobs"."idempotency_keys" ("job_id")');
  }

  override down(): void {
    this.addSql('drop index "jobs"."idempotency_keys_job_id_index"');
    this.addSql('alter table "jobs"."jobs" drop column "transcript_expired_at"');
  }
}
