import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@scriptripper/config';
import { rebuildReadModels, runReadModelRebuild } from '@scriptripper/service-runtime';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { ProfilesConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';
import { profilesReadModels } from './projections';
import { startProfilesTestApp, type ProfilesTestApp } from './test-support/profiles-test-app';

describe('rebuilding the profiles read models from the event table', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('profiles-rebuild');
  let database: TestDatabase;
  let profiles: ProfilesTestApp;
  let orm: MikroORM;

  const tableRows = async (table: string) =>
    orm.em.fork().execute(`select * from profiles.${table} order by 1`);

  beforeAll(async () => {
    database = await createTestDatabase('profiles_rebuild');
    // The running service publishes the built-in profiles: real events through the real projection.
    profiles = await startProfilesTestApp({ databaseUrl: database.url, redisUrl, keyPrefix });
    const config = loadConfig(ProfilesConfig, { DATABASE_URL: database.url, REDIS_URL: redisUrl });
    orm = await MikroORM.init(mikroOrmOptions(config));
  });

  afterAll(async () => {
    await orm?.close(true);
    await profiles?.close();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('finds drift in a dry run without changing anything, then rebuilds the tables to what the events say', async () => {
    const profilesBefore = await tableRows('profiles');
    const versionsBefore = await tableRows('profile_versions');
    expect(profilesBefore.length).toBeGreaterThanOrEqual(3);
    expect(versionsBefore.length).toBeGreaterThanOrEqual(3);

    // A read model gone wrong: one version row lost, one profile's default changed behind the events' back.
    const em = profiles.app.get(EntityManager).fork();
    await em.execute(
      'delete from profiles.profile_versions where ctid = (select ctid from profiles.profile_versions limit 1)',
    );
    await em.execute(`update profiles.profiles set default_version = 99 where key = 'meeting'`);

    const dryRun = await rebuildReadModels(orm.em, profilesReadModels, { dryRun: true });
    expect(dryRun.dryRun).toBe(true);
    expect(dryRun.tables).toEqual([
      {
        table: 'profile_versions',
        rowsBefore: versionsBefore.length - 1,
        rowsAfter: versionsBefore.length,
        rowsChanged: 1,
      },
      // The changed row counts twice: the wrong one out, the right one in.
      {
        table: 'profiles',
        rowsBefore: profilesBefore.length,
        rowsAfter: profilesBefore.length,
        rowsChanged: 2,
      },
    ]);
    expect(await tableRows('profile_versions')).toHaveLength(versionsBefore.length - 1);

    const rebuilt = await rebuildReadModels(orm.em, profilesReadModels);
    expect(rebuilt.events).toBeGreaterThanOrEqual(versionsBefore.length);
    expect(rebuilt.tables.map((table) => table.rowsChanged)).toEqual([1, 2]);
    expect(await tableRows('profiles')).toEqual(profilesBefore);
    expect(await tableRows('profile_versions')).toEqual(versionsBefore);

    const again = await rebuildReadModels(orm.em, profilesReadModels, { dryRun: true });
    expect(again.tables.map((table) => table.rowsChanged)).toEqual([0, 0]);
  });

  it("runs as the service's rebuild-projections command: --json output, exit 3 for drift in a dry run, 2 for bad usage", async () => {
    await orm.em.fork().execute(`update profiles.profiles set name = 'tampered' where key = 'talk'`);
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const failed = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const env = { DATABASE_URL: database.url };
    const job = { service: 'profiles', ormOptions: mikroOrmOptions, readModels: () => profilesReadModels };
    const codes: (number | string | undefined)[] = [];
    try {
      await runReadModelRebuild(job, ['--dry-run', '--json'], env);
      codes.push(process.exitCode);
      await runReadModelRebuild(job, ['--json'], env);
      codes.push(process.exitCode);
      await runReadModelRebuild(job, ['--bogus'], env);
      codes.push(process.exitCode);
      await runReadModelRebuild(job, [], {});
      codes.push(process.exitCode);
    } finally {
      process.exitCode = 0;
      write.mockRestore();
      failed.mockRestore();
    }
    expect(codes).toEqual([3, 0, 2, 1]);
    const [dry, real] = written.map((text) => JSON.parse(text));
    expect(dry).toMatchObject({ service: 'profiles', dryRun: true });
    expect(real).toMatchObject({ service: 'profiles', dryRun: false });
    const [talk] = await orm.em.fork().execute(`select name from profiles.profiles where key = 'talk'`);
    expect(talk.name).not.toBe('tampered');
  });
});
