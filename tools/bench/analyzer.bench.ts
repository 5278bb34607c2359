/**
 * The built-in offline analyzer alone, in this process: parse + analyze of a one-hour meeting
 * (about 9,000 words) for the `meeting` and `tasks` profiles, next to the floor of merely
 * splitting the same text into sentences and words with plain regular expressions.
 */
import { analyze, parseTranscript, type AnalysisProfile } from '@scriptripper/analysis';
import { timeInterleaved, type Timing } from './measure';
import { meetingTranscript, type MeetingTranscript } from './meeting-transcript';

export const HOUR_WORDS = 9_000;
/** The transcript every job of the job benchmark submits (about two minutes of meeting). */
export const SMALL_MEETING_WORDS = 300;

export interface AnalyzerFigures {
  readonly hour: MeetingTranscript;
  readonly meeting: Timing;
  readonly tasks: Timing;
  /** Plain regex sentence and word split of the same text: the floor. */
  readonly split: Timing;
  /** parse + analyze (meeting) of one small transcript as the job benchmark submits it. */
  readonly small: Timing;
}

export function smallMeeting(seed: number): string {
  return meetingTranscript({ words: SMALL_MEETING_WORDS, seed }).text;
}

export function analyzerFigures(runs: number): AnalyzerFigures {
  const hour = meetingTranscript({ words: HOUR_WORDS, seed: 1 });
  const small = smallMeeting(1);
  const parseAndAnalyze = (text: string, profile: AnalysisProfile) =>
    analyze(parseTranscript(text, { format: 'webvtt' }), { profile, meetingDate: '2026-03-02' });
  // A few unmeasured runs first, so the figures are of optimised code, not of the first compile.
  for (let i = 0; i < 2; i++) {
    parseAndAnalyze(hour.text, 'meeting');
    parseAndAnalyze(hour.text, 'tasks');
    regexSplit(hour.text);
  }
  const hourTimings = timeInterleaved(
    runs,
    {
      split: 'plain regex split into sentences and words (the floor)',
      meeting: 'parseTranscript + analyze, profile meeting',
      tasks: 'parseTranscript + analyze, profile tasks',
    },
    {
      split: () => regexSplit(hour.text),
      meeting: () => parseAndAnalyze(hour.text, 'meeting'),
      tasks: () => parseAndAnalyze(hour.text, 'tasks'),
    },
  );
  const smallTimings = timeInterleaved(
    runs * 20,
    { small: `parseTranscript + analyze, profile meeting, ~${SMALL_MEETING_WORDS} words` },
    { small: () => parseAndAnalyze(small, 'meeting') },
  );
  return { hour, ...hourTimings, small: smallTimings.small };
}

/** What any analysis must at least do: read the text once into sentences and their words. */
function regexSplit(text: string): number {
  let words = 0;
  for (const sentence of text.split(/(?<=[.!?])\s+/))
    words += sentence.match(/[\p{L}\p{N}']+/gu)?.length ?? 0;
  return words;
}
