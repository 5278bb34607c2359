import { createHash } from 'node:crypto';
import { BUILT_IN_PROFILES } from './built-in-profiles';

/** The version 1 definitions as first published (sha256 of their JSON): a published version never changes. */
const PUBLISHED_V1: Record<string, string> = {
  meeting: '60ae8e28771777960bb88be93f03b5fe45bd9462f288b78c702be7be78cfce83',
  talk: '094b4face6d9319ba3c51b10e8b46d6c4ab4c9dd9a25c067a468f50890bd6c51',
  tasks: '19c881c4cd60d7ce7107858c8751d3c84a424e11184c4a4008cb3d17203a7042',
};

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('the built-in profiles', () => {
  it.each(BUILT_IN_PROFILES.map((profile) => [profile.key, profile] as const))(
    '%s keeps version 1 exactly as published, and its default is its newest version',
    (key, profile) => {
      expect(sha256(profile.versions[0])).toBe(PUBLISHED_V1[key]);
      expect(profile.definition).toBe(profile.versions[profile.versions.length - 1]);
      expect(profile.versions).toHaveLength(2);
    },
  );

  it.each(BUILT_IN_PROFILES.map((profile) => [profile.key, profile] as const))(
    '%s version 2 shows evidence times as mm:ss, not milliseconds',
    (_key, profile) => {
      expect(profile.definition.template).toContain('{{at}}');
      expect(profile.definition.template).not.toContain('start_ms');
      expect(profile.definition.template).not.toContain(' ms');
    },
  );

  it('meeting and tasks share one decisions and tasks schema, prompt and template section', () => {
    const [meeting, tasks] = ['meeting', 'tasks'].map((key) =>
      BUILT_IN_PROFILES.find((profile) => profile.key === key),
    );
    const sections = (template = '') => template.slice(template.indexOf('## Decisions')).split('\n## ')[0];
    for (const pick of [(p: typeof meeting) => p?.definition, (p: typeof meeting) => p?.versions[0]]) {
      const [ofMeeting, ofTasks] = [pick(meeting), pick(tasks)];
      const schema = (definition: typeof ofMeeting) =>
        (definition?.output_schema['properties'] as Record<string, unknown> | undefined) ?? {};
      expect(schema(ofMeeting)['tasks']).toEqual(schema(ofTasks)['tasks']);
      expect(schema(ofMeeting)['decisions']).toEqual(schema(ofTasks)['decisions']);
      expect(ofMeeting?.prompts['tasks']).toBe(ofTasks?.prompts['tasks']);
      expect(ofMeeting?.template.slice(ofMeeting.template.indexOf('## Decisions'))).toContain(
        ofTasks?.template.slice(ofTasks.template.indexOf('## Decisions')).trimEnd(),
      );
      expect(sections(ofMeeting?.template)).toBe(sections(ofTasks?.template));
    }
  });

  it('version 2 of meeting and tasks caps decisions and tasks and notes a cut list', () => {
    for (const key of ['meeting', 'tasks']) {
      const definition = BUILT_IN_PROFILES.find((profile) => profile.key === key)?.definition;
      expect(definition?.parameters).toMatchObject({ max_decisions: 50, max_tasks: 50 });
      expect(definition?.template).toContain('{{#truncated.tasks}}');
    }
  });
});
