import { AnalysisItem, KeyphraseItem } from './analysis-result';
import { Sentence, WORD, evidenceOf, isStopword } from './sentences';

const MAX_PHRASE_WORDS = 3;
const MAX_EVIDENCE = 3;

interface Candidate {
  key: string;
  words: string[];
  count: number;
  occurrences: { sentence: Sentence; start: number; end: number }[];
}

/**
 * RAKE-like keyphrases: runs of up to three content words between stopwords and punctuation,
 * scored by how often they occur and how long they are.
 */
export function keyphrasesOf(
  sentences: Sentence[],
  extraStopwords: ReadonlySet<string>,
  limit: number,
): KeyphraseItem[] {
  return rankedCandidates(sentences, extraStopwords)
    .slice(0, limit)
    .map((candidate) => ({
      text: candidate.key,
      count: candidate.count,
      evidence: candidate.occurrences.map(({ sentence, start, end }) =>
        evidenceOf(sentence.segment, sentence.segment.text.slice(start, end)),
      ),
    }));
}

/**
 * Keyphrases that share a word form one topic, named after its strongest phrase, with the first
 * occurrence of each member phrase as evidence.
 */
export function topicsOf(keyphrases: KeyphraseItem[], limit: number): AnalysisItem[] {
  const topics: { stems: Set<string>; members: KeyphraseItem[] }[] = [];
  for (const phrase of keyphrases) {
    const stems = phrase.text.split(' ').map(stem);
    const topic = topics.find((candidate) => stems.some((word) => candidate.stems.has(word)));
    if (topic) {
      topic.members.push(phrase);
      stems.forEach((word) => topic.stems.add(word));
    } else {
      topics.push({ stems: new Set(stems), members: [phrase] });
    }
  }
  return topics.slice(0, limit).map(({ members }) => ({
    text: members[0]?.text ?? '',
    evidence: members.flatMap((member) => member.evidence.slice(0, 1)).slice(0, MAX_EVIDENCE),
  }));
}

function rankedCandidates(sentences: Sentence[], extraStopwords: ReadonlySet<string>): Candidate[] {
  const candidates = new Map<string, Candidate>();
  const wordFrequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const run of contentRuns(sentence, extraStopwords)) {
      const key = run.words.join(' ');
      const candidate = candidates.get(key) ?? { key, words: run.words, count: 0, occurrences: [] };
      candidate.count++;
      // Only the first few become evidence; keeping the rest would cost memory for nothing.
      if (candidate.occurrences.length < MAX_EVIDENCE) {
        candidate.occurrences.push({ sentence, start: run.start, end: run.end });
      }
      candidates.set(key, candidate);
      run.words.forEach((word) => wordFrequency.set(word, (wordFrequency.get(word) ?? 0) + 1));
    }
  }
  const score = (candidate: Candidate) =>
    candidate.count * candidate.words.length +
    candidate.words.reduce((sum, word) => sum + (wordFrequency.get(word) ?? 0), 0) /
      candidate.words.length /
      2;
  return [...candidates.values()]
    .map((candidate) => ({ candidate, score: score(candidate) }))
    .sort((a, b) => b.score - a.score || a.candidate.key.localeCompare(b.candidate.key, 'en'))
    .map(({ candidate }) => candidate);
}

/** Runs of content words inside one sentence, with their span in the segment text. */
function contentRuns(sentence: Sentence, extraStopwords: ReadonlySet<string>) {
  const runs: { words: string[]; start: number; end: number }[] = [];
  let current: { words: string[]; start: number; end: number } | null = null;
  let previousEnd = -1;
  const close = () => {
    if (current && current.words.length <= MAX_PHRASE_WORDS) runs.push(current);
    current = null;
  };
  for (const match of sentence.text.matchAll(WORD)) {
    const word = match[0].toLowerCase().replace(/’/g, "'");
    const start = sentence.start + match.index;
    const end = start + match[0].length;
    const gap = sentence.segment.text.slice(previousEnd, start);
    previousEnd = end;
    const content = word.length > 2 && !isStopword(word) && !extraStopwords.has(word) && !/^\d+$/.test(word);
    if (!content || (current && /[^\s]/.test(gap))) close();
    if (!content) continue;
    if (current) {
      current.words.push(word);
      current.end = end;
    } else {
      current = { words: [word], start, end };
    }
  }
  close();
  return runs;
}

function stem(word: string): string {
  return word.replace(/(?:ies|es|s)$/, '');
}
