import Redis from 'ioredis';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ALL_SCOPES,
  builtInProfile,
  ErrorCodes,
  meetingProfile,
  talkProfile,
  ProfilesRpc,
  type Actor,
  type Page,
  type ProfileSummary,
  type ProfileVersionDefinition,
  type ProfileVersionView,
  type ProfileView,
  type ResolvedProfile,
} from '@scriptripper/contracts';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { BuiltInProfilesSeeder } from './built-ins/built-in-profiles.seeder';
import { startProfilesTestApp, type ProfilesTestApp } from './test-support/profiles-test-app';

const admin: Actor = { id: '00000000-0000-4000-8000-000000000001', role: 'admin', scopes: ALL_SCOPES };
const user: Actor = {
  id: '00000000-0000-4000-8000-000000000002',
  role: 'user',
  scopes: ['jobs:read', 'jobs:write'],
};
const adminWithoutScope: Actor = { ...admin, scopes: ['jobs:read'] };

const definition = (summary: string): ProfileVersionDefinition => ({
  prompts: { summary },
  parameters: { summary_sentences: 3 },
  output_schema: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' } } },
  template: '# Summary\n{{summary}}\n',
});

describe('the profiles service over rpc:profiles', () => {
  let database: TestDatabase;
  let profiles: ProfilesTestApp;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('profiles');
  const start = () => startProfilesTestApp({ databaseUrl: database.url, redisUrl, keyPrefix });
  const create = (key: string, actor: Actor = admin) =>
    profiles.call<ProfileView>(
      ProfilesRpc.create,
      { key, name: `Profile ${key}`, version: definition('v1 prompt') },
      actor,
    );
  const publish = (key: string, extra: Record<string, unknown> = {}) =>
    profiles.call<ProfileVersionView>(
      ProfilesRpc.publishVersion,
      { key, ...definition('a later prompt'), ...extra },
      admin,
    );

  beforeAll(async () => {
    database = await createTestDatabase('profiles');
    profiles = await start();
  });

  afterAll(async () => {
    await profiles?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('migrates to exactly the schema the entities describe', () => {
    expect(profiles.driftAfterMigrations).toBe('');
  });

  describe('built-in profiles', () => {
    it('are published once, even after a second start: version 1 as it was, version 2 the default', async () => {
      await profiles.close();
      profiles = await start();
      const listed = await profiles.call<Page<ProfileSummary>>(ProfilesRpc.list, {}, user);
      const builtIns = listed.items.filter((item) => ['meeting', 'talk', 'tasks'].includes(item.key));
      expect(builtIns.map((item) => [item.key, item.default_version])).toEqual([
        ['meeting', 2],
        ['talk', 2],
        ['tasks', 2],
      ]);
      const meeting = await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'meeting' }, user);
      expect(meeting.versions.map((version) => [version.version, version.status])).toEqual([
        [1, 'active'],
        [2, 'active'],
      ]);
      const first = await profiles.call<ProfileVersionView>(
        ProfilesRpc.getVersion,
        { key: 'meeting', version: 1 },
        user,
      );
      expect(first.template).toBe(meetingProfile.versions[0]?.template);
      const [{ count }] = (await profiles.app
        .get(EntityManager)
        .fork()
        .getConnection()
        .execute(
          `select count(*)::int as count from profiles.events where stream_id = 'profile-meeting'`,
        )) as [{ count: number }];
      // Created, version 1 and its default, version 2 and its default: nothing more on the second start.
      expect(count).toBe(5);
    });

    it("publish nothing more at a later start, leaving an admin's own default alone", async () => {
      const own = await profiles.call<ProfileVersionView>(
        ProfilesRpc.publishVersion,
        { key: 'talk', ...talkProfile.definition, template: '# My talk results\n' },
        admin,
      );
      await profiles.call(ProfilesRpc.setDefault, { key: 'talk', version: own.version }, admin);
      await profiles.close();
      profiles = await start();

      const talk = await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'talk' }, user);
      expect(talk.default_version).toBe(own.version);
      expect(talk.versions).toHaveLength(3);
    });

    it('gain a new built-in version at a later start: published once, even by racing instances, and made the default', async () => {
      const seeder = profiles.app.get(BuiltInProfilesSeeder);
      const v1 = definition('built-in v1');
      const v2 = { ...definition('built-in v1'), template: '# Summary at {{at}}\n{{summary}}\n' };
      const legacy = { key: 'legacy', name: 'Legacy', description: 'A built-in of an older release.' };
      await seeder.publish([builtInProfile(legacy, [v1])]);
      expect(
        (await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'legacy' }, user)).versions,
      ).toHaveLength(1);

      const upgraded = builtInProfile(legacy, [v1, v2]);
      await Promise.all([seeder.publish([upgraded]), seeder.publish([upgraded])]);
      await seeder.publish([upgraded]);

      const view = await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'legacy' }, user);
      expect(view.versions.map((version) => [version.version, version.status])).toEqual([
        [1, 'active'],
        [2, 'active'],
      ]);
      expect(view.default).toMatchObject({ version: 2, template: v2.template });
      const first = await profiles.call<ProfileVersionView>(
        ProfilesRpc.getVersion,
        { key: 'legacy', version: 1 },
        user,
      );
      expect(first).toMatchObject(v1);
    });

    it("resolve the meeting profile's default version with its output schema and template", async () => {
      const resolved = await profiles.call<ResolvedProfile>(ProfilesRpc.resolve, { key: 'meeting' }, user);
      expect(resolved).toMatchObject({ key: 'meeting', version: 2 });
      expect(Object.keys(resolved.output_schema['properties'] as object)).toContain('speaker_statistics');
      expect(resolved.template).toBe(meetingProfile.definition.template);
      expect(resolved.template).toContain('{{at}}');
    });
  });

  describe('writing', () => {
    it('creates a profile with version 1 active and the default, readable by any signed-in user', async () => {
      await create('standup');
      const view = await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'standup' }, user);
      expect(view).toMatchObject({
        key: 'standup',
        name: 'Profile standup',
        default_version: 1,
        versions: [{ version: 1, status: 'active' }],
        default: { version: 1, status: 'active', is_default: true, ...definition('v1 prompt') },
      });
    });

    it('refuses a second profile with the same key', async () => {
      await create('retro');
      await expect(create('retro')).rejects.toMatchObject({ code: ErrorCodes.conflict });
    });

    it('publishes new versions and never changes a published one', async () => {
      await create('planning');
      const second = await publish('planning');
      expect(second).toMatchObject({ version: 2, status: 'active', is_default: false });
      const first = await profiles.call<ProfileVersionView>(
        ProfilesRpc.getVersion,
        { key: 'planning', version: 1 },
        user,
      );
      expect(first).toMatchObject({ version: 1, is_default: true, ...definition('v1 prompt') });
      expect(
        await profiles
          .call<ProfileView>(ProfilesRpc.get, { key: 'planning' }, user)
          .then((v) => v.default_version),
      ).toBe(1);
    });

    it("refuses an output schema that is not a valid JSON Schema, with ajv's message", async () => {
      await create('broken');
      await expect(
        publish('broken', { output_schema: { type: 'object', properties: { a: { type: 'text' } } } }),
      ).rejects.toMatchObject({
        code: ErrorCodes.validationFailed,
        message: expect.stringMatching(/^output_schema is not a valid JSON Schema: .*type/),
      });
      const view = await profiles.call<ProfileView>(ProfilesRpc.get, { key: 'broken' }, user);
      expect(view.versions).toHaveLength(1);
    });

    it('refuses a template that does not parse', async () => {
      await expect(
        profiles.call(
          ProfilesRpc.create,
          { key: 'bad-template', name: 'x', version: { ...definition('x'), template: '{{#open}}' } },
          admin,
        ),
      ).rejects.toMatchObject({
        code: ErrorCodes.validationFailed,
        message: expect.stringMatching(/template/),
      });
    });

    it('refuses a User, and an admin token without profiles:admin, on every write', async () => {
      await create('guarded');
      for (const actor of [user, adminWithoutScope]) {
        const writes: [string, unknown][] = [
          [ProfilesRpc.create, { key: 'mine', name: 'x', version: definition('x') }],
          [ProfilesRpc.publishVersion, { key: 'guarded', ...definition('x') }],
          [ProfilesRpc.setDefault, { key: 'guarded', version: 1 }],
          [ProfilesRpc.deprecateVersion, { key: 'guarded', version: 1 }],
        ];
        for (const [pattern, data] of writes) {
          await expect(profiles.call(pattern, data, actor)).rejects.toMatchObject({
            code: ErrorCodes.forbidden,
          });
        }
      }
    });

    it('refuses reads without a signed-in actor', async () => {
      await expect(profiles.call(ProfilesRpc.list, {})).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });
  });

  describe('default version and deprecation', () => {
    it('makes a draft the default, activating it', async () => {
      await create('drafty');
      await publish('drafty', { status: 'draft' });
      const view = await profiles.call<ProfileView>(
        ProfilesRpc.setDefault,
        { key: 'drafty', version: 2 },
        admin,
      );
      expect(view).toMatchObject({ default_version: 2, default: { version: 2, status: 'active' } });
    });

    it('refuses to deprecate the default while no other version is active, naming the rule', async () => {
      await create('lonely');
      await publish('lonely', { status: 'draft' });
      await expect(
        profiles.call(ProfilesRpc.deprecateVersion, { key: 'lonely', version: 1 }, admin),
      ).rejects.toMatchObject({
        code: ErrorCodes.conflict,
        message: expect.stringMatching(/default and no other version is active/),
      });
    });

    it('deprecating the default moves it to the newest other active version', async () => {
      await create('moving');
      await publish('moving');
      const view = await profiles.call<ProfileView>(
        ProfilesRpc.deprecateVersion,
        { key: 'moving', version: 1 },
        admin,
      );
      expect(view.default_version).toBe(2);
      expect(view.versions.map((v) => [v.version, v.status])).toEqual([
        [1, 'deprecated'],
        [2, 'active'],
      ]);
    });

    it('refuses a deprecated version as the default, and for new jobs', async () => {
      await create('old');
      await publish('old');
      await profiles.call(ProfilesRpc.deprecateVersion, { key: 'old', version: 2 }, admin);
      await expect(
        profiles.call(ProfilesRpc.setDefault, { key: 'old', version: 2 }, admin),
      ).rejects.toMatchObject({
        code: ErrorCodes.conflict,
      });
      await expect(
        profiles.call(ProfilesRpc.resolve, { key: 'old', version: 2 }, user),
      ).rejects.toMatchObject({
        code: ErrorCodes.conflict,
      });
    });

    it('resolves a pinned version; a draft only for profile admins', async () => {
      await create('pinned');
      await publish('pinned', { status: 'draft' });
      await expect(
        profiles.call<ResolvedProfile>(ProfilesRpc.resolve, { key: 'pinned', version: 1 }, user),
      ).resolves.toMatchObject({ key: 'pinned', version: 1, prompts: { summary: 'v1 prompt' } });
      await expect(
        profiles.call(ProfilesRpc.resolve, { key: 'pinned', version: 2 }, user),
      ).rejects.toMatchObject({
        code: ErrorCodes.notFound,
      });
      await expect(
        profiles.call<ResolvedProfile>(ProfilesRpc.resolve, { key: 'pinned', version: 2 }, admin),
      ).resolves.toMatchObject({ version: 2 });
    });
  });

  describe('reading', () => {
    it('lists profiles by key, page by page through the cursor', async () => {
      const first = await profiles.call<Page<ProfileSummary>>(ProfilesRpc.list, { limit: 2 }, user);
      expect(first.items).toHaveLength(2);
      const keys = first.items.map((item) => item.key);
      let cursor = first.next_cursor;
      while (cursor) {
        const page = await profiles.call<Page<ProfileSummary>>(ProfilesRpc.list, { limit: 2, cursor }, user);
        keys.push(...page.items.map((item) => item.key));
        cursor = page.next_cursor;
      }
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(expect.arrayContaining(['meeting', 'standup', 'talk', 'tasks']));
    });

    it('answers NOT_FOUND for an unknown profile or version', async () => {
      await expect(profiles.call(ProfilesRpc.get, { key: 'nope' }, user)).rejects.toMatchObject({
        code: ErrorCodes.notFound,
      });
      await expect(
        profiles.call(ProfilesRpc.getVersion, { key: 'meeting', version: 99 }, user),
      ).rejects.toMatchObject({ code: ErrorCodes.notFound });
    });

    it('publishes its events on events:profiles', async () => {
      const { id } = await create('announced');
      const redis = new Redis(redisUrl);
      try {
        const deadline = Date.now() + 20_000;
        let published: string[] = [];
        while (Date.now() < deadline) {
          const entries = await redis.xrange(`${keyPrefix}events:profiles`, '-', '+');
          published = entries.map(([, fields]) => fields.join(' ')).filter((text) => text.includes(id));
          if (published.length >= 3) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(
          ['ProfileCreated', 'ProfileVersionPublished', 'DefaultVersionSet'].map((type) =>
            published.some((text) => text.includes(type)),
          ),
        ).toEqual([true, true, true]);
      } finally {
        redis.disconnect();
      }
    });
  });
});
