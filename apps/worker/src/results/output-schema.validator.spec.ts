import { MEETING_PROFILE } from '../test-support/meeting-profile.fixture';
import { OutputSchemaValidator } from './output-schema.validator';

const evidence = [{ segment_id: 's1', start_ms: 0, end_ms: 1000, speaker: 'Ana', quote: 'Ship it.' }];
const validOutput = {
  summary: [{ text: 'Ship it.', evidence }],
  decisions: [],
  tasks: [
    { text: 'Ship it', owner: { name: null, resolved: false }, due: { phrase: null, date: null }, evidence },
  ],
  highlights: [],
  quotables: [],
  topics: [],
  speaker_statistics: [],
  profile: { key: 'meeting', version: 1 },
};
const meetingV1 = { key: 'meeting', version: 1, schema: MEETING_PROFILE.output_schema };

describe('OutputSchemaValidator', () => {
  const validator = new OutputSchemaValidator();

  it('accepts an output the version schema describes, with metadata beside the sections', () => {
    expect(validator.problemsOf(meetingV1, validOutput)).toBeNull();
  });

  it('names what is wrong: a missing section and an item without evidence', () => {
    const { decisions: _dropped, ...withoutDecisions } = validOutput;
    expect(validator.problemsOf(meetingV1, withoutDecisions)).toContain(
      "must have required property 'decisions'",
    );
    expect(
      validator.problemsOf(meetingV1, { ...validOutput, summary: [{ text: 'x', evidence: [] }] }),
    ).toContain('output/summary/0/evidence must NOT have fewer than 1 items');
  });

  it('checks date formats', () => {
    const task = { ...validOutput.tasks[0], due: { phrase: 'Friday', date: 'Friday' } };
    expect(validator.problemsOf(meetingV1, { ...validOutput, tasks: [task] })).toContain(
      'must match format "date"',
    );
  });

  it('keeps versions apart, even when their schemas share an $id', () => {
    const strict = {
      key: 'custom',
      version: 1,
      schema: { $id: 'https://schemas.example.test/custom', type: 'object', required: ['a'] },
    };
    const loose = {
      key: 'custom',
      version: 2,
      schema: { $id: 'https://schemas.example.test/custom', type: 'object' },
    };
    expect(validator.problemsOf(strict, {})).not.toBeNull();
    expect(validator.problemsOf(loose, {})).toBeNull();
  });
});
