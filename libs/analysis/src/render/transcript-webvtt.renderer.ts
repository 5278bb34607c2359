import type { Transcript } from '../transcript';
import { UNKNOWN_SPEAKER_ID } from '../transcript';

/**
 * A normalised transcript as WebVTT: one cue per segment, numbered, with a `<v Speaker>` voice
 * tag (none for the unknown speaker). Text is escaped (`&`, `<`, `>`) and kept on one line, so
 * no cue can end early or hide an arrow; our own WebVTT parser reads it back to the same
 * segments (times, speakers, text).
 */
export function renderTranscriptWebVtt(transcript: Transcript): string {
  const cues = transcript.segments.map((segment, index) => {
    const text = escapeCueText(oneLine(segment.text));
    const voice =
      segment.speakerId === UNKNOWN_SPEAKER_ID ? '' : `<v ${escapeCueText(oneLine(segment.speakerLabel))}>`;
    return `${index + 1}\n${vttTime(segment.startMs)} --> ${vttTime(segment.endMs)}\n${voice}${text}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}

/** `hh:mm:ss.mmm`, hours widening past 99 as WebVTT allows. */
export function vttTime(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  const millis = whole % 1000;
  return `${String(hours).padStart(2, '0')}:${pad2(minutes)}:${pad2(seconds)}.${String(millis).padStart(3, '0')}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
