import { parseTranscript } from '../parsers/parse-transcript';
import { bestPassages } from '../retrieval/bm25';
import { analyze } from './analyze';
import { fluentText, isBackchannel } from './spoken';

/** An AMI-like exchange as segments JSON: turn i at i x 10 s, role labels as speakers. */
function meetingOf(turns: [string, string][]) {
  return parseTranscript(
    JSON.stringify({
      segments: turns.map(([speaker, text], index) => ({
        start: index * 10,
        end: index * 10 + 10,
        speaker,
        text,
      })),
    }),
  );
}

const PM = 'Project Manager';
const ID = 'Industrial Designer';
const UI = 'User Interface';
const ME = 'Marketing';

/** A product-design meeting: in-meeting instructions, a question, a decision across turns, a recap, commitments. */
const designMeeting = meetingOf([
  [PM, 'Okay , um , let me just show you the agenda . Go to the next slide .'],
  [ME, 'Mm-hmm .'],
  [ME, 'Um so the the users want a remote control that is is easy to use and uh looks fancy .'],
  [ID, 'What about the battery , should it be a kinetic battery ?'],
  [UI, 'The kinetic battery is expensive , a standard battery is cheaper for the remote control .'],
  [ID, 'So we will just use a standard battery then ?'],
  [PM, 'Yeah , okay .'],
  [ME, 'It would be nice if the case glowed in the dark .'],
  [UI, 'The rubber case feels soft and the rubber case is easy to grip .'],
  [ID, 'Yeah , the rubber case is good for young people , rubber is trendy .'],
  [PM, 'Okay so we decided on a rubber case and a standard battery .'],
  [ME, 'Mm-hmm .'],
  [
    PM,
    'So for the next meeting , as the industrial designer , you are going to work on the components design .',
  ],
  [ID, 'Okay .'],
  [PM, "And I'll send you the minutes of this meeting by e-mail ."],
]);

describe('a spoken meeting', () => {
  const result = analyze(designMeeting, { profile: 'meeting' });

  it('lists commitments and assignments for after the meeting, with owners from the wording', () => {
    expect(result.tasks?.map((task) => [task.owner.name, task.evidence[0]?.segment_id])).toEqual([
      // "As the industrial designer, you are going to ...": the role named.
      [ID, 's13'],
      // "I'll send you the minutes": the speaker.
      [PM, 's15'],
    ]);
  });

  it('leaves procedural instructions, questions and wishes out of the tasks', () => {
    const quoted = result.tasks?.flatMap((task) => task.evidence.map((item) => item.quote)).join(' ') ?? '';

    expect(quoted).not.toContain('next slide');
    expect(quoted).not.toContain('show you the agenda');
    expect(quoted).not.toContain('battery');
    expect(quoted).not.toContain('would be nice');
  });

  it('finds a recap decision and a proposal accepted in the next turn, not an open question', () => {
    const decided = result.decisions?.map((item) => item.evidence[0]?.segment_id);

    // "So we will just use a standard battery then?" "Yeah, okay."
    expect(decided).toContain('s6');
    // "Okay so we decided on a rubber case ..."
    expect(decided).toContain('s11');
    // "What about the battery, should it be a kinetic battery?" is a question.
    expect(decided).not.toContain('s4');
  });

  it('names topics with noun phrases of the meeting, never fillers or numbers', () => {
    const labels = result.topics?.map((topic) => topic.text) ?? [];

    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) {
      expect(label).toMatch(/^[a-z][a-z -]+$/i);
      expect(['um', 'uh', 'mm-hmm', 'yeah', 'okay', 'one', 'two', 'something', 'thing']).not.toContain(label);
    }
    expect(['rubber case', 'standard battery', 'kinetic battery', 'remote control']).toContain(labels[0]);
  });

  it('writes the summary fluently while every evidence quote stays verbatim', () => {
    const texts = result.summary?.map((item) => item.text).join(' ') ?? '';

    expect(texts).not.toMatch(/\b(?:um|uh)\b|\bthe the\b|\bis is\b/i);
    for (const item of [...(result.summary ?? []), ...(result.tasks ?? []), ...(result.decisions ?? [])]) {
      for (const evidence of item.evidence) {
        const segment = designMeeting.segments.find((each) => each.id === evidence.segment_id);
        expect(segment?.text).toContain(evidence.quote);
      }
    }
  });
});

describe('fluent text', () => {
  it('drops fillers, stutters, repeated words and spoken openers, and joins letter spellings', () => {
    expect(fluentText('Um so the the main function of the remote is is just uh sending messages .')).toBe(
      'The main function of the remote is just sending messages.',
    );
    expect(fluentText('we um we only use the cou could use the V_C_R_ , okay ?')).toBe(
      'We only use the could use the VCR, okay?',
    );
    expect(fluentText("it's it's in the in the box")).toBe("It's in the box.");
  });

  it('tells a backchannel from a turn with content', () => {
    expect(isBackchannel('Mm-hmm . Yeah , okay .')).toBe(true);
    expect(isBackchannel('Yeah , the rubber case .')).toBe(false);
  });
});

describe('custom-prompt passages', () => {
  const meeting = meetingOf([
    [PM, 'The budget for the remote control is twelve euros .'],
    [ME, 'Mm-hmm .'],
    [ME, 'Our survey says young users find the buttons too small .'],
    [UI, 'The buttons could light up in the dark .'],
    [ID, 'The buttons are made of rubber in my design .'],
    [PM, 'Okay .'],
    [ME, 'Big buttons sell better , the survey says .'],
  ]);

  it("searches the named speaker's turns first", () => {
    const [best] = bestPassages(meeting, 'What did Marketing think about the buttons?');

    expect(best?.segments.some((segment) => segment.speakerLabel === ME)).toBe(true);
    expect(best?.matchedTerms).toEqual(['button']);
  });

  it('quotes a passage of neighbouring turns, each verbatim', () => {
    const [best] = bestPassages(meeting, 'young users');

    expect(best?.segments.length).toBeGreaterThan(1);
    for (const segment of best?.segments ?? []) expect(meeting.segments).toContainEqual(segment);
  });
});
