import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';

export interface WrittenMigration {
  readonly className: string;
  readonly file: string;
}

/**
 * Writes a migration with what the entities need beyond the migrated schema, limited to the
 * service's own schema. MikroORM's `createMigration` diffs the whole database, so in a
 * database shared by several services its `down()` would recreate the other services'
 * tables; this diff is pruned to one schema, up and down. Returns null when nothing differs.
 */
export async function writeServiceMigration(
  orm: MikroORM,
  folder: string,
  now = new Date(),
): Promise<WrittenMigration | null> {
  const schema = orm.config.get('schema');
  if (!schema) throw new Error('the MikroORM options name no schema');
  const diff = await orm.schema.getUpdateSchemaMigrationSQL({
    wrap: false,
    safe: false,
    dropTables: true,
    schema,
  });
  const up = statementsOf(diff.up);
  if (up.length === 0) return null;
  const className = `Migration${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const file = join(folder, `${className}.ts`);
  await mkdir(folder, { recursive: true });
  await writeFile(file, render(className, up, statementsOf(diff.down)));
  return { className, file };
}

function statementsOf(sql: string): string[] {
  return sql
    .split(/;\n/)
    .map((statement) => statement.trim().replace(/;$/, ''))
    .filter((statement) => statement !== '');
}

function render(className: string, up: string[], down: string[]): string {
  const lines = (statements: string[]) =>
    statements.map((sql) => `    this.addSql(${JSON.stringify(sql)});`).join('\n');
  return `import { Migration } from '@mikro-orm/migrations';

export class ${className} extends Migration {
  override up(): void {
${lines(up)}
  }

  override down(): void {
${lines(down)}
  }
}
`;
}
