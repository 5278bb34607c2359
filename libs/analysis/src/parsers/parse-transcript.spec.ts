import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transcript } from '../transcript';
import { TranscriptParseError } from '../transcript-parse.error';
import { detectFormat, parseTranscript } from './parse-transcript';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '../fixtures', name), 'utf8');
}

function summaryOf(transcript: Transcript) {
  return transcript.segments.map((s) => [s.id, s.startMs, s.endMs, s.speakerLabel, s.text]);
}

function parseErrorOf(run: () => unknown): TranscriptParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof TranscriptParseError) return error;
    throw error;
  }
  throw new Error('expected a TranscriptParseError');
}

describe('parseTranscript', () => {
  it('reads a WebVTT meeting with voice tags, optional cue ids, settings, NOTE and STYLE blocks', () => {
    const transcript = parseTranscript(fixture('meeting.vtt'));

    expect(transcript.format).toBe('webvtt');
    expect(transcript.segments).toHaveLength(12);
    expect(transcript.speakers).toEqual([
      { id: 'spk1', label: 'Ana Lima' },
      { id: 'spk2', label: 'Bob Chen' },
      { id: 'spk3', label: 'Carla Diaz' },
    ]);
    expect(summaryOf(transcript).slice(0, 4)).toEqual([
      [
        's1',
        1000,
        6500,
        'Ana Lima',
        "Good morning everyone. Let's review the launch plan for the mobile app.",
      ],
      [
        's2',
        7000,
        13000,
        'Bob Chen',
        'Thanks Ana. The beta feedback was mostly positive, but the onboarding flow confused new users.',
      ],
      [
        's3',
        13500,
        19000,
        'Bob Chen',
        'Crash reports dropped by forty percent after the last release & the support queue is shorter.',
      ],
      [
        's4',
        19500,
        25000,
        'Carla Diaz',
        'Should we delay the launch to fix onboarding? Maybe we could ship a simpler tutorial instead.',
      ],
    ]);
    expect(transcript.durationMs).toBe(76000);
    expect(transcript.flags).toEqual([]);
  });

  it('points every WebVTT segment back at its cue text in the source', () => {
    const source = fixture('meeting.vtt');
    const transcript = parseTranscript(source);

    for (const segment of transcript.segments) {
      const raw = source.slice(segment.sourceOffset?.start, segment.sourceOffset?.end);
      expect(raw.startsWith('<v ')).toBe(true);
      expect(raw).toContain(segment.text.split(' ').slice(-1)[0]);
    }
  });

  it('reads SRT with CRLF line ends, multi-line cues, `Name:` speakers and italics', () => {
    const source = fixture('review.srt');
    const transcript = parseTranscript(source, { filename: 'review.srt' });

    expect(transcript.format).toBe('srt');
    expect(summaryOf(transcript)).toEqual([
      ['s1', 500, 4000, 'Dana', 'Welcome to the quarterly review.'],
      ['s2', 4500, 9000, 'Eli', 'Revenue grew twelve percent, mostly from the enterprise plan.'],
      ['s3', 9500, 14000, 'Dana', 'We agreed to hire two support engineers next quarter.'],
      ['s4', 14500, 18000, 'Eli', 'I will send the hiring plan by Thursday.'],
      ['s5', 18500, 22000, 'Dana', 'How do we measure churn this year?'],
    ]);
    expect(
      source.slice(transcript.segments[3]?.sourceOffset?.start, transcript.segments[3]?.sourceOffset?.end),
    ).toBe('Eli: I will send the hiring plan by Thursday.');
  });

  it('reads Whisper JSON in seconds with its language and no speakers', () => {
    const transcript = parseTranscript(fixture('whisper.json'));

    expect(transcript.format).toBe('whisper-json');
    expect(transcript.language).toBe('en');
    expect(transcript.speakers).toEqual([{ id: 'unknown', label: 'Unknown speaker' }]);
    expect(summaryOf(transcript)[1]).toEqual([
      's2',
      3200,
      7900,
      'Unknown speaker',
      'Sleep is the cheapest medicine we have.',
    ]);
    expect(transcript.durationMs).toBe(30000);
  });

  it('reads AssemblyAI utterances in milliseconds with lettered speakers', () => {
    const transcript = parseTranscript(fixture('assemblyai.json'), { format: 'json' });

    expect(transcript.format).toBe('assemblyai-json');
    expect(transcript.language).toBe('en_us');
    expect(summaryOf(transcript).map(([id, start, end, speaker]) => [id, start, end, speaker])).toEqual([
      ['s1', 250, 5200, 'Speaker A'],
      ['s2', 5600, 11800, 'Speaker B'],
      ['s3', 12100, 15900, 'Speaker A'],
    ]);
  });

  it('reads Deepgram paragraphs, one segment per sentence with the paragraph speaker', () => {
    const transcript = parseTranscript(fixture('deepgram.json'));

    expect(transcript.format).toBe('deepgram-json');
    expect(transcript.language).toBe('en');
    expect(summaryOf(transcript)).toEqual([
      ['s1', 100, 2000, 'Speaker 0', 'Let us start with the budget.'],
      ['s2', 4200, 6500, 'Speaker 1', 'I will prepare the forecast by Monday.'],
      ['s3', 6600, 9000, 'Speaker 1', 'The marketing budget stays flat.'],
    ]);
  });

  it('reads Deepgram words, grouping runs of one speaker into a segment', () => {
    const source = fixture('deepgram-words.json');
    const transcript = parseTranscript(source);

    expect(summaryOf(transcript)).toEqual([
      ['s1', 0, 800, 'Speaker 0', 'Hello team.'],
      ['s2', 1000, 2000, 'Speaker 1', 'Thanks everyone.'],
    ]);
    const offset = transcript.segments[1]?.sourceOffset;
    expect(source.slice(offset?.start, offset?.end)).toMatch(/^Thanks.*everyone\.$/s);
  });

  it('reads our own segments JSON and points at each text value, escapes included', () => {
    const source = fixture('segments.json');
    const transcript = parseTranscript(source);

    expect(transcript.format).toBe('segments-json');
    expect(summaryOf(transcript)[1]).toEqual([
      's2',
      5000,
      9250,
      'Tom',
      'Great. We agreed to switch off the old database on "Friday".',
    ]);
    for (const segment of transcript.segments) {
      const raw = source.slice(segment.sourceOffset?.start, segment.sourceOffset?.end);
      expect(JSON.parse(`"${raw}"`)).toBe(segment.text);
    }
  });

  it('reads plain `Speaker: text` lines, continuing turns and synthesising times at 150 wpm', () => {
    const transcript = parseTranscript(fixture('standup.txt'));

    expect(transcript.format).toBe('plain');
    expect(transcript.flags).toEqual(['synthetic-timings']);
    expect(summaryOf(transcript)).toEqual([
      // 400 ms per word: 6, 9, 10, 7 and 7 words.
      ['s1', 0, 2400, 'Maria', 'Yesterday I finished the search filters.'],
      ['s2', 2400, 6000, 'Maria', "Today I'm pairing with Jon on the export bug."],
      ['s3', 6000, 10000, 'Jon', 'The export bug only happens with files over two gigabytes.'],
      ['s4', 10000, 12800, 'Jon', "I'll write a regression test by tomorrow."],
      ['s5', 12800, 15600, 'Maria', 'Should we tell support about the workaround?'],
    ]);
  });

  it('reads Otter exports: name and time headers, multi-line turns, a title skipped', () => {
    const transcript = parseTranscript(fixture('otter.txt'));

    expect(transcript.format).toBe('otter');
    expect(summaryOf(transcript)).toEqual([
      [
        's1',
        3000,
        15000,
        'Lena Park',
        'Thanks for joining. The new dashboard layout tested well with five customers.',
      ],
      [
        's2',
        15000,
        31000,
        'Omar Haddad',
        'Everyone liked the dark mode. The charts still load slowly on older laptops.',
      ],
      [
        's3',
        31000,
        45000,
        'Lena Park',
        'We decided to lazy-load the charts. Omar, can you profile the chart library next week?',
      ],
      ['s4', 45000, 46200, 'Omar Haddad', "I'll do it."],
    ]);
  });

  it('gives the same segments for the same source', () => {
    const source = fixture('meeting.vtt');

    expect(JSON.stringify(parseTranscript(source))).toBe(JSON.stringify(parseTranscript(source)));
  });

  it('strips a byte order mark without shifting offsets', () => {
    const source = '\uFEFFWEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHi there.\n';
    const segment = parseTranscript(source).segments[0];

    expect(segment?.text).toBe('Hi there.');
    expect(source.slice(segment?.sourceOffset?.start, segment?.sourceOffset?.end)).toBe('Hi there.');
  });
});

