import { TRANSCRIPT_FORMATS, Transcript, TranscriptFlag, TranscriptFormat } from '../transcript';
import { TranscriptParseError, TranscriptParseErrorCodes } from '../transcript-parse.error';
import { parseWebVtt, parseSrt } from './cues.parser';
import { JsonTranscriptFormat, jsonShapeOf, parseJsonDocument, parseJsonTranscript } from './json.parser';
import { OTTER_HEADER, parseOtter } from './otter.parser';
import { parsePlain } from './plain.parser';
import { sourceLines } from './source-lines';
import {
  DEFAULT_TRANSCRIPT_LIMITS,
  SegmentDraft,
  TranscriptLimits,
  buildTranscript,
  unparseable,
} from './transcript.builder';

export interface ParseTranscriptOptions {
  /** A format name, or `json` for any of the JSON shapes; detected from the content when absent. */
  format?: TranscriptFormat | 'json' | string;
  filename?: string;
  limits?: Partial<TranscriptLimits>;
}

const SRT_TIMING = /^\s*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}\s+-->\s+\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}/m;

/** Parses any supported transcript into the segment model, or throws TranscriptParseError. */
export function parseTranscript(source: string, options: ParseTranscriptOptions = {}): Transcript {
  const limits = { ...DEFAULT_TRANSCRIPT_LIMITS, ...options.limits };
  checkSource(source, limits);
  const format = resolveFormat(source, options);
  const { drafts, language, flags } = draftsOf(source, format);
  return buildTranscript(drafts, { format, language, flags, limits });
}

/**
 * The format of a transcript, from its content and, where the content is ambiguous, its
 * file name. Any text that is none of the structured formats is read as plain lines.
 */
export function detectFormat(source: string, filename?: string): TranscriptFormat {
  const text = source.replace(/^\uFEFF/, '').trimStart();
  const extension = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (text.startsWith('WEBVTT')) return 'webvtt';
  if (text.startsWith('{') || text.startsWith('[') || extension === 'json') return jsonFormatOf(source);
  if (extension === 'vtt') return 'webvtt';
  if (extension === 'srt' || SRT_TIMING.test(text.slice(0, 10_000))) return 'srt';
  return looksLikeOtter(text) ? 'otter' : 'plain';
}

function resolveFormat(source: string, options: ParseTranscriptOptions): TranscriptFormat {
  const requested = options.format?.trim().toLowerCase();
  if (!requested) return detectFormat(source, options.filename);
  if (requested === 'json') return jsonFormatOf(source);
  if (requested === 'vtt') return 'webvtt';
  if ((TRANSCRIPT_FORMATS as readonly string[]).includes(requested)) return requested as TranscriptFormat;
  throw new TranscriptParseError(
    TranscriptParseErrorCodes.unsupportedFormat,
    `Unsupported transcript format "${requested.slice(0, 40)}"; use one of: json, ${TRANSCRIPT_FORMATS.join(', ')}.`,
  );
}

function jsonFormatOf(source: string): JsonTranscriptFormat {
  const shape = jsonShapeOf(parseJsonDocument(source));
  if (!shape) {
    throw new TranscriptParseError(
      TranscriptParseErrorCodes.unsupportedFormat,
      'This JSON is not a transcript shape we know: expected "segments" (Whisper or ours), "utterances" (AssemblyAI) or "results" (Deepgram).',
    );
  }
  return shape;
}

function draftsOf(
  source: string,
  format: TranscriptFormat,
): { drafts: SegmentDraft[]; language?: string; flags: TranscriptFlag[] } {
  switch (format) {
    case 'webvtt':
      return { drafts: parseWebVtt(source), flags: [] };
    case 'srt':
      return { drafts: parseSrt(source), flags: [] };
    case 'plain':
      return { drafts: parsePlain(source), flags: ['synthetic-timings'] };
    case 'otter':
      return { drafts: parseOtter(source), flags: [] };
    default:
      return { ...parseJsonTranscript(source, format), flags: [] };
  }
}

/** Otter exports open with a `Name  m:ss` line (perhaps after a title) followed by text. */
function looksLikeOtter(text: string): boolean {
  const lines = sourceLines(text.slice(0, 10_000)).filter((line) => line.text.trim() !== '');
  const header = lines.slice(0, 3).findIndex((line) => OTTER_HEADER.test(line.text));
  const body = lines[header + 1];
  return header >= 0 && body !== undefined && !OTTER_HEADER.test(body.text);
}

function checkSource(source: string, limits: TranscriptLimits): void {
  if (typeof source !== 'string') throw unparseable('The transcript must be text.');
  if (source.length > limits.maxSourceChars) {
    throw new TranscriptParseError(
      TranscriptParseErrorCodes.tooLarge,
      `The transcript is larger than ${limits.maxSourceChars} characters.`,
    );
  }
  if (source.replace(/^\uFEFF/, '').trim() === '') {
    throw new TranscriptParseError(TranscriptParseErrorCodes.empty, 'The transcript is empty.');
  }
  if (looksBinary(source)) {
    throw unparseable('The transcript is not text (it contains binary control characters).');
  }
}

/** NUL bytes or many control characters: an audio file or archive uploaded by mistake. */
function looksBinary(source: string): boolean {
  const sample = source.slice(0, 65_536);
  if (sample.includes(String.fromCharCode(0))) return true;
  let controls = 0;
  for (let index = 0; index < sample.length; index++) {
    const code = sample.charCodeAt(index);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) || code === 0xfffd) controls++;
  }
  return controls > sample.length / 100;
}
