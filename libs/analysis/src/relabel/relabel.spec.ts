import { parseTranscript } from '../parsers/parse-transcript';
import { relabelResults, relabelTranscript, renamedLabel } from './relabel';

const transcript = parseTranscript(
  [
    'Speaker 0: Welcome to the review.',
    'Speaker 1: Thanks. I will send the numbers by Friday.',
    'Speaker 2: Should we ship it?',
    'Speaker 0: Yes, we decided to ship it.',
    'Speaker 1: Great.',
  ].join('\n'),
  { format: 'plain' },
);

describe('relabelling speakers', () => {
  it('renames labels and leaves the others', () => {
    expect(renamedLabel('Speaker 0', { 'Speaker 0': 'Alice' })).toBe('Alice');
    expect(renamedLabel('Speaker 9', { 'Speaker 0': 'Alice' })).toBe('Speaker 9');
    expect(renamedLabel('constructor', {})).toBe('constructor');
  });

  it('merges two labels renamed to one name into the first speaker, texts untouched', () => {
    const relabelled = relabelTranscript(transcript, {
      'Speaker 0': 'Alice',
      'Speaker 2': 'Alice',
      'Speaker 1': 'Bob',
    });
    expect(relabelled.speakers.map((speaker) => speaker.label)).toEqual(['Alice', 'Bob']);
    const alice = relabelled.speakers[0]?.id;
    expect(relabelled.segments.map((segment) => [segment.speakerLabel, segment.speakerId === alice])).toEqual(
      [
        ['Alice', true],
        ['Bob', false],
        ['Alice', true],
        ['Alice', true],
        ['Bob', false],
      ],
    );
    expect(relabelled.segments.map((segment) => segment.text)).toEqual(
      transcript.segments.map((segment) => segment.text),
    );
  });

  it('renames speakers and owners in results and recomputes merged statistics', () => {
    const rename = { 'Speaker 0': 'Alice', 'Speaker 2': 'Alice', 'Speaker 1': 'Bob' };
    const results = {
      decisions: [
        {
          text: 'we decided to ship it.',
          evidence: [
            {
              segment_id: 's4',
              start_ms: 0,
              end_ms: 1,
              speaker: 'Speaker 0',
              quote: 'we decided to ship it.',
            },
          ],
        },
      ],
      tasks: [{ text: 'send the numbers', owner: { name: 'Speaker 1', resolved: true }, evidence: [] }],
      speaker_statistics: [
        {
          speaker: 'Speaker 0',
          talk_time_ms: 1,
          share: 0.4,
          turns: 2,
          words: 10,
          words_per_minute: 1,
          questions: 0,
        },
        {
          speaker: 'Speaker 1',
          talk_time_ms: 1,
          share: 0.4,
          turns: 2,
          words: 10,
          words_per_minute: 1,
          questions: 0,
        },
        {
          speaker: 'Speaker 2',
          talk_time_ms: 1,
          share: 0.2,
          turns: 1,
          words: 4,
          words_per_minute: 1,
          questions: 1,
        },
      ],
    };
    const relabelled = relabelTranscript(transcript, rename);
    const after = relabelResults(results, relabelled, rename) as typeof results;
    expect(after.decisions[0]?.evidence[0]?.speaker).toBe('Alice');
    expect(after.decisions[0]?.evidence[0]?.quote).toBe('we decided to ship it.');
    expect(after.tasks[0]?.owner).toEqual({ name: 'Bob', resolved: true });
    const stats = after.speaker_statistics;
    expect(stats.map((row) => row.speaker).sort()).toEqual(['Alice', 'Bob']);
    const aliceRow = stats.find((row) => row.speaker === 'Alice');
    // Speaker 0, Speaker 2, Speaker 0 in a row: one turn after the merge, then Speaker 0 opened it.
    expect(aliceRow).toMatchObject({ turns: 2, questions: 1 });
    expect(Object.keys(aliceRow ?? {}).sort()).toEqual(
      Object.keys(results.speaker_statistics[0] ?? {}).sort(),
    );
    expect(stats.reduce((sum, row) => sum + row.share, 0)).toBeCloseTo(1, 3);
  });

  it('changes nothing when applied twice (a redelivered work message)', () => {
    const rename = { 'Speaker 0': 'Alice', 'Speaker 2': 'Alice' };
    const once = relabelTranscript(transcript, rename);
    expect(relabelTranscript(once, rename)).toEqual(once);
  });
});
