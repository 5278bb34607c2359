import { TranscriptFormat } from '../transcript';
import { JsonSourceLocator } from './json-source-locator';
import { SegmentDraft, unparseable } from './transcript.builder';

export type JsonTranscriptFormat = Extract<
  TranscriptFormat,
  'whisper-json' | 'assemblyai-json' | 'deepgram-json' | 'segments-json'
>;

export interface JsonParseResult {
  drafts: SegmentDraft[];
  language?: string;
}

type JsonObject = Record<string, unknown>;

export function parseJsonDocument(source: string): unknown {
  try {
    return JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw unparseable(`The JSON does not parse: ${(error as Error).message}`);
  }
}

/** Which JSON transcript shape a parsed document has, or null when it is none we know. */
export function jsonShapeOf(document: unknown): JsonTranscriptFormat | null {
  if (!isObject(document)) return null;
  if (Array.isArray(document['utterances'])) return 'assemblyai-json';
  if (isObject(document['results'])) return 'deepgram-json';
  const segments = document['segments'];
  if (!Array.isArray(segments)) return null;
  const first: unknown = segments[0];
  const whisperish =
    typeof document['language'] === 'string' ||
    typeof document['text'] === 'string' ||
    (isObject(first) && ('seek' in first || 'tokens' in first || 'avg_logprob' in first));
  return whisperish ? 'whisper-json' : 'segments-json';
}

export function parseJsonTranscript(source: string, format: JsonTranscriptFormat): JsonParseResult {
  const document = parseJsonDocument(source);
  if (!isObject(document)) throw unparseable('The JSON transcript must be an object.');
  const locator = new JsonSourceLocator(source);
  switch (format) {
    case 'assemblyai-json':
      return {
        drafts: itemsAt(document, 'utterances').map((item, index) =>
          timedItem(item, `utterances[${index}]`, 1, locator, 'text', speakerName(item['speaker'])),
        ),
        language: stringField(document, 'language_code'),
      };
    case 'deepgram-json':
      return parseDeepgram(document, locator);
    case 'whisper-json':
    case 'segments-json':
      return {
        drafts: itemsAt(document, 'segments').map((item, index) =>
          timedItem(item, `segments[${index}]`, 1000, locator, 'text', plainSpeaker(item['speaker'])),
        ),
        language: stringField(document, 'language'),
      };
  }
}

/** Deepgram: `results.utterances`, else the first alternative's paragraphs, else its words. */
function parseDeepgram(document: JsonObject, locator: JsonSourceLocator): JsonParseResult {
  const results = document['results'] as JsonObject;
  if (Array.isArray(results['utterances'])) {
    return {
      drafts: itemsAt(results, 'utterances', 'results.utterances').map((item, index) =>
        timedItem(
          item,
          `results.utterances[${index}]`,
          1000,
          locator,
          'transcript',
          numberedSpeaker(item['speaker']),
        ),
      ),
    };
  }
  const channel = Array.isArray(results['channels']) ? results['channels'][0] : undefined;
  const alternative =
    isObject(channel) && Array.isArray(channel['alternatives']) ? channel['alternatives'][0] : undefined;
  if (!isObject(alternative)) {
    throw unparseable('results.utterances or results.channels[0].alternatives[0] is missing.');
  }
  const language = isObject(channel) ? stringField(channel, 'detected_language') : undefined;
  const paragraphs = isObject(alternative['paragraphs'])
    ? alternative['paragraphs']['paragraphs']
    : undefined;
  if (Array.isArray(paragraphs)) return { drafts: deepgramParagraphs(paragraphs, locator), language };
  if (Array.isArray(alternative['words'])) {
    return { drafts: deepgramWords(alternative['words'] as unknown[], locator), language };
  }
  throw unparseable('results.channels[0].alternatives[0] has neither paragraphs nor words.');
}

function deepgramParagraphs(paragraphs: unknown[], locator: JsonSourceLocator): SegmentDraft[] {
  return paragraphs.flatMap((paragraph, p) => {
    const where = `results.channels[0].alternatives[0].paragraphs.paragraphs[${p}]`;
    if (!isObject(paragraph)) throw unparseable(`${where} must be an object.`);
    const speaker = numberedSpeaker(paragraph['speaker']);
    return itemsAt(paragraph, 'sentences', `${where}.sentences`).map((sentence, s) =>
      timedItem(sentence, `${where}.sentences[${s}]`, 1000, locator, 'text', speaker),
    );
  });
}

/** Words grouped into one segment per run of the same speaker. */
function deepgramWords(words: unknown[], locator: JsonSourceLocator): SegmentDraft[] {
  const drafts: SegmentDraft[] = [];
  let current: { draft: SegmentDraft; key: unknown; words: string[] } | null = null;
  words.forEach((word, index) => {
    const where = `results.channels[0].alternatives[0].words[${index}]`;
    if (!isObject(word)) throw unparseable(`${where} must be an object.`);
    const text = stringField(word, 'punctuated_word') ?? stringField(word, 'word');
    if (text === undefined) throw unparseable(`${where}.word must be a string.`);
    const key = stringField(word, 'punctuated_word') !== undefined ? 'punctuated_word' : 'word';
    const offset = locator.next([key], text);
    const startMs = seconds(word, 'start', where) * 1000;
    const endMs = seconds(word, 'end', where) * 1000;
    if (current && current.key === word['speaker']) {
      current.words.push(text);
      current.draft.text = current.words.join(' ');
      current.draft.endMs = Math.max(current.draft.endMs, endMs);
      if (offset && current.draft.sourceOffset) current.draft.sourceOffset.end = offset.end;
      return;
    }
    const draft: SegmentDraft = {
      startMs,
      endMs,
      speaker: numberedSpeaker(word['speaker']),
      text,
      sourceOffset: offset,
      where,
    };
    current = { draft, key: word['speaker'], words: [text] };
    drafts.push(draft);
  });
  return drafts;
}

function timedItem(
  item: JsonObject,
  where: string,
  msPerUnit: number,
  locator: JsonSourceLocator,
  textKey: string,
  speaker: string | null,
): SegmentDraft {
  const text = item[textKey];
  if (typeof text !== 'string') throw unparseable(`${where}.${textKey} must be a string.`);
  return {
    startMs: seconds(item, 'start', where) * msPerUnit,
    endMs: seconds(item, 'end', where) * msPerUnit,
    speaker,
    text,
    sourceOffset: locator.next([textKey], text),
    where,
  };
}

function itemsAt(container: JsonObject, key: string, path = key): JsonObject[] {
  const items = container[key];
  if (!Array.isArray(items)) throw unparseable(`${path} must be an array.`);
  return items.map((item, index) => {
    if (!isObject(item)) throw unparseable(`${path}[${index}] must be an object.`);
    return item;
  });
}

function seconds(item: JsonObject, key: string, where: string): number {
  const value = item[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw unparseable(`${where}.${key} must be a number.`);
  }
  return value;
}

function plainSpeaker(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return `Speaker ${value}`;
  return null;
}

/** AssemblyAI names speakers `A`, `B`; shown as `Speaker A`. */
function speakerName(value: unknown): string | null {
  if (typeof value === 'string' && /^[A-Z]$/.test(value)) return `Speaker ${value}`;
  return plainSpeaker(value);
}

/** Deepgram numbers speakers from 0. */
function numberedSpeaker(value: unknown): string | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? `Speaker ${value}` : null;
}

function stringField(item: JsonObject, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
