import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { isStopword } from './sentences';
import { isBackchannelWord, isFiller } from './spoken';

/** Nouns a topic is never named after: they say nothing about what was discussed. */
const VAGUE_NOUNS = new Set([
  'thing',
  'things',
  'stuff',
  'something',
  'anything',
  'everything',
  'nothing',
  'kind',
  'sort',
  'bit',
  'lot',
  'lots',
  'way',
  'ways',
  'point',
  'question',
  'questions',
  'idea',
  'ideas',
  'time',
  'times',
  'moment',
  'minute',
  'minutes',
  'second',
  'seconds',
  'people',
  'guys',
  'guy',
  'yeah',
  'okay',
  'mm-hmm',
  'hmm',
  'mm',
  'uh',
  'um',
  'gonna',
  'wanna',
  'part',
  'case',
  'fact',
  'problem',
  'example',
  'number',
  'end',
  'start',
  'whatever',
  'one',
  'ones',
  'others',
  'today',
  'tomorrow',
  'yesterday',
  'day',
  'days',
  'week',
  'weeks',
  'year',
  'years',
  'meeting',
  'slide',
  'slides',
  'presentation',
  'percent',
  'sense',
  'chair',
  'mr',
  'mrs',
  'ms',
  'dr',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'hour',
  'hours',
  'person',
  'diolch',
  'fawr',
]);
const NUMBER_WORDS =
  /^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|first|second|third|half|dozen)$/;
const MAX_WORDS = 3;

/** The English model loads once, on first use (about half a second), and is reused. */
let engine: WinkMethods | null = null;
function nlp(): WinkMethods {
  engine ??= winkNLP(model);
  return engine;
}

/**
 * Noun phrases of a text, by part of speech (wink-nlp's English model): runs of adjectives and
 * nouns ending in a noun, at most three words, lower-case (acronyms kept as written), with no
 * filler, stopword, number or vague noun ("thing", "kind") in them. `ignore` holds words
 * that are not topics either (speakers' names).
 */
export function nounPhrasesOf(text: string, ignore: ReadonlySet<string>): string[] {
  const tokens = nlp().readDoc(text).tokens();
  const words = tokens.out();
  const tags = tokens.out(nlp().its.pos);
  const phrases: string[] = [];
  let run: { word: string; tag: string }[] = [];
  const close = () => {
    // A phrase ends in its noun; adjectives after the last noun are not part of it.
    while (run.length > 0 && !isNounTag(run[run.length - 1]?.tag ?? '')) run.pop();
    // Only the last MAX_WORDS words: "remote control battery" of "new remote control battery".
    const kept = run.slice(-MAX_WORDS);
    while (kept.length > 0 && kept[0]?.tag === 'ADJ' && kept.length > 1 && isWeakAdjective(kept[0].word))
      kept.shift();
    if (kept.length > 0 && !(kept.length === 1 && kept[0]?.tag === 'ADJ')) {
      phrases.push(kept.map(({ word }) => displayWord(word)).join(' '));
    }
    run = [];
  };
  words.forEach((word, at) => {
    const tag = tags[at] ?? '';
    if ((tag === 'NOUN' || tag === 'PROPN' || tag === 'ADJ') && isTopicWord(word, ignore)) {
      run.push({ word, tag });
    } else {
      close();
    }
  });
  close();
  return phrases;
}

function isNounTag(tag: string): boolean {
  return tag === 'NOUN' || tag === 'PROPN';
}

/** Adjectives that judge rather than describe ("good idea", "whole thing"). */
function isWeakAdjective(word: string): boolean {
  return /^(?:good|great|nice|big|small|little|whole|other|different|same|certain|main|real|important|new|old|next|last|first|few|many|much|more|most|sure|right|able|possible|basic|general|particular|specific|simple|normal|easy|hard|best|better|bad|own)$/i.test(
    word,
  );
}

function isTopicWord(word: string, ignore: ReadonlySet<string>): boolean {
  const lower = word.toLowerCase().replace(/’/g, "'");
  return (
    /^[\p{L}][\p{L}\p{N}'-]*$/u.test(word) &&
    lower.length > 1 &&
    // "nnn", "hmmm": transcribed sounds, not words.
    /[aeiouy]/.test(lower) &&
    !/^(.)\1+$/.test(lower) &&
    !lower.includes("'") &&
    !isFiller(lower) &&
    !isBackchannelWord(lower) &&
    !/^(?:gotta|gonna|wanna|kinda|sorta|dunno)$/.test(lower) &&
    !isStopword(lower) &&
    !VAGUE_NOUNS.has(lower) &&
    !VAGUE_NOUNS.has(lower.replace(/s$/, '')) &&
    !NUMBER_WORDS.test(lower) &&
    !ignore.has(lower) &&
    !/_/.test(word)
  );
}

/** Acronyms as written ("LCD"), every other word in lower case. */
function displayWord(word: string): string {
  return /^[\p{Lu}\d]{2,}s?$/u.test(word) ? word : word.toLowerCase();
}
