import { Migration } from '@mikro-orm/migrations';

/** A re-run names the job it re-ran. */
export class Migration20261128094859 extends Migration {
  override up(): void {
    this.addSql('alter table "jobs"."jobs" add column "rerun_of" uuid null');
  }

  override down(): void {
    this.addSql('alter table "jobs"."jobs" drop column "rerun_of"');
  }
}
