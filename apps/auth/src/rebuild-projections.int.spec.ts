import { MikroORM } from '@mikro-orm/postgresql';
import { AuthRpc, type Actor, type TokenPair } from '@scriptripper/contracts';
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { rebuildReadModels } from '@scriptripper/service-runtime';
import { mikroOrmOptions } from './mikro-orm.config';
import { authReadModels } from './projections';
import { sessionActorOf, startAuthTestApp, type AuthTestApp } from './test-support/auth-test-app';

describe('rebuilding the auth read models from the event table', () => {
  let auth: AuthTestApp;
  let orm: MikroORM;

  const signIn = async (email: string): Promise<TokenPair> => {
    const before = await auth.mailCount();
    await auth.call(AuthRpc.requestMagicLink, { email });
    const token = await auth.linkTokenFor(email.toLowerCase(), before);
    return auth.call<TokenPair>(AuthRpc.verifyMagicLink, { token });
  };
  const rows = (sql: string) => orm.em.fork().execute(sql);

  beforeAll(async () => {
    auth = await startAuthTestApp('auth_rebuild');
    orm = await MikroORM.init(mikroOrmOptions(auth.config));
  });

  afterAll(async () => {
    await orm?.close(true);
    await auth?.close();
  });

  it('replays users, sessions, tokens and signing keys to exactly what the service wrote, and repairs a lost row', async () => {
    const admin = await signIn('Admin@Example.com');
    const ada = await signIn('ada@example.com');
    await auth.call(AuthRpc.refresh, { refresh_token: ada.refresh_token });
    const actor: Actor = sessionActorOf(admin);
    await auth.call(AuthRpc.createApiToken, { name: 'ci', scopes: ['jobs:read'] }, actor);
    const readModels = authReadModels(parseKeyEncryptionKey(auth.config.AUTH_KEY_ENCRYPTION_KEY));
    const before = Object.fromEntries(
      await Promise.all(
        readModels.tables.map(async (table) => [table, await rows(`select * from auth.${table} order by 1`)]),
      ),
    );
    expect(before['users']).toHaveLength(2);
    expect(before['api_tokens']).toHaveLength(1);
    expect(before['signing_keys'].length).toBeGreaterThanOrEqual(1);

    // Replaying what the appends wrote gives the same rows: the projection list is the service's.
    const check = await rebuildReadModels(orm.em, readModels, { dryRun: true });
    expect(check.tables.map((table) => [table.table, table.rowsChanged])).toEqual(
      readModels.tables.map((table) => [table, 0]),
    );

    await rows(`delete from auth.refresh_tokens`);
    const rebuilt = await rebuildReadModels(orm.em, readModels);
    expect(rebuilt.tables.find((table) => table.table === 'refresh_tokens')?.rowsChanged).toBe(
      before['refresh_tokens'].length,
    );
    for (const table of readModels.tables) {
      expect({ table, rows: await rows(`select * from auth.${table} order by 1`) }).toEqual({
        table,
        rows: before[table],
      });
    }
    // The user keys, in no event, were kept: the rebuilt users still decrypt.
    expect(await auth.call(AuthRpc.refresh, { refresh_token: admin.refresh_token })).toMatchObject({
      user: { email: 'admin@example.com' },
    });
  });
});
