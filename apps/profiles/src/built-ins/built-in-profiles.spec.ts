import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { render } from 'mustache';
import { checkedDefinition } from '../profile/profile-definition';
import { BUILT_IN_PROFILES } from '@scriptripper/contracts';
import { meetingProfile } from '@scriptripper/contracts';

const evidence = [
  { segment_id: 's3', start_ms: 12_000, end_ms: 15_500, speaker: 'Ana', quote: 'I will send it Friday.' },
];
const meetingOutput = {
  summary: [{ text: 'The team agreed to ship.', evidence }],
  decisions: [{ text: 'Ship on Monday.', evidence }],
  tasks: [
    {
      text: 'Send the report',
      owner: { name: 'Ana', resolved: true },
      due: { phrase: 'Friday', date: '2026-12-04' },
      evidence,
    },
  ],
  highlights: [],
  quotables: [],
  topics: [{ text: 'release', evidence }],
  speaker_statistics: [
    {
      speaker: 'Ana',
      talk_time_ms: 3500,
      share: 1,
      turns: 1,
      words: 5,
      words_per_minute: 85.7,
      questions: 0,
    },
  ],
};
const validatorOf = (schema: Record<string, unknown>) => {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
};

describe('the built-in profiles', () => {
  it.each(BUILT_IN_PROFILES.map((profile) => [profile.key, profile]))(
    '%s passes, in every version, the checks every published version passes',
    (_key, profile) => {
      for (const version of profile.versions) expect(checkedDefinition(version)).toEqual(version);
    },
  );

  it('are meeting, talk and tasks', () => {
    expect(BUILT_IN_PROFILES.map((profile) => profile.key)).toEqual(['meeting', 'talk', 'tasks']);
  });

  it('accept a meeting output whose items carry owner, due and evidence', () => {
    const validate = validatorOf(meetingProfile.definition.output_schema);
    expect({ valid: validate(meetingOutput), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null,
    });
  });

  it('refuse an item without evidence and a task without an owner', () => {
    const validate = validatorOf(meetingProfile.definition.output_schema);
    const [task] = meetingOutput.tasks;
    expect(validate({ ...meetingOutput, decisions: [{ text: 'Ship.', evidence: [] }] })).toBe(false);
    expect(validate({ ...meetingOutput, tasks: [{ ...task, owner: undefined }] })).toBe(false);
  });

  it('render the meeting template from an output: version 1 in milliseconds', () => {
    const markdown = render(
      meetingProfile.versions[0]?.template ?? '',
      meetingOutput,
      {},
      { escape: String },
    );
    expect(markdown).toContain(
      '- [ ] Send the report — owner: Ana, due: Friday (2026-12-04) _(Ana, 12000 ms: "I will send it Friday.")_',
    );
    expect(markdown).toContain('| Ana | 3500 | 1 | 1 | 5 | 85.7 | 0 |');
  });

  it('render the meeting template from an output: version 2 with the readable times the worker adds', () => {
    const withTimes = JSON.parse(
      JSON.stringify(meetingOutput).replaceAll('"start_ms":12000', '"start_ms":12000,"at":"00:12"'),
    ) as typeof meetingOutput;
    withTimes.speaker_statistics = withTimes.speaker_statistics.map((row) => ({
      ...row,
      talk_time: '00:03',
    }));
    const markdown = render(meetingProfile.definition.template, withTimes, {}, { escape: String });
    expect(markdown).toContain(
      '- [ ] Send the report — owner: Ana, due: Friday (2026-12-04) _(Ana, 00:12: "I will send it Friday.")_',
    );
    expect(markdown).toContain('| Ana | 00:03 | 1 | 1 | 5 | 85.7 | 0 |');
    expect(markdown).not.toContain('most relevant');
    const cut = render(
      meetingProfile.definition.template,
      { ...withTimes, truncated: { tasks: { kept: 1, found: 70 } } },
      {},
      { escape: String },
    );
    // A paragraph of its own after the list, not a continuation of the last task.
    expect(cut).toContain('"I will send it Friday.")_\n\n_The 1 most relevant of 70 tasks._\n');
  });
});
