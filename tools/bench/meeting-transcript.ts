/**
 * Deterministic, real-looking meeting transcripts for the benchmarks: WebVTT with voice tags,
 * several speakers taking turns, a mix of statements, questions, proposals, decisions and
 * tasks with owners and due phrases, at about 150 spoken words per minute. The same options
 * always give the same text (a seeded generator, no clock).
 */
export interface MeetingTranscriptOptions {
  /** How many words to write, about; the transcript ends at the first cue past it. */
  readonly words: number;
  /** Picks the variant: the same seed gives the same transcript. */
  readonly seed: number;
  readonly speakers?: readonly string[];
}

export interface MeetingTranscript {
  readonly text: string;
  readonly words: number;
  readonly cues: number;
  readonly durationMs: number;
}

const SPEAKERS = ['Ana Lima', 'Bob Chen', 'Carla Diaz', 'Dev Patel', 'Erin Walsh'] as const;
const WORDS_PER_SECOND = 2.5;

const TOPICS = [
  'the mobile release',
  'the billing migration',
  'onboarding',
  'the search index',
  'the partner API',
  'customer churn',
  'the support backlog',
  'the pricing page',
  'the data warehouse',
  'the security review',
  'the hiring plan',
  'the quarterly roadmap',
];
const DAYS = ['Friday', 'Monday', 'tomorrow', 'next week', 'the end of the month', 'Wednesday'];
const THINGS = [
  'the release notes',
  'the test plan',
  'a short summary',
  'the budget numbers',
  'the rollout checklist',
  'the customer list',
  'the design mockups',
];

/** `{t}` a topic, `{n}` another speaker's first name, `{d}` a due phrase, `{x}` a deliverable. */
const LINES = [
  'I looked at the numbers for {t} and they are better than we expected this quarter.',
  'The main risk with {t} is that we still depend on the old batch jobs.',
  'We decided to move {t} to the new platform before the summer.',
  "I'll send {x} to the team by {d}.",
  '{n}, please review {x} before {d}.',
  'Should we ask the partners about {t} first?',
  'Maybe we could split {t} into two smaller milestones.',
  'Um, I think the feedback on {t} was mostly positive, but people wanted clearer documentation.',
  'We agreed that {t} stays on the roadmap, with a smaller scope.',
  'Can someone own the follow-up on {t}?',
  '{n} will prepare {x} for {t} by {d}.',
  'The customers who tried {t} asked for better error messages and faster exports.',
  'Honestly, the biggest lesson from {t} is that small releases are easier to support.',
  'What does the timeline for {t} look like if we add two more engineers?',
  'Let me share my screen so we can walk through {t} together.',
  'So the decision is to freeze the scope of {t} until the review.',
  'We need to write down who approves changes to {t}.',
  'I can take {x}, but I need the final numbers from {n} first.',
  'The dashboard shows that usage of {t} doubled after the last update.',
  'Right, and the support team reported fewer tickets about {t} this month.',
];

export function meetingTranscript(options: MeetingTranscriptOptions): MeetingTranscript {
  const speakers = options.speakers ?? SPEAKERS;
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const cues: string[] = [];
  let words = 0;
  let atMs = 1_000;
  let speaker = 0;
  while (words < options.words) {
    // Turns of one to three sentences; a speaker rarely talks twice in a row.
    speaker = (speaker + 1 + Math.floor(random() * (speakers.length - 1))) % speakers.length;
    const name = speakers[speaker] ?? 'Speaker';
    const others = speakers.filter((other) => other !== name).map((other) => other.split(' ')[0] ?? other);
    const sentences = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      pick(LINES)
        .replace('{t}', pick(TOPICS))
        .replace('{n}', pick(others))
        .replace('{d}', pick(DAYS))
        .replace('{x}', pick(THINGS)),
    );
    const text = sentences.join(' ');
    const count = text.split(/\s+/).length;
    const durationMs = Math.round((count / WORDS_PER_SECOND) * 1_000);
    cues.push(`${clock(atMs)} --> ${clock(atMs + durationMs)}\n<v ${name}>${text}`);
    words += count;
    atMs += durationMs + 300;
  }
  return { text: `WEBVTT\n\n${cues.join('\n\n')}\n`, words, cues: cues.length, durationMs: atMs };
}

/** mulberry32: small, fast and good enough to vary text; deterministic for a seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function clock(ms: number): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1_000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1_000, 3)}`;
}
