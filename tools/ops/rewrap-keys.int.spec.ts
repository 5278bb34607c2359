import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createEventStoreOrm, createEventStoreSchema } from '@scriptripper/event-store';
import { open, PersonalDataCipher, seal, UserKey } from '@scriptripper/privacy';
import { createTestDatabase, type TestDatabase } from '@scriptripper/testing';
import { UsageError } from './ops-cli';
import { rewrapKeys, rewrapMain } from './rewrap-keys';

describe('ops rewrap-keys (key-encryption key rotation)', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let client: Client;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const ana = randomUUID();
  const kid = randomUUID();
  let anaEmail: string;

  beforeAll(async () => {
    database = await createTestDatabase('ops_rewrap');
    // The auth schema's user_keys as the privacy lib defines it; signing_keys reduced to the two
    // columns the rotation touches (the auth app's own table has more).
    orm = await createEventStoreOrm({ clientUrl: database.url, schema: 'auth', entities: [UserKey] });
    await createEventStoreSchema(orm);
    const em = orm.em.fork();
    await em.execute('create table auth.signing_keys (kid text primary key, private_key text not null)');
    anaEmail = await new PersonalDataCipher(em, oldKey).encrypt(ana, 'ana@example.com');
    await em.execute('insert into auth.signing_keys (kid, private_key) values (?, ?)', [
      kid,
      seal(oldKey, Buffer.from('PRIVATE KEY PEM'), kid).toString('base64'),
    ]);
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await orm?.close(true);
    await database?.drop();
  });

  const signingBox = async () => {
    const [row] = await orm.em
      .fork()
      .execute<{ private_key: string }[]>('select private_key from auth.signing_keys');
    return Buffer.from(row?.private_key ?? '', 'base64');
  };

  it('re-seals user keys and signing keys with the new key, leaves them alone in a dry run, and runs again harmlessly', async () => {
    const dry = await rewrapKeys(client, 'auth', { old: oldKey, new: newKey }, true);
    expect(dry.tables).toEqual([
      { table: 'user_keys', rewrapped: 1, alreadyNew: 0 },
      { table: 'signing_keys', rewrapped: 1, alreadyNew: 0 },
    ]);
    expect(await new PersonalDataCipher(orm.em.fork(), oldKey).decrypt(ana, anaEmail)).toBe(
      'ana@example.com',
    );

    const done = await rewrapKeys(client, 'auth', { old: oldKey, new: newKey }, false);
    expect(done.tables.map((t) => t.rewrapped)).toEqual([1, 1]);
    expect(await new PersonalDataCipher(orm.em.fork(), newKey).decrypt(ana, anaEmail)).toBe(
      'ana@example.com',
    );
    await expect(new PersonalDataCipher(orm.em.fork(), oldKey).decrypt(ana, anaEmail)).rejects.toThrow();
    expect(open(newKey, await signingBox(), kid).toString()).toBe('PRIVATE KEY PEM');

    const again = await rewrapKeys(client, 'auth', { old: oldKey, new: newKey }, false);
    expect(again.tables).toEqual([
      { table: 'user_keys', rewrapped: 0, alreadyNew: 1 },
      { table: 'signing_keys', rewrapped: 0, alreadyNew: 1 },
    ]);
  });

  it('stops and changes nothing when a box opens with neither key', async () => {
    const stranger = randomUUID();
    await new PersonalDataCipher(orm.em.fork(), randomBytes(32)).encrypt(stranger, 'x@example.com');
    const third = randomBytes(32);
    await expect(rewrapKeys(client, 'auth', { old: newKey, new: third }, false)).rejects.toThrow(
      `user_keys ${stranger}: sealed with neither`,
    );
    expect(open(newKey, await signingBox(), kid).toString()).toBe('PRIVATE KEY PEM');
  });

  it('refuses missing, equal or malformed keys before touching the database', async () => {
    const base = { DATABASE_URL: database.url };
    const key = randomBytes(32).toString('base64');
    await expect(rewrapMain(['--service', 'auth'], base)).rejects.toThrow(
      'OLD_KEY_ENCRYPTION_KEY is not set',
    );
    await expect(
      rewrapMain(['--service', 'auth'], {
        ...base,
        OLD_KEY_ENCRYPTION_KEY: key,
        NEW_KEY_ENCRYPTION_KEY: key,
      }),
    ).rejects.toThrow('the same');
    await expect(
      rewrapMain(['--service', 'auth'], {
        ...base,
        OLD_KEY_ENCRYPTION_KEY: key,
        NEW_KEY_ENCRYPTION_KEY: 'short',
      }),
    ).rejects.toThrow(UsageError);
    await expect(rewrapMain(['--service', 'billing'], base)).rejects.toThrow('--service must be one of');
  });
});
