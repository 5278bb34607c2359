/**
 * Topic label quality: whether a label is an empty word (filler, stop word, number word,
 * backchannel: `word-lists.ts`), and how close it comes to a gold topic name.
 */
import { porterStem } from './porter-stemmer';
import { f1 } from './rouge';
import { isEmptyWord } from './word-lists';

const LABEL_WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** True when the label has no word that names something ("two", "mm-hmm", "we've", "not"). */
export function isEmptyLabel(label: string): boolean {
  return (label.match(LABEL_WORD) ?? []).every(isEmptyWord);
}

/** Content words of a label or topic name, stemmed, as a set: empty words do not count as a match. */
export function labelTerms(text: string): Set<string> {
  return new Set(
    (text.match(LABEL_WORD) ?? [])
      .filter((word) => !isEmptyWord(word))
      .flatMap((word) => word.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .map((token) => (token.length > 3 ? porterStem(token) : token)),
  );
}

/** The best token-overlap F1 (0..1) of a label against any of the gold topic names. */
export function bestLabelMatch(label: string, goldNames: readonly string[]): number {
  const ours = labelTerms(label);
  let best = 0;
  for (const name of goldNames) {
    const theirs = labelTerms(name);
    let overlap = 0;
    for (const term of ours) if (theirs.has(term)) overlap++;
    best = Math.max(best, f1(overlap, ours.size, theirs.size));
  }
  return best;
}
