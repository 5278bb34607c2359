import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '../parsers/parse-transcript';
import { bestPassages, retrievalTermsOf } from './bm25';

const meeting = parseTranscript(readFileSync(join(__dirname, '../fixtures/meeting.vtt'), 'utf8'));

function plain(lines: string[]) {
  return parseTranscript(lines.join('\n'), { format: 'plain' });
}

describe('retrieval terms', () => {
  it('keeps content words as the analyzer does, lower-cased, without stopwords, fillers or numbers', () => {
    expect(retrievalTermsOf('Um, what did we DECIDE about the launch date in 2024?')).toEqual([
      'decide',
      'launch',
      'date',
    ]);
  });

  it('reduces plurals, so a question in the plural finds the singular', () => {
    expect(retrievalTermsOf('deadlines policies boxes status')).toEqual([
      'deadline',
      'policy',
      'box',
      'status',
    ]);
    expect(retrievalTermsOf('deadline policy box')).toEqual(['deadline', 'policy', 'box']);
  });
});

describe('best passages by BM25', () => {
  it('answers with the segment that says what was asked, verbatim, with its speaker and time', () => {
    const [best] = bestPassages(meeting, 'When is the launch date?');
    expect(best).toBeDefined();
    const texts = best?.segments.map((segment) => segment.text) ?? [];
    expect(texts.join(' ')).toContain('We decided to keep the launch date of April 15');
    const segment = best?.segments.find((each) => each.text.includes('launch date'));
    expect(segment?.speakerLabel).toBe('Ana Lima');
    expect(best?.startMs).toBe(best?.segments[0]?.startMs);
    expect(best?.matchedTerms).toEqual(['launch', 'date']);
    // Quoted as the transcript has it: each segment is one of the transcript's own.
    for (const quoted of best?.segments ?? []) expect(meeting.segments).toContainEqual(quoted);
  });

  it('ranks a rare term above a common one (IDF)', () => {
    const transcript = plain([
      'Ana: The project status is fine.',
      'Bob: The project budget is tight.',
      'Ana: The project timeline slipped.',
      'Bob: Another project note.',
    ]);
    const [best] = bestPassages(transcript, 'project budget', { windowSize: 1 });
    expect(best?.segments.map((segment) => segment.text)).toEqual(['The project budget is tight.']);
  });

  it('prefers the shorter of two segments with the same matches (length normalisation)', () => {
    const transcript = plain([
      'Ana: Invoices overdue, with several customers, regions, accounts, partners, vendors and contracts involved.',
      'Bob: Invoices overdue.',
    ]);
    const [best] = bestPassages(transcript, 'overdue invoices', { windowSize: 1 });
    expect(best?.segments[0]?.speakerLabel).toBe('Bob');
  });

  it('joins adjacent segments into one passage when the answer spans a turn', () => {
    const transcript = plain([
      'Ana: Unrelated opening remarks here.',
      'Bob: The migration starts Monday.',
      'Carla: Dmitri keeps the checklist.',
      'Ana: Closing words about lunch.',
    ]);
    const [best] = bestPassages(transcript, 'migration checklist', { windowSize: 3 });
    expect(best?.segments.map((segment) => segment.speakerLabel)).toEqual(['Bob', 'Carla']);
  });

  it('answers several passages that never overlap, best first, at most the limit', () => {
    const transcript = plain(
      Array.from({ length: 12 }, (_, index) =>
        index % 4 === 0 ? `Ana: The vendor contract needs review ${index}.` : `Bob: Weather talk ${index}.`,
      ),
    );
    const passages = bestPassages(transcript, 'vendor contract', { limit: 2 });
    expect(passages).toHaveLength(2);
    const [first, second] = passages.map((passage) => ({
      score: passage.score,
      ids: passage.segments.map((segment) => segment.id),
    }));
    expect(first?.score).toBeGreaterThanOrEqual(second?.score ?? Infinity);
    expect(first?.ids.some((id) => second?.ids.includes(id))).toBe(false);
  });

  it('is deterministic: ties go to the earlier passage', () => {
    const transcript = plain(['Ana: Budget review.', 'Bob: Nothing else.', 'Carla: Budget review.']);
    const first = bestPassages(transcript, 'budget review', { limit: 1, windowSize: 1 });
    expect(first[0]?.segments[0]?.speakerLabel).toBe('Ana');
    expect(bestPassages(transcript, 'budget review')).toEqual(bestPassages(transcript, 'budget review'));
  });

  it('answers nothing for a question without content words, or that matches nothing', () => {
    expect(bestPassages(meeting, 'what is it that we were?')).toEqual([]);
    expect(bestPassages(meeting, 'kubernetes helm chart')).toEqual([]);
  });
});
