import { sentencesOf } from '../analyzer/sentences';
import { speakerStatsOf } from '../analyzer/speaker-stats';
import type { Speaker, Transcript } from '../transcript';

/** Old speaker label to new name; two labels renamed to one name become one speaker. */
export type SpeakerRenames = Readonly<Record<string, string>>;

const NO_EXTRA_STOPWORDS: ReadonlySet<string> = new Set();

/** The new label of `label`: renamed, or as it was. */
export function renamedLabel(label: string, rename: SpeakerRenames): string {
  return Object.hasOwn(rename, label) ? (rename[label] ?? label) : label;
}

/**
 * The transcript with its speakers renamed. Speakers that end with the same label are merged
 * into the first of them (its id, its place in the order of appearance), so every later step
 * sees one speaker. Segment texts and timings are untouched: quotes stay verbatim.
 */
export function relabelTranscript(transcript: Transcript, rename: SpeakerRenames): Transcript {
  const survivorByLabel = new Map<string, Speaker>();
  const idMap = new Map<string, string>();
  for (const speaker of transcript.speakers) {
    const label = renamedLabel(speaker.label, rename);
    const survivor = survivorByLabel.get(label) ?? { id: speaker.id, label };
    survivorByLabel.set(label, survivor);
    idMap.set(speaker.id, survivor.id);
  }
  return {
    ...transcript,
    speakers: [...survivorByLabel.values()],
    segments: transcript.segments.map((segment) => ({
      ...segment,
      speakerId: idMap.get(segment.speakerId) ?? segment.speakerId,
      speakerLabel: renamedLabel(segment.speakerLabel, rename),
    })),
  };
}

/**
 * A results document with the speakers renamed: every `speaker` field (evidence, highlights),
 * every task owner's `name`, and every speaker-statistics list recomputed from the relabelled
 * transcript, so merged speakers have one entry whose turns, words and shares are counted anew
 * (two adjacent turns of merged speakers are one turn). Item texts and quotes are untouched.
 */
export function relabelResults(results: unknown, relabelled: Transcript, rename: SpeakerRenames): unknown {
  const statistics = speakerStatsOf(relabelled, sentencesOf(relabelled, NO_EXTRA_STOPWORDS));
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return isSpeakerStatistics(value) ? statisticsLike(value, statistics) : value.map(walk);
    }
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(record).map(([key, inner]) => {
        if (key === 'speaker' && typeof inner === 'string') return [key, renamedLabel(inner, rename)];
        if (key === 'owner' && inner && typeof inner === 'object' && !Array.isArray(inner)) {
          const owner = inner as Record<string, unknown>;
          const name = owner['name'];
          return [key, typeof name === 'string' ? { ...owner, name: renamedLabel(name, rename) } : owner];
        }
        return [key, walk(inner)];
      }),
    );
  };
  return walk(results);
}

/** A list of per-speaker statistics, as the analyzer and the built-in schemas shape them. */
function isSpeakerStatistics(items: readonly unknown[]): boolean {
  return (
    items.length > 0 &&
    items.every((item) => {
      const record = item as Record<string, unknown> | null;
      return (
        !!record &&
        typeof record === 'object' &&
        typeof record['speaker'] === 'string' &&
        typeof record['talk_time_ms'] === 'number'
      );
    })
  );
}

/** Recomputed statistics with the very fields the document's entries had (a schema may forbid others). */
function statisticsLike(
  existing: readonly unknown[],
  statistics: ReturnType<typeof speakerStatsOf>,
): unknown[] {
  const fields = Object.keys(existing[0] as Record<string, unknown>);
  return statistics.map((entry) => {
    // As the worker's rows: no measured talk time is 0 words per minute (schemas want a number).
    const full = { ...entry, words_per_minute: entry.words_per_minute ?? 0 } as Record<string, unknown>;
    return Object.fromEntries(fields.filter((field) => field in full).map((field) => [field, full[field]]));
  });
}
