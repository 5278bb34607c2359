import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '../parsers/parse-transcript';
import { DEFAULT_TRANSCRIPT_LIMITS } from '../parsers/transcript.builder';
import { Transcript } from '../transcript';
import { AnalysisResult, Evidence } from './analysis-result';
import { analyze, DEFAULT_MAX_DECISIONS, DEFAULT_MAX_TASKS } from './analyze';

function transcriptOf(name: string) {
  return parseTranscript(readFileSync(join(__dirname, '../fixtures', name), 'utf8'));
}

function allEvidence(result: AnalysisResult): Evidence[] {
  return Object.values(result)
    .filter(Array.isArray)
    .flatMap((items: { evidence?: Evidence[] }[]) => items.flatMap((item) => item.evidence ?? []));
}

function expectQuotesVerbatim(result: AnalysisResult, transcript: Transcript) {
  const evidence = allEvidence(result);
  expect(evidence.length).toBeGreaterThan(0);
  const segments = new Map(transcript.segments.map((segment) => [segment.id, segment]));
  for (const item of evidence) {
    const segment = segments.get(item.segment_id);
    expect(segment?.text).toContain(item.quote);
    expect([item.start_ms, item.end_ms, item.speaker]).toEqual([
      segment?.startMs,
      segment?.endMs,
      segment?.speakerLabel,
    ]);
  }
}

/** Line `index` of a generated four-speaker meeting in plain `Speaker: text` form. */
function generatedLine(index: number): string {
  const speakers = ['Ana', 'Bob', 'Carla', 'Dev'];
  const subjects = [
    'the billing service',
    'the mobile release',
    'customer churn',
    'the hiring plan',
    'the data migration',
  ];
  const subject = subjects[index % subjects.length];
  const variants = [
    `We reviewed ${subject} and the numbers improved by ${index % 40} percent this month.`,
    `I'll follow up on ${subject} by Friday.`,
    `Should we change the scope of ${subject}?`,
    `We agreed to keep ${subject} on schedule.`,
    `The main risk for ${subject} is the vendor timeline.`,
  ];
  return `${speakers[index % speakers.length]}: ${variants[index % variants.length]}`;
}

describe('analyze a meeting', () => {
  const meeting = transcriptOf('meeting.vtt');
  const result = analyze(meeting, { profile: 'meeting', meetingDate: '2024-03-04' });

  it('keeps decisions apart from proposals and questions', () => {
    expect(result.decisions?.map((item) => item.text)).toEqual([
      'We decided to keep the launch date of April 15 and ship the simpler tutorial.',
      'We agreed that the pricing page stays unchanged for this release.',
      'We will go with weekly check-ins on Mondays until the launch.',
    ]);
  });

  it('gives tasks owners (the speaker, the person addressed, or unresolved) and dated due phrases', () => {
    expect(result.tasks?.map(({ text, owner, due }) => ({ text, owner, due }))).toEqual([
      {
        text: 'Update the onboarding screens by Friday.',
        owner: { name: 'Bob Chen', resolved: true },
        due: { phrase: 'by Friday', date: '2024-03-08' },
      },
      {
        text: 'Draft the release notes for the app store by next week.',
        owner: { name: 'Carla Diaz', resolved: true },
        due: { phrase: 'by next week', date: '2024-03-11' },
      },
      {
        text: 'Send me the final screenshots tomorrow.',
        owner: { name: 'Bob Chen', resolved: true },
        due: { phrase: 'tomorrow', date: '2024-03-05' },
      },
      {
        text: 'Check the translations before the launch.',
        owner: { name: null, resolved: false },
        due: { phrase: null, date: null },
      },
    ]);
    expect(result.tasks?.[1]?.evidence).toEqual([
      {
        segment_id: 's7',
        start_ms: 38500,
        end_ms: 44000,
        speaker: 'Ana Lima',
        quote: 'Carla, please draft the release notes for the app store by next week.',
      },
    ]);
  });

  it('leaves due dates unresolved when the meeting date is unknown', () => {
    const undated = analyze(meeting, { profile: 'tasks' });

    expect(undated.tasks?.[0]?.due).toEqual({ phrase: 'by Friday', date: null });
  });

  it('counts talk time, share, turns, words and questions per speaker', () => {
    expect(
      result.speaker_statistics?.map(({ speaker, talk_time_ms, share, turns, questions }) => [
        speaker,
        talk_time_ms,
        share,
        turns,
        questions,
      ]),
    ).toEqual([
      ['Ana Lima', 29500, 0.4245, 4, 1],
      ['Bob Chen', 22500, 0.3237, 3, 0],
      ['Carla Diaz', 17500, 0.2518, 3, 2],
    ]);
    const bob = result.speaker_statistics?.[1];
    expect(bob?.words_per_minute).toBe(Math.round(((bob?.words ?? 0) / 22.5) * 60 * 10) / 10);
    expect(result.speaker_statistics?.reduce((sum, entry) => sum + entry.words, 0)).toBe(
      result.transcript.words,
    );
  });

  it('summarises, highlights with timestamps, quotes and finds topics', () => {
    expect(result.summary?.length).toBe(4);
    expect(result.highlights?.length).toBe(5);
    expect(result.highlights?.map((item) => item.evidence[0]?.start_ms)).toContain(13_500);
    expect(result.quotables?.map((item) => item.text)).toEqual([
      'Simplicity is the feature our users notice first.',
    ]);
    expect(result.topics?.[0]?.text).toBe('launch');
    expect(result.keyphrases?.map((item) => item.text)).toEqual(
      expect.arrayContaining(['launch', 'launch date', 'launch plan']),
    );
    expect(result.keyphrases?.map((item) => item.text)).not.toContain('ana');
  });

  it('quotes every piece of evidence verbatim from its segment', () => {
    expectQuotesVerbatim(result, meeting);
  });

  it('gives byte-identical JSON for the same input', () => {
    const again = analyze(transcriptOf('meeting.vtt'), { profile: 'meeting', meetingDate: '2024-03-04' });

    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });

  it('refuses a meeting date that is not a date', () => {
    expect(() => analyze(meeting, { profile: 'meeting', meetingDate: '2024-02-30' })).toThrow(RangeError);
  });
});

