import { Migration } from '@mikro-orm/migrations';

export class Migration20261205173022 extends Migration {
  override up(): void {
    this.addSql('alter table "auth"."api_tokens" add column "parent_token_id" uuid null');
  }

  override down(): void {
    this.addSql('alter table "auth"."api_tokens" drop column "parent_token_id"');
  }
}
