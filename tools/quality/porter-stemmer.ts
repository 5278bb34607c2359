/**
 * Martin Porter's 1980 stemmer (the published algorithm, with the two later fixes of his own
 * reference code: "bli" -> "ble" and "logi" -> "log"), so ROUGE counts "decided" and
 * "decision" near each other as ROUGE-1.5.5 -m and Google's rouge-score do. Kept here, not
 * taken from the product, so the yardstick does not move when the analyzer changes.
 */
const STEP2: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const STEP3: Record<string, string> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
};

const CONSONANT = '[^aeiou]';
const VOWEL = '[aeiouy]';
const CONSONANTS = `${CONSONANT}[^aeiouy]*`;
const VOWELS = `${VOWEL}[aeiou]*`;
/** measure > 0, measure == 1, measure > 1, and "contains a vowel". */
const MEASURE_ABOVE_0 = new RegExp(`^(${CONSONANTS})?${VOWELS}${CONSONANTS}`);
const MEASURE_IS_1 = new RegExp(`^(${CONSONANTS})?${VOWELS}${CONSONANTS}(${VOWELS})?$`);
const MEASURE_ABOVE_1 = new RegExp(`^(${CONSONANTS})?${VOWELS}${CONSONANTS}${VOWELS}${CONSONANTS}`);
const HAS_VOWEL = new RegExp(`^(${CONSONANTS})?${VOWEL}`);
/** Ends consonant-vowel-consonant, the last not w, x or y (*o in the paper). */
const ENDS_CVC = new RegExp(`^${CONSONANTS}${VOWEL}[^aeiouwxy]$`);

const STEP2_SUFFIX =
  /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_SUFFIX = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_SUFFIX = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;

/** The Porter stem of one lower-case word. */
export function porterStem(input: string): string {
  if (input.length < 3) return input;
  // A leading y is a consonant: upper-case keeps the vowel patterns from reading it as one.
  const leadingY = input.startsWith('y');
  let word = leadingY ? `Y${input.slice(1)}` : input;

  // Step 1a: plurals.
  if (/^(.+?)(ss|i)es$/.test(word)) word = word.replace(/^(.+?)(ss|i)es$/, '$1$2');
  else if (/^(.+?)([^s])s$/.test(word)) word = word.replace(/^(.+?)([^s])s$/, '$1$2');

  // Step 1b: -eed, -ed, -ing.
  const eed = /^(.+?)eed$/.exec(word);
  const edIng = /^(.+?)(ed|ing)$/.exec(word);
  if (eed) {
    if (MEASURE_ABOVE_0.test(eed[1] ?? '')) word = word.slice(0, -1);
  } else if (edIng) {
    const stem = edIng[1] ?? '';
    if (HAS_VOWEL.test(stem)) {
      word = stem;
      if (/(at|bl|iz)$/.test(word)) word = `${word}e`;
      else if (/([^aeiouylsz])\1$/.test(word)) word = word.slice(0, -1);
      else if (ENDS_CVC.test(word)) word = `${word}e`;
    }
  }

  // Step 1c: y -> i after a vowel somewhere in the stem.
  const y = /^(.+?)y$/.exec(word);
  if (y && HAS_VOWEL.test(y[1] ?? '')) word = `${y[1]}i`;

  // Steps 2 and 3: double and single suffixes to their base.
  for (const [pattern, replacements] of [
    [STEP2_SUFFIX, STEP2],
    [STEP3_SUFFIX, STEP3],
  ] as const) {
    const match = pattern.exec(word);
    const stem = match?.[1] ?? '';
    if (match && MEASURE_ABOVE_0.test(stem)) word = stem + (replacements[match[2] ?? ''] ?? '');
  }

  // Step 4: remove a suffix when the rest is long enough.
  const step4 = STEP4_SUFFIX.exec(word);
  const ion = /^(.+?)(s|t)(ion)$/.exec(word);
  if (step4) {
    if (MEASURE_ABOVE_1.test(step4[1] ?? '')) word = step4[1] ?? word;
  } else if (ion) {
    const stem = `${ion[1]}${ion[2]}`;
    if (MEASURE_ABOVE_1.test(stem)) word = stem;
  }

  // Step 5: a final e, and -ll.
  const finalE = /^(.+?)e$/.exec(word);
  if (finalE) {
    const stem = finalE[1] ?? '';
    if (MEASURE_ABOVE_1.test(stem) || (MEASURE_IS_1.test(stem) && !ENDS_CVC.test(stem))) word = stem;
  }
  if (/ll$/.test(word) && MEASURE_ABOVE_1.test(word)) word = word.slice(0, -1);

  return leadingY ? `y${word.slice(1)}` : word;
}