describe('analyze other formats', () => {
  it('reads decisions and tasks from an SRT review', () => {
    const result = analyze(transcriptOf('review.srt'), { profile: 'tasks', meetingDate: '2024-06-10' });

    expect(Object.keys(result)).toEqual(['analyzer', 'transcript', 'decisions', 'tasks']);
    expect(result.decisions?.map((item) => item.text)).toEqual([
      'We agreed to hire two support engineers next quarter.',
    ]);
    expect(result.tasks?.map(({ text, owner, due }) => ({ text, owner, due }))).toEqual([
      {
        text: 'Send the hiring plan by Thursday.',
        owner: { name: 'Eli', resolved: true },
        due: { phrase: 'by Thursday', date: '2024-06-13' },
      },
    ]);
  });

  it('gives a one-speaker talk a summary, key points, quotables and topics only', () => {
    const transcript = transcriptOf('whisper.json');
    const result = analyze(transcript, { profile: 'talk' });

    expect(Object.keys(result)).toEqual([
      'analyzer',
      'transcript',
      'summary',
      'key_points',
      'quotables',
      'topics',
    ]);
    expect(result.quotables?.map((item) => item.text)).toContain('Sleep is the cheapest medicine we have.');
    expect(result.topics?.[0]?.text).toBe('sleep');
    expectQuotesVerbatim(result, transcript);
  });

  it('attributes AssemblyAI, Deepgram and own-JSON tasks to their speakers', () => {
    const assembly = analyze(transcriptOf('assemblyai.json'), {
      profile: 'tasks',
      meetingDate: '2024-01-15',
    });
    expect(assembly.decisions?.map((item) => item.text)).toEqual(['We decided to renew for one year only.']);
    expect(assembly.tasks?.map(({ text, owner, due }) => [text, owner.name, due.date])).toEqual([
      ['Call the vendor tomorrow.', 'Speaker B', '2024-01-16'],
    ]);

    const deepgram = analyze(transcriptOf('deepgram.json'), { profile: 'tasks', meetingDate: '2024-01-10' });
    expect(deepgram.tasks?.map(({ text, owner, due }) => [text, owner.name, due.phrase, due.date])).toEqual([
      ['Prepare the forecast by Monday.', 'Speaker 1', 'by Monday', '2024-01-15'],
    ]);

    const own = analyze(transcriptOf('segments.json'), { profile: 'meeting' });
    expect(own.decisions?.map((item) => item.text)).toEqual([
      'We agreed to switch off the old database on "Friday".',
    ]);
    expect(own.tasks?.map(({ text, owner, due }) => [text, owner, due])).toEqual([
      [
        'Announce the downtime window to customers tomorrow.',
        { name: 'Tom', resolved: true },
        { phrase: 'tomorrow', date: null },
      ],
    ]);
  });

  it('reads plain and Otter transcripts, proposals kept out of decisions', () => {
    const plain = analyze(transcriptOf('standup.txt'), { profile: 'meeting' });
    expect(plain.transcript.flags).toEqual(['synthetic-timings']);
    expect(plain.decisions).toEqual([]);
    expect(plain.tasks?.map(({ text, owner }) => [text, owner.name])).toEqual([
      ['Write a regression test by tomorrow.', 'Jon'],
    ]);

    const otter = analyze(transcriptOf('otter.txt'), { profile: 'meeting', meetingDate: '2024-05-01' });
    expect(otter.decisions?.map((item) => item.text)).toEqual(['We decided to lazy-load the charts.']);
    expect(otter.tasks?.map(({ text, owner, due }) => [text, owner.name, due.phrase])).toEqual([
      ['Profile the chart library next week.', 'Omar Haddad', 'next week'],
      ['Do it.', 'Omar Haddad', null],
    ]);
  });

  it('leaves a task addressed to someone who is not a speaker unresolved', () => {
    const transcript = parseTranscript('Ana: Dave, please book the room by Friday.\nBob: Sure.\n');
    const result = analyze(transcript, { profile: 'tasks' });

    expect(result.tasks?.[0]?.owner).toEqual({ name: null, resolved: false });
  });

  it('handles a one-hour, 9,000-word meeting and stays sane', () => {
    const lines: string[] = [];
    for (let index = 0; lines.join(' ').split(' ').length < 10_000; index++) lines.push(generatedLine(index));
    const transcript = parseTranscript(lines.join('\n'));
    const result = analyze(transcript, { profile: 'meeting', meetingDate: '2024-03-04' });

    expect(result.transcript.words).toBeGreaterThanOrEqual(9000);
    expect(result.summary?.length).toBe(7);
    expect(result.speaker_statistics).toHaveLength(4);
    expect(result.tasks?.every((task) => task.owner.resolved && task.due.date === '2024-03-08')).toBe(true);
    expect(result.decisions?.every((item) => item.text.startsWith('We agreed'))).toBe(true);
    expectQuotesVerbatim(result, transcript);
  });
});

