/**
 * Spoken language as transcribed: fillers, stutters, restarts and backchannels. The analyzer
 * reads meetings, not essays, so its display texts are made fluent here; evidence quotes never
 * go through this (they stay verbatim).
 */

/** Sounds and words that carry no content in speech ("um", "mm-hmm"). */
const FILLER_WORDS = new Set([
  'um',
  'umm',
  'uh',
  'uhh',
  'uh-huh',
  'er',
  'erm',
  'eh',
  'ah',
  'hmm',
  'hm',
  'mm',
  'mmm',
  'mm-hmm',
  'mm-mm',
  'uh-uh',
  'huh',
  'ooh',
  'oh',
]);

/** Whole turns that only acknowledge ("yeah", "okay", "mm-hmm", "right"). */
const BACKCHANNEL_WORDS = new Set([
  ...FILLER_WORDS,
  'yeah',
  'yes',
  'yep',
  'yup',
  'no',
  'nope',
  'okay',
  'ok',
  "'kay",
  'kay',
  'right',
  'alright',
  'sure',
  'fine',
  'good',
  'great',
  'cool',
  'wow',
  'so',
  'and',
  'but',
  'well',
  'really',
  'exactly',
  'true',
  'indeed',
  'thanks',
  'thank',
  'you',
  'i',
  'see',
  'agree',
  'agreed',
  'absolutely',
  'definitely',
  'course',
  'of',
  'sorry',
  'hi',
  'hello',
  'bye',
  'nice',
  'correct',
  'totally',
  'gotcha',
  'alright',
]);

// Discourse openers a written sentence would not start with.
const OPENER =
  /^(?:(?:so|and|but|well|okay|ok|'kay|right|yeah|yes|now|um|uh|mm|alright|anyway|then|oh|like)\b[\s,.]*)+/i;
const TOKEN = /\S+/g;

/** A word that only acknowledges ("alright", "true", "exactly"), said alone. */
export function isBackchannelWord(word: string): boolean {
  return BACKCHANNEL_WORDS.has(normalisedWord(word));
}

export function isFiller(word: string): boolean {
  return FILLER_WORDS.has(normalisedWord(word));
}

/** A turn or sentence that only acknowledges or hesitates. */
export function isBackchannel(text: string): boolean {
  const words = text.toLowerCase().match(/[\p{L}'’-]+/gu) ?? [];
  return words.every((word) => BACKCHANNEL_WORDS.has(word.replace(/’/g, "'")));
}

/**
 * The sentence as a note-taker would write it: fillers, stutters ("th the"), repeated words
 * ("the the", "is is"), dangling one-letter fragments and spoken openers removed, AMI-style
 * letter spellings ("D_V_D_") joined, first letter capitalised, one final full stop.
 */
export function fluentText(text: string): string {
  // Fillers and one-letter fragments ("w", "m"; not "a" or "I") first, so "we um we" repeats.
  const tokens = (text.replace(/’/g, "'").match(TOKEN) ?? [])
    .map(joinSpelling)
    .filter((token) => !isFiller(token) && !/^[b-hj-z]$/i.test(normalisedWord(token)));
  const kept: string[] = [];
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at] ?? '';
    const word = normalisedWord(token);
    const next = normalisedWord(tokens[at + 1] ?? '');
    if (word === '') {
      // Punctuation: no comma after nothing or after another comma.
      const previous = kept[kept.length - 1] ?? '';
      if (/^[,;:]$/.test(token) && (kept.length === 0 || /[,;:]$/.test(previous))) continue;
      kept.push(token);
      continue;
    }
    // A restart: a fragment the next word completes ("cou could", "functionali functions").
    if (
      next.length > word.length &&
      next.startsWith(word) &&
      !/[,.]$/.test(token) &&
      !COMPLETE_WORDS.has(word)
    ) {
      continue;
    }
    // A repeated word ("the the"), and a repeated pair ("it's it's", "in the in the").
    if (word === next) continue;
    if (
      next !== '' &&
      word === normalisedWord(tokens[at + 2] ?? '') &&
      next === normalisedWord(tokens[at + 3] ?? '')
    ) {
      at++;
      continue;
    }
    kept.push(token);
  }
  let fluent = kept
    .join(' ')
    .replace(/\s+([,.;:?!])/g, '$1')
    .replace(/,(?=[.?!])/g, '')
    .replace(/([.?!])[.?!,]+/g, '$1')
    .trim();
  fluent = fluent.replace(OPENER, '').replace(/^[,.\s]+/, '');
  fluent = fluent.replace(/[,;:\s]+$/, '');
  if (fluent === '') return '';
  if (!/[.?!]$/.test(fluent)) fluent += '.';
  return `${fluent.charAt(0).toLocaleUpperCase('en')}${fluent.slice(1)}`;
}

// Short words that are also the start of longer ones ("a", "in" in "include"): never fragments.
const COMPLETE_WORDS = new Set([
  'a',
  'i',
  'an',
  'in',
  'on',
  'at',
  'to',
  'be',
  'we',
  'he',
  'it',
  'is',
  'as',
  'so',
  'do',
  'no',
  'go',
  'or',
  'of',
  'up',
  'us',
  'me',
  'my',
  'by',
  'the',
  'and',
  'for',
  'can',
  'all',
  'any',
  'not',
  'one',
  'use',
  'out',
  'our',
  'you',
  'she',
  'her',
  'his',
  'get',
  'set',
  'put',
  'new',
  'how',
  'now',
  'see',
  'way',
  'key',
  'per',
  'car',
  'man',
  'some',
  'have',
  'this',
  'that',
  'then',
  'them',
  'they',
  'there',
  'what',
  'with',
  'when',
  'more',
  'make',
  'look',
  'want',
  'just',
  'like',
  'even',
  'over',
  'into',
  'only',
  'each',
  'under',
  'other',
  'again',
  'think',
]);

/** "D_V_D_" and "V_C_R_s" (AMI letter spellings) as "DVD", "VCRs". */
function joinSpelling(token: string): string {
  return /^(?:[A-Za-z]_)+[A-Za-z]?s?[,.?!]?$/.test(token) ? token.replace(/_/g, '') : token;
}

function normalisedWord(token: string): string {
  return token
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/^[^\p{L}\p{N}']+|[^\p{L}\p{N}']+$/gu, '');
}
