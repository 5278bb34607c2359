import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '../parsers/parse-transcript';
import type { Transcript } from '../transcript';
import { UNKNOWN_SPEAKER_ID, UNKNOWN_SPEAKER_LABEL } from '../transcript';
import { renderTranscriptMarkdown } from './transcript-markdown.renderer';
import { renderTranscriptWebVtt, vttTime } from './transcript-webvtt.renderer';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '../fixtures', name), 'utf8');
}

const essentials = (transcript: Transcript) =>
  transcript.segments.map((s) => [s.startMs, s.endMs, s.speakerLabel, s.text]);

function transcriptOf(segments: Array<[number, number, string, string]>): Transcript {
  const labels = [...new Set(segments.map(([, , label]) => label))];
  return {
    format: 'plain',
    segments: segments.map(([startMs, endMs, label, text], index) => ({
      id: `s${index + 1}`,
      startMs,
      endMs,
      speakerId: label === UNKNOWN_SPEAKER_LABEL ? UNKNOWN_SPEAKER_ID : `spk${labels.indexOf(label) + 1}`,
      speakerLabel: label,
      text,
      sourceOffset: null,
    })),
    speakers: labels.map((label, index) => ({ id: `spk${index + 1}`, label })),
    durationMs: segments.at(-1)?.[1] ?? 0,
    flags: [],
  };
}

describe('renderTranscriptWebVtt', () => {
  it.each(['meeting.vtt', 'review.srt', 'segments.json', 'standup.txt', 'whisper.json', 'otter.txt'])(
    'renders %s as WebVTT that our parser reads back to the same segments',
    (name) => {
      const transcript = parseTranscript(fixture(name), { filename: name });
      const vtt = renderTranscriptWebVtt(transcript);

      const back = parseTranscript(vtt);
      expect(back.format).toBe('webvtt');
      expect(essentials(back)).toEqual(essentials(transcript));
    },
  );

  it('escapes markup and arrows and keeps multi-line text on one cue line', () => {
    const transcript = transcriptOf([
      [0, 1500, 'Ana <Lead> & Co', 'a <b>bold</b> claim --> & "quotes"'],
      [1500, 4000, 'Bob', 'first line\n\nsecond line'],
    ]);
    const vtt = renderTranscriptWebVtt(transcript);

    expect(vtt).toContain(
      '<v Ana &lt;Lead&gt; &amp; Co>a &lt;b&gt;bold&lt;/b&gt; claim --&gt; &amp; "quotes"',
    );
    expect(essentials(parseTranscript(vtt))).toEqual([
      [0, 1500, 'Ana <Lead> & Co', 'a <b>bold</b> claim --> & "quotes"'],
      [1500, 4000, 'Bob', 'first line second line'],
    ]);
  });

  it('writes times as hh:mm:ss.mmm, hours past 99 included', () => {
    expect(vttTime(0)).toBe('00:00:00.000');
    expect(vttTime(3_723_045)).toBe('01:02:03.045');
    expect(vttTime(360_000_000)).toBe('100:00:00.000');
  });

  it('gives the same text for the same transcript', () => {
    const transcript = parseTranscript(fixture('meeting.vtt'));
    expect(renderTranscriptWebVtt(transcript)).toBe(renderTranscriptWebVtt(structuredClone(transcript)));
  });
});

describe('renderTranscriptMarkdown', () => {
  it('writes one paragraph per segment with its time and speaker', () => {
    const transcript = parseTranscript(fixture('meeting.vtt'));
    const markdown = renderTranscriptMarkdown(transcript);

    expect(markdown.startsWith('# Transcript\n\nFormat: webvtt · Duration: 00:01:16 · Segments: 12')).toBe(
      true,
    );
    expect(markdown).toContain(
      "**[00:00:01] Ana Lima:** Good morning everyone. Let's review the launch plan for the mobile app.",
    );
    expect(markdown.match(/^\*\*\[/gm)).toHaveLength(12);
  });

  it('escapes Markdown and HTML in what people said', () => {
    const markdown = renderTranscriptMarkdown(
      transcriptOf([[0, 1000, 'Eve_1', 'see [this](http://x) *now* <script>alert(1)</script> & more']]),
    );
    expect(markdown).toContain(
      '**[00:00:00] Eve\\_1:** see \\[this\\](http://x) \\*now\\* \\<script\\>alert(1)\\</script\\> &amp; more',
    );
  });
});