describe('the summary', () => {
  it('leaves out sentences used as tasks, and questions, on the fixtures', () => {
    for (const [name, profile] of [
      ['meeting.vtt', 'meeting'],
      ['otter.txt', 'meeting'],
      ['standup.txt', 'meeting'],
      ['whisper.json', 'talk'],
    ] as const) {
      const result = analyze(transcriptOf(name), { profile });
      const taskQuotes = new Set(
        analyze(transcriptOf(name), { profile: 'tasks' }).tasks?.flatMap((task) =>
          task.evidence.map((item) => item.quote),
        ),
      );
      expect(result.summary?.length).toBeGreaterThan(0);
      for (const item of result.summary ?? []) {
        expect([name, taskQuotes.has(item.text), item.text.endsWith('?')]).toEqual([name, false, false]);
      }
    }
  });

  it('states what the meeting was about rather than who must send what', () => {
    const transcript = parseTranscript(
      [
        'Ana: The budget for the new office grew because the rent grew.',
        'Bob: Carla, please send the budget, rent and furniture notes for the new office by Friday.',
        'Carla: Should the furniture for the new office count?',
        'Ana: The furniture order is late again.',
      ].join('\n'),
    );
    const result = analyze(transcript, { profile: 'meeting' });

    expect(result.tasks?.map((task) => task.text)).toEqual([
      'Send the budget, rent and furniture notes for the new office by Friday.',
    ]);
    expect(result.summary?.map((item) => item.text)).toEqual([
      'The budget for the new office grew because the rent grew.',
    ]);
  });

  it('still says something when only tasks and questions are long enough to summarise', () => {
    const transcript = parseTranscript(
      'Ana: Bob, please send the budget notes by Friday.\nBob: Should the budget include the furniture?\n',
    );

    expect(analyze(transcript, { profile: 'meeting' }).summary).toHaveLength(1);
  });
});

