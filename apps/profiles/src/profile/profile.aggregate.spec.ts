import type { ProfileVersionDefinition } from '@scriptripper/contracts';
import { DomainError } from '@scriptripper/contracts';
import {
  decide,
  definitionFingerprint,
  evolve,
  initialProfileState,
  type ProfileCommand,
} from './profile.aggregate';
import type { ProfileEvent } from './profile.events';

const definition: ProfileVersionDefinition = {
  prompts: { summary: 'Summarise.' },
  parameters: { max_items: 5 },
  output_schema: { type: 'object' },
  template: '# {{title}}',
};
const given = (...events: ProfileEvent[]) => events.reduce(evolve, initialProfileState);
const when = (events: ProfileEvent[], command: ProfileCommand) => decide(given(...events), command);
const refusal = (events: ProfileEvent[], command: ProfileCommand) => {
  try {
    when(events, command);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the command was not refused');
};

const create: ProfileCommand = {
  type: 'CreateProfile',
  profileId: 'p1',
  key: 'meeting',
  name: 'Meeting',
  description: null,
  definition,
};
const created = decide(initialProfileState, create);
const published = (version: number, status: 'draft' | 'active' = 'active'): ProfileEvent => ({
  type: 'ProfileVersionPublished',
  data: { profile_id: 'p1', version, status, ...definition },
});

describe('profile aggregate', () => {
  it('creates a profile with version 1 active and the default', () => {
    expect(created.map((e) => e.type)).toEqual([
      'ProfileCreated',
      'ProfileVersionPublished',
      'DefaultVersionSet',
    ]);
    const state = given(...created);
    expect(state).toEqual({
      profileId: 'p1',
      defaultVersion: 1,
      versions: new Map([[1, 'active']]),
      fingerprints: new Map([[1, definitionFingerprint(definition)]]),
    });
  });

  it('refuses a second profile with the same key', () => {
    expect(refusal(created, create).code).toBe('CONFLICT');
  });

  it('refuses commands on a profile that does not exist', () => {
    expect(refusal([], { type: 'SetDefaultVersion', version: 1 }).code).toBe('NOT_FOUND');
  });

  it('publishes versions with the next number, leaving the default alone', () => {
    const events = when([...created, published(2)], { type: 'PublishVersion', definition, status: 'draft' });
    expect(events).toEqual([published(3, 'draft')]);
    expect(given(...created, published(2), ...events).defaultVersion).toBe(1);
  });

  it('makes a version the default, and a draft made default becomes active', () => {
    const events = when([...created, published(2, 'draft')], { type: 'SetDefaultVersion', version: 2 });
    expect(events).toEqual([
      { type: 'DefaultVersionSet', data: { profile_id: 'p1', version: 2, previous_version: 1 } },
    ]);
    expect(given(...created, published(2, 'draft'), ...events).versions.get(2)).toBe('active');
  });

  it('changes nothing when the version is the default already', () => {
    expect(when(created, { type: 'SetDefaultVersion', version: 1 })).toEqual([]);
  });

  it('refuses a deprecated or unknown version as the default', () => {
    const history = [
      ...created,
      published(2),
      { type: 'ProfileVersionDeprecated', data: { profile_id: 'p1', version: 2 } } as const,
    ];
    expect(refusal(history, { type: 'SetDefaultVersion', version: 2 }).code).toBe('CONFLICT');
    expect(refusal(history, { type: 'SetDefaultVersion', version: 9 }).code).toBe('NOT_FOUND');
  });

  it('deprecates a version that is not the default', () => {
    expect(when([...created, published(2)], { type: 'DeprecateVersion', version: 2 })).toEqual([
      { type: 'ProfileVersionDeprecated', data: { profile_id: 'p1', version: 2 } },
    ]);
  });

  it('refuses to deprecate the default when no other version is active', () => {
    const drafted = [...created, published(2, 'draft')];
    expect(refusal(drafted, { type: 'DeprecateVersion', version: 1 })).toEqual({
      code: 'CONFLICT',
      message: expect.stringMatching(/default and no other version is active/),
    });
  });

  it('deprecating the default moves the default to the newest other active version', () => {
    const history = [...created, published(2), published(3), published(4, 'draft')];
    const events = when(history, { type: 'DeprecateVersion', version: 1 });
    expect(events).toEqual([
      { type: 'DefaultVersionSet', data: { profile_id: 'p1', version: 3, previous_version: 1 } },
      { type: 'ProfileVersionDeprecated', data: { profile_id: 'p1', version: 1 } },
    ]);
    const state = given(...history, ...events);
    expect(state.defaultVersion).toBe(3);
    expect(state.versions.get(1)).toBe('deprecated');
  });

  it('changes nothing when the version is deprecated already', () => {
    const history = [
      ...created,
      published(2),
      { type: 'ProfileVersionDeprecated', data: { profile_id: 'p1', version: 2 } } as const,
    ];
    expect(when(history, { type: 'DeprecateVersion', version: 2 })).toEqual([]);
  });

  describe('a built-in version', () => {
    const newer: ProfileVersionDefinition = { ...definition, template: '# {{title}} at {{at}}' };
    const builtIn: ProfileCommand = {
      type: 'PublishBuiltInVersion',
      definition: newer,
      earlier: [definition],
    };
    const publishedAs = (version: number, content: ProfileVersionDefinition): ProfileEvent => ({
      type: 'ProfileVersionPublished',
      data: { profile_id: 'p1', version, status: 'active', ...content },
    });

    it('is published as the next version and made the default in place of an earlier built-in one', () => {
      expect(when(created, builtIn)).toEqual([
        publishedAs(2, newer),
        { type: 'DefaultVersionSet', data: { profile_id: 'p1', version: 2, previous_version: 1 } },
      ]);
    });

    it('is published once: the same content, whatever its key order, is not published again', () => {
      const { prompts, parameters, output_schema, template } = newer;
      const reordered = { template, output_schema, parameters, prompts };
      expect(when([...created, publishedAs(2, newer)], builtIn)).toEqual([]);
      expect(when([...created, publishedAs(2, reordered)], builtIn)).toEqual([]);
      expect(definitionFingerprint(reordered)).toBe(definitionFingerprint(newer));
    });

    it("leaves an admin's own default alone", () => {
      const own = { ...definition, template: '# mine' };
      const history = [
        ...created,
        publishedAs(2, own),
        { type: 'DefaultVersionSet', data: { profile_id: 'p1', version: 2, previous_version: 1 } } as const,
      ];
      expect(when(history, builtIn)).toEqual([publishedAs(3, newer)]);
    });
  });
});
