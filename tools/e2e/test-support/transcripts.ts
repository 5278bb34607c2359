/** One spoken turn, the way every transcript format below is rendered from. */
export interface Turn {
  readonly speaker: string;
  /** Seconds from the start of the recording. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * A vendor decision meeting: three speakers, a decision, tasks with owners and due dates, a
 * question. Free of double quotes and backslashes, so its text is also verbatim inside JSON.
 */
export const VENDOR_MEETING: readonly Turn[] = [
  {
    speaker: 'Nina',
    start: 0,
    end: 6,
    text: 'Thanks for joining. We need to choose a vendor for the new payment gateway this week.',
  },
  {
    speaker: 'Omar',
    start: 6.5,
    end: 13,
    text: 'I compared three offers. The second one is cheaper and supports refunds out of the box.',
  },
  {
    speaker: 'Nina',
    start: 13.5,
    end: 19,
    text: 'Good. We decided to go with the second vendor for the pilot in April.',
  },
  { speaker: 'Priya', start: 19.5, end: 26, text: "I'll draft the contract with legal by Thursday." },
  {
    speaker: 'Omar',
    start: 26.5,
    end: 32,
    text: 'Priya, please also ask them about the data retention terms before you sign.',
  },
  {
    speaker: 'Nina',
    start: 32.5,
    end: 38,
    text: 'Should we tell the support team about the switch now or after the pilot?',
  },
  {
    speaker: 'Priya',
    start: 38.5,
    end: 45,
    text: 'Let us wait until the pilot is live. Omar, please prepare the migration checklist by Friday.',
  },
];

function clock(seconds: number, separator: '.' | ','): string {
  const millis = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const h = Math.floor(millis / 3_600_000);
  const m = Math.floor(millis / 60_000) % 60;
  const s = Math.floor(millis / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(millis % 1000, 3)}`;
}

export function asWebVtt(turns: readonly Turn[]): string {
  const cues = turns.map(
    (turn) => `${clock(turn.start, '.')} --> ${clock(turn.end, '.')}\n<v ${turn.speaker}>${turn.text}\n`,
  );
  return `WEBVTT\n\n${cues.join('\n')}`;
}

export function asSrt(turns: readonly Turn[]): string {
  return turns
    .map(
      (turn, index) =>
        `${index + 1}\n${clock(turn.start, ',')} --> ${clock(turn.end, ',')}\n${turn.speaker}: ${turn.text}\n`,
    )
    .join('\n');
}

/** Our own JSON: `{ "segments": [{ "speaker", "start", "end", "text" }] }`. */
export function asSegmentsJson(turns: readonly Turn[]): string {
  return JSON.stringify({ segments: turns }, null, 2);
}

/** AssemblyAI's `utterances` (milliseconds, speakers as letters in order of appearance). */
export function asAssemblyAiJson(turns: readonly Turn[]): string {
  const letters = new Map<string, string>();
  const letterOf = (speaker: string) => {
    if (!letters.has(speaker)) letters.set(speaker, String.fromCharCode(65 + letters.size));
    return letters.get(speaker) ?? 'A';
  };
  return JSON.stringify(
    {
      id: 'e2e-vendor-meeting',
      language_code: 'en_us',
      utterances: turns.map((turn) => ({
        speaker: letterOf(turn.speaker),
        start: Math.round(turn.start * 1000),
        end: Math.round(turn.end * 1000),
        confidence: 0.92,
        text: turn.text,
      })),
    },
    null,
    2,
  );
}

/** `Speaker: text`, one turn a line. */
export function asPlainText(turns: readonly Turn[]): string {
  return turns.map((turn) => `${turn.speaker}: ${turn.text}`).join('\n') + '\n';
}

const PEOPLE = ['Ana', 'Bruno', 'Chen', 'Dalia', 'Emeka'];
const AREAS = ['billing', 'onboarding', 'search', 'mobile', 'reporting', 'security', 'data', 'support'];
const THINGS = [
  'the invoice export',
  'the login page',
  'the quarterly forecast',
  'the API rate limits',
  'the customer survey',
  'the release checklist',
  'the backup restore drill',
  'the pricing experiment',
  'the accessibility audit',
  'the partner integration',
  'the incident review',
  'the hiring plan',
];
const CLIENTS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wonka'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'next week', 'the end of the month'];
const FACTS = [
  'latency dropped by a third after the cache change',
  'two customers asked for a dark mode',
  'the old servers cost more than we expected',
  'most tickets this week came from the new signup flow',
  'the test suite now runs in half the time',
  'three enterprise trials converted last month',
  'the translation vendor missed one deadline',
  'nobody has touched the legacy importer in a year',
  'error rates are back to normal since Tuesday',
];

/** The `index`-th sentence of the generated meeting: varied, and each kind now and then. */
function sentence(index: number): string {
  const pick = <T>(list: readonly T[], step: number) => list[(index * step + index) % list.length] as T;
  const person = pick(PEOPLE, 3);
  const thing = pick(THINGS, 5);
  const area = pick(AREAS, 7);
  const client = pick(CLIENTS, 11);
  const day = pick(DAYS, 13);
  switch (index % 9) {
    case 0:
      return `The ${area} team looked at ${thing} for ${client}, and ${pick(FACTS, 17)}.`;
    case 1:
      return `Do we know whether ${client} still needs ${thing} before ${day}?`;
    case 2:
      return `We agreed to move ${thing} for ${client} to ${day}.`;
    case 3:
      return `${person}, please send the notes on ${thing} to the ${area} team by ${day}.`;
    case 4:
      return `I think ${pick(FACTS, 19)}, which changes how we plan ${thing}.`;
    case 5:
      return `I'll review ${thing} with ${client} before ${day}.`;
    case 6:
      return `Last sprint the ${area} group shipped ${thing} and ${pick(FACTS, 23)}.`;
    case 7:
      return `Maybe we could ask ${client} about ${thing} once the ${area} numbers are in.`;
    default:
      return `We decided that ${person} owns ${thing} for the ${area} area from now on.`;
  }
}

/**
 * A generated meeting of five people, `minutes` long, one turn every six seconds, as WebVTT:
 * an hour is 600 turns, about 11,000 words.
 */
export function generatedMeeting(minutes: number): string {
  const turns: Turn[] = [];
  for (let index = 0; index * 6 < minutes * 60; index++) {
    turns.push({
      speaker: PEOPLE[(index * 2 + Math.floor(index / 5)) % PEOPLE.length] as string,
      start: index * 6,
      end: index * 6 + 5.5,
      text: sentence(index),
    });
  }
  return asWebVtt(turns);
}