describe('capped decisions and tasks', () => {
  const source = Array.from({ length: 60 }, (_, index) => generatedLine(index)).join('\n');
  const transcript = parseTranscript(source);

  it('keep the best-ranked up to the cap, in transcript order, and say how many were found', () => {
    const all = analyze(transcript, { profile: 'tasks', meetingDate: '2024-03-04' });
    const capped = analyze(transcript, {
      profile: 'tasks',
      meetingDate: '2024-03-04',
      maxDecisions: 2,
      maxTasks: 3,
    });

    expect(all.truncated).toBeUndefined();
    expect(all.decisions).toHaveLength(12);
    expect(capped.decisions).toHaveLength(2);
    expect(capped.tasks).toHaveLength(3);
    expect(capped.truncated).toEqual({ decisions: { kept: 2, found: 12 }, tasks: { kept: 3, found: 12 } });
    for (const list of [capped.decisions ?? [], capped.tasks ?? []]) {
      const starts = list.map((item) => item.evidence[0]?.start_ms ?? -1);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
    const allTexts = new Set(all.tasks?.map((task) => JSON.stringify(task)));
    expect(capped.tasks?.every((task) => allTexts.has(JSON.stringify(task)))).toBe(true);
  });

  it('prefer tasks with an owner and a due phrase', () => {
    const lines = [
      'Ana: Someone needs to update the vendor contract for the billing service.',
      'Bob: Someone needs to review the vendor contract for the billing service.',
      "Carla: I'll update the vendor contract for the billing service by Friday.",
    ];
    const result = analyze(parseTranscript(lines.join('\n')), { profile: 'tasks', maxTasks: 1 });

    expect(result.tasks?.map(({ text, owner }) => [text, owner.name])).toEqual([
      ['Update the vendor contract for the billing service by Friday.', 'Carla'],
    ]);
    expect(result.truncated).toEqual({ tasks: { kept: 1, found: 3 } });
  });

  it('refuse a cap that is not a positive integer', () => {
    expect(() => analyze(transcript, { profile: 'tasks', maxTasks: 0 })).toThrow(RangeError);
    expect(() => analyze(transcript, { profile: 'tasks', maxDecisions: 2.5 })).toThrow(RangeError);
  });
});

describe('analyze a very long transcript', () => {
  // The similarity graph of all sentences would be quadratic; these sizes once ran out of heap.
  it.each([10_000, DEFAULT_TRANSCRIPT_LIMITS.maxSegments])(
    'analyses %i segments to a sane result quoting the source verbatim',
    (segments) => {
      const source = Array.from({ length: segments }, (_, index) => generatedLine(index)).join('\n');
      const transcript = parseTranscript(source);
      const result = analyze(transcript, { profile: 'meeting', meetingDate: '2024-03-04' });

      expect(result.transcript.segments).toBe(segments);
      expect(result.summary).toHaveLength(7);
      expect(result.highlights).toHaveLength(5);
      expect(result.keyphrases).toHaveLength(12);
      expect(result.keyphrases?.every((item) => item.evidence.length === 3)).toBe(true);
      expect(result.topics?.length).toBeGreaterThan(0);
      // Every fifth line is a decision and another fifth a task: the lists are capped, and say so.
      expect(result.decisions).toHaveLength(DEFAULT_MAX_DECISIONS);
      expect(result.tasks).toHaveLength(DEFAULT_MAX_TASKS);
      expect(result.truncated).toEqual({
        decisions: { kept: DEFAULT_MAX_DECISIONS, found: segments / 5 },
        tasks: { kept: DEFAULT_MAX_TASKS, found: segments / 5 },
      });
      // Bounded whatever the length (uncapped, 50,000 segments once gave about 11 MB).
      expect(JSON.stringify(result).length).toBeLessThan(100_000);
      expect(result.speaker_statistics?.reduce((sum, entry) => sum + entry.turns, 0)).toBe(segments);
      expectQuotesVerbatim(result, transcript);
    },
    // A generous deadline for a big input on a slow machine, not a performance check.
    60_000,
  );
});
