/** Cue text with markup removed and the speaker it names, if any. */
export interface CueText {
  speaker: string | null;
  text: string;
}

const VOICE_TAG = /<v(?:\.[^\s>]*)?[ \t]+([^>]{1,100})>/;
const ANY_TAG = /<[^>]{0,200}>/g;
// `Ana Lima: text`: up to four capitalised-or-not words, no sentence punctuation, so
// "Note: the room changed" style prose is the only false positive we accept.
const NAME_PREFIX =
  /^([\p{Lu}\p{Lt}][\p{L}\p{M}\p{N}'’.-]{0,30}(?: [\p{L}\p{M}\p{N}'’.-]{1,30}){0,3}):[ \t]+(\S[\s\S]*)$/u;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&nbsp;': ' ',
  '&lrm;': '',
  '&rlm;': '',
};

/** Reads `<v Speaker>` voice tags and `Name: text` prefixes; strips other markup and entities. */
export function readCueText(payload: string): CueText {
  const voice = VOICE_TAG.exec(payload);
  const text = decodeEntities(payload.replace(ANY_TAG, '')).trim();
  if (voice?.[1]) return { speaker: decodeEntities(voice[1]).trim(), text };
  return splitNamePrefix(text);
}

/** `Ana: hello` -> speaker Ana, text hello; anything else has no speaker. */
export function splitNamePrefix(line: string): CueText {
  const match = NAME_PREFIX.exec(line.trim());
  if (match?.[1] && match[2]) return { speaker: match[1], text: match[2] };
  return { speaker: null, text: line.trim() };
}

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|apos|nbsp|lrm|rlm);/g, (entity) => ENTITIES[entity] ?? entity);
}