describe('detectFormat', () => {
  it.each([
    ['meeting.vtt', 'webvtt'],
    ['review.srt', 'srt'],
    ['whisper.json', 'whisper-json'],
    ['assemblyai.json', 'assemblyai-json'],
    ['deepgram.json', 'deepgram-json'],
    ['segments.json', 'segments-json'],
    ['standup.txt', 'plain'],
    ['otter.txt', 'otter'],
  ])('recognises %s as %s from its content alone', (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  it('keeps a plain line that ends with a clock time plain', () => {
    expect(detectFormat('Ana: see you at 3:00\nBob: fine\n')).toBe('plain');
  });
});

describe('hostile and broken transcripts', () => {
  it.each([
    ['an empty string', '', 'EMPTY_TRANSCRIPT'],
    ['only whitespace and a BOM', '\uFEFF  \r\n\t\n', 'EMPTY_TRANSCRIPT'],
    ['a WebVTT header and nothing else', 'WEBVTT\n\nNOTE nothing said\n', 'EMPTY_TRANSCRIPT'],
    ['binary bytes', 'ID3\u0000\u0001\u0002\u0003binary', 'UNPARSEABLE_TRANSCRIPT'],
    ['broken JSON', '{"segments": [', 'UNPARSEABLE_TRANSCRIPT'],
    ['JSON of an unknown shape', '{"pages": []}', 'UNSUPPORTED_FORMAT'],
    ['a JSON array', '[1, 2, 3]', 'UNSUPPORTED_FORMAT'],
    ['a segment without times', '{"segments": [{"text": "hi"}]}', 'UNPARSEABLE_TRANSCRIPT'],
    [
      'a segment with text of the wrong type',
      '{"segments": [{"start": 0, "end": 1, "text": 5}]}',
      'UNPARSEABLE_TRANSCRIPT',
    ],
    ['negative times', '{"segments": [{"start": -1, "end": 1, "text": "hi"}]}', 'UNPARSEABLE_TRANSCRIPT'],
    ['reversed times', '{"segments": [{"start": 5, "end": 1, "text": "hi"}]}', 'UNPARSEABLE_TRANSCRIPT'],
    [
      'a WebVTT cue with a broken timing',
      'WEBVTT\n\n00:00:xx.000 --> 00:00:01.000\nHi\n',
      'UNPARSEABLE_TRANSCRIPT',
    ],
    ['a WebVTT file without its header', '\n00:00:00.000 --> 00:00:01.000\nHi\n', 'UNPARSEABLE_TRANSCRIPT'],
    ['an SRT block without a timing line', '1\nHello there\n', 'UNPARSEABLE_TRANSCRIPT'],
  ])('rejects %s', (_name, source, code) => {
    const format = source.startsWith('\n00') ? 'webvtt' : source.startsWith('1\n') ? 'srt' : undefined;

    expect(parseErrorOf(() => parseTranscript(source, { format })).code).toBe(code);
  });

  it('names the line of a broken cue timing', () => {
    const error = parseErrorOf(() =>
      parseTranscript('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHi\n\n00:00:02.000 --> soon\nBye\n'),
    );

    expect(error.message).toContain('line 6');
    expect(error.retryable).toBe(false);
  });

  it('names the field of a broken JSON segment', () => {
    const error = parseErrorOf(() =>
      parseTranscript('{"segments": [{"start": 0, "end": 1, "text": "a"}, {"start": 0, "text": "b"}]}'),
    );

    expect(error.message).toBe('segments[1].end must be a number.');
  });

  it('refuses an unknown format name', () => {
    expect(parseErrorOf(() => parseTranscript('hi', { format: 'docx' })).code).toBe('UNSUPPORTED_FORMAT');
  });

  it('refuses sources and segment counts over the limits', () => {
    expect(
      parseErrorOf(() => parseTranscript('A: hi\n'.repeat(100), { limits: { maxSourceChars: 50 } })).code,
    ).toBe('TRANSCRIPT_TOO_LARGE');
    expect(
      parseErrorOf(() => parseTranscript('A: hi\n'.repeat(100), { limits: { maxSegments: 10 } })).code,
    ).toBe('TRANSCRIPT_TOO_LARGE');
  });

  it('survives a huge single line and a huge JSON string', () => {
    const words = 'word '.repeat(400_000);

    expect(parseTranscript(`Ana: ${words}`).segments[0]?.speakerLabel).toBe('Ana');
    const json = JSON.stringify({ segments: [{ start: 0, end: 1, text: words }] });
    expect(parseTranscript(json).segments[0]?.sourceOffset?.end).toBeGreaterThan(2_000_000);
  });

  it('keeps unicode speakers and text intact', () => {
    const transcript = parseTranscript('Zoë Ðorđević: Привет, 世界 👋\nJosé: ¿Qué tal?\n');

    expect(summaryOf(transcript).map(([, , , speaker, text]) => [speaker, text])).toEqual([
      ['Zoë Ðorđević', 'Привет, 世界 👋'],
      ['José', '¿Qué tal?'],
    ]);
  });
});
