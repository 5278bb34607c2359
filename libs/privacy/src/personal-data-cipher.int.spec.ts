import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { serviceActor, type MessageEnvelope, type UserPurgedEvent } from '@scriptripper/contracts';
import { Inbox, schemaDriftSql, serviceOrmOptions } from '@scriptripper/event-store';
import { createTestDatabase, type TestDatabase } from '@scriptripper/testing';
import { privacyEntities } from './index';
import { PersonalDataCipher } from './personal-data-cipher';
import { PurgedUserHandler } from './purged-user.handler';
import { privacyMigrations } from './user-keys.migration';

const SCHEMA = 'ledger';

describe('personal data cipher', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  const kek = randomBytes(32);
  const cipher = () => new PersonalDataCipher(orm.em.fork(), kek);

  beforeAll(async () => {
    database = await createTestDatabase('privacy_cipher');
    orm = await MikroORM.init(
      serviceOrmOptions({
        clientUrl: database.url,
        schema: SCHEMA,
        entities: privacyEntities,
        migrations: privacyMigrations,
      }),
    );
    await orm.em.getConnection().execute(`create schema ${SCHEMA}`);
    await orm.getMigrator().up();
    await orm.em
      .getConnection()
      .execute(`create table ${SCHEMA}.notes (user_id uuid not null, body text not null)`);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('creates the user_keys table exactly as the entity describes it', async () => {
    // The test's own `notes` table has no entity, so only it may differ.
    expect(await schemaDriftSql(orm)).not.toMatch(/user_keys/);
  });

  it('round-trips personal data and hides it from the stored text', async () => {
    const userId = randomUUID();
    const sealed = await cipher().encrypt(userId, 'ada@example.com');
    expect(sealed).not.toContain('ada');
    expect(await cipher().decrypt(userId, sealed)).toBe('ada@example.com');
  });

  it("refuses to open one user's ciphertext as another's", async () => {
    const sealed = await cipher().encrypt(randomUUID(), 'grace@example.com');
    const other = randomUUID();
    await cipher().encrypt(other, 'someone else');
    // A permanent refusal: no retry opens it.
    await expect(cipher().decrypt(other, sealed)).rejects.toMatchObject({
      code: 'INTERNAL',
      retryable: false,
    });
  });

  it('keeps one key per user when two first uses race', async () => {
    const userId = randomUUID();
    const [a, b] = await Promise.all([cipher().encrypt(userId, 'a'), cipher().encrypt(userId, 'b')]);
    expect([await cipher().decrypt(userId, a), await cipher().decrypt(userId, b)]).toEqual(['a', 'b']);
  });

  it('answers null for every ciphertext of a user whose key was destroyed', async () => {
    const userId = randomUUID();
    const sealed = await cipher().encrypt(userId, 'linus@example.com');
    expect(await cipher().destroyKey(userId)).toBe(true);
    expect(await cipher().decrypt(userId, sealed)).toBeNull();
    expect(await cipher().destroyKey(userId)).toBe(false);
  });

  it("destroys a key within the caller's transaction: a purge that rolls back keeps it", async () => {
    const userId = randomUUID();
    const sealed = await cipher().encrypt(userId, 'margaret@example.com');
    await expect(
      orm.em.fork().transactional(async (em) => {
        expect(await cipher().destroyKey(userId, em)).toBe(true);
        throw new Error('the purge failed after destroying the key');
      }),
    ).rejects.toThrow('the purge failed');
    expect(await cipher().decrypt(userId, sealed)).toBe('margaret@example.com');
  });

  it('forgets a purged user once per message: key destroyed and read models removed', async () => {
    const userId = randomUUID();
    const sealed = await cipher().encrypt(userId, 'margaret@example.com');
    await orm.em.fork().getConnection().execute(`insert into ${SCHEMA}.notes values (?, 'hello')`, [userId]);
    let removals = 0;
    const handler = new PurgedUserHandler(
      new Inbox(orm.em.fork()),
      cipher(),
      'ledger.user-purged',
      async (em, id) => {
        removals++;
        await em.getConnection().execute(`delete from ${SCHEMA}.notes where user_id = ?`, [id]);
      },
    );
    const envelope: MessageEnvelope<UserPurgedEvent> = {
      id: randomUUID(),
      type: 'UserPurged',
      correlationId: randomUUID(),
      causationId: null,
      actor: serviceActor('auth'),
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      traceparent: null,
      data: { user_id: userId },
    };
    await handler.handle(envelope);
    await handler.handle(envelope);
    expect(removals).toBe(1);
    expect(await cipher().decrypt(userId, sealed)).toBeNull();
    const notes = await orm.em
      .fork()
      .getConnection()
      .execute(`select * from ${SCHEMA}.notes where user_id = ?`, [userId]);
    expect(notes).toEqual([]);
  });
});
