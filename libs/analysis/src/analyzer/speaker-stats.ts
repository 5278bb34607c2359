import { Transcript } from '../transcript';
import { SpeakerStatistics } from './analysis-result';
import { Sentence, wordCount } from './sentences';

/** Talk time, share, turns, words, pace and questions per speaker, most talk time first (ties: first id). */
export function speakerStatsOf(transcript: Transcript, sentences: Sentence[]): SpeakerStatistics[] {
  const stats = new Map<string, SpeakerStatistics & { speakerId: string }>(
    transcript.speakers.map((speaker) => [
      speaker.id,
      {
        speakerId: speaker.id,
        speaker: speaker.label,
        talk_time_ms: 0,
        share: 0,
        turns: 0,
        words: 0,
        words_per_minute: 0,
        questions: 0,
      },
    ]),
  );
  let previousSpeaker: string | null = null;
  for (const segment of transcript.segments) {
    const entry = stats.get(segment.speakerId);
    if (!entry) continue;
    entry.talk_time_ms += segment.endMs - segment.startMs;
    entry.words += wordCount(segment.text);
    if (segment.speakerId !== previousSpeaker) entry.turns++;
    previousSpeaker = segment.speakerId;
  }
  for (const sentence of sentences) {
    const entry = stats.get(sentence.segment.speakerId);
    if (entry && sentence.text.endsWith('?')) entry.questions++;
  }
  const total = [...stats.values()].reduce((sum, entry) => sum + entry.talk_time_ms, 0);
  return [...stats.values()]
    .sort((a, b) => b.talk_time_ms - a.talk_time_ms || a.speakerId.localeCompare(b.speakerId, 'en'))
    .map(({ speakerId: _id, ...entry }) => ({
      ...entry,
      share: total > 0 ? round(entry.talk_time_ms / total, 4) : 0,
      // A speaker with no measured talk time has no pace; the schemas want a number.
      words_per_minute: entry.talk_time_ms > 0 ? round(entry.words / (entry.talk_time_ms / 60_000), 1) : 0,
    }));
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
