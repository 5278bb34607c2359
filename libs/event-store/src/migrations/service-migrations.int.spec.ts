import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@scriptripper/testing';
import { schemaDriftSql } from '../schema/event-store-orm';
import { writeServiceMigration } from './migration-writer';
import { migrateUp as migrateUpLocked } from './run-migrations';
import { serviceOrmOptions } from './service-orm-options';

/** A read model a service might add without writing its migration. */
const Widget = new EntitySchema({
  name: 'Widget',
  tableName: 'widgets',
  properties: { id: { type: 'uuid', primary: true }, label: { type: 'text' } },
});

describe('service migrations', () => {
  let database: TestDatabase;
  const opened: MikroORM[] = [];

  const open = async (schema: string, entities: EntitySchema[] = []) => {
    const orm = await MikroORM.init(serviceOrmOptions({ clientUrl: database.url, schema, entities }));
    opened.push(orm);
    return orm;
  };
  const migrateUp = async (schema: string) => {
    const orm = await open(schema);
    await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
    await orm.getMigrator().up();
    return orm;
  };

  beforeAll(async () => {
    database = await createTestDatabase('es_migrations');
  });

  afterAll(async () => {
    for (const orm of opened) await orm.close(true);
    await database.drop();
  });

  it('creates the store tables in the service schema, matching the entities exactly', async () => {
    const orm = await migrateUp('billing');
    expect(await schemaDriftSql(orm)).toBe('');
    await expect(orm.em.getConnection().execute('truncate billing.events')).rejects.toThrow(/append-only/);
  });

  it('keeps services apart: a second schema in the same database does not disturb the first', async () => {
    const second = await migrateUp('shipping');
    const first = await open('billing');
    expect(await schemaDriftSql(second)).toBe('');
    expect(await schemaDriftSql(first)).toBe('');
  });

  it('lets replicas that start together take turns: every run succeeds and each migration applies once', async () => {
    const [first, ...others] = await Promise.all([open('ledger'), open('ledger'), open('ledger')]);
    const reports = await Promise.all(
      [first, ...others].map((orm) => migrateUpLocked(orm, 'ledger', database.url)),
    );
    expect(reports.filter((report) => report.includes('applied'))).toHaveLength(1);
    expect(reports.filter((report) => report.includes('nothing to apply'))).toHaveLength(2);
    expect(await schemaDriftSql(first)).toBe('');
  });

  it('reports drift when an entity has no migration', async () => {
    const orm = await open('billing', [Widget]);
    expect(await schemaDriftSql(orm)).toMatch(/create table "billing"\."widgets"/);
  });

  it('writes nothing when the migrations already match the entities', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sr-migrations-'));
    try {
      expect(await writeServiceMigration(await open('billing'), folder)).toBeNull();
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('writes a migration for the missing entity, up and down, without touching other schemas', async () => {
    const orm = await open('billing', [Widget]);
    const folder = await mkdtemp(join(tmpdir(), 'sr-migrations-'));
    try {
      const written = await writeServiceMigration(orm, folder, new Date('2026-11-28T10:11:12Z'));
      expect(written?.className).toBe('Migration20261128101112');
      expect(await readdir(folder)).toEqual(['Migration20261128101112.ts']);
      const source = await readFile(join(folder, 'Migration20261128101112.ts'), 'utf8');
      expect(source).toContain('create table \\"billing\\".\\"widgets\\"');
      expect(source).toContain('drop table if exists \\"billing\\".\\"widgets\\"');
      expect(source).not.toMatch(/shipping/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rolls the store tables back down and up again', async () => {
    const orm = await open('shipping');
    await orm.getMigrator().down({ to: 0 });
    const tables = await orm.em
      .getConnection()
      .execute<{ table_name: string }[]>(
        `select table_name from information_schema.tables where table_schema = 'shipping' and table_name <> 'mikro_orm_migrations'`,
      );
    expect(tables).toEqual([]);
    await orm.getMigrator().up();
    expect(await schemaDriftSql(orm)).toBe('');
  });
});
