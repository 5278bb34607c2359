import { parseTranscript } from '@scriptripper/analysis';
import { SHORT_MEETING_VTT } from '../../test-support/short-meeting';
import { keepEvidencedItems, normaliseWhitespace, quoteLocatorOf } from './evidence-check';

const transcript = parseTranscript(SHORT_MEETING_VTT, { format: 'webvtt' });

function evidence(quote: string, segmentId = 's1') {
  return { segment_id: segmentId, start_ms: 0, end_ms: 0, speaker: 'Someone', quote };
}

describe('quoteLocatorOf', () => {
  const locate = quoteLocatorOf(transcript);

  it('finds a quote verbatim, whitespace aside, in the named segment or any other', () => {
    expect(locate('the onboarding   flow\nconfused new users', 's2')?.id).toBe('s2');
    expect(locate('the onboarding flow confused new users', 's5')?.id).toBe('s2');
    expect(normaliseWhitespace('  a \n\t b ')).toBe('a b');
  });

  it('finds a quote running over a segment boundary, at the segment it starts in', () => {
    expect(locate('by Friday. Carla, please draft')?.id).toBe('s4');
  });

  it('finds nothing for a paraphrase, another case, or an empty quote', () => {
    expect(locate('the onboarding flow was confusing')).toBeUndefined();
    expect(locate('THE BETA FEEDBACK')).toBeUndefined();
    expect(locate('   ')).toBeUndefined();
  });
});

describe('keepEvidencedItems', () => {
  it('drops and counts each item with a quote not in the transcript, keeping the rest', () => {
    const output = {
      decisions: [
        {
          text: 'Keep the date',
          evidence: [evidence('We decided to keep the launch date of April 15', 's1')],
        },
        { text: 'Cancel the launch', evidence: [evidence('We decided to cancel the launch')] },
      ],
      tasks: [
        {
          text: 'Update the onboarding',
          owner: { name: 'Bob Chen', resolved: true },
          due: { phrase: 'by Friday', date: null },
          evidence: [
            evidence("I'll update the onboarding screens by Friday."),
            evidence('and also the website'),
          ],
        },
      ],
      topics: [],
    };
    const { output: kept, dropped } = keepEvidencedItems(output, transcript);
    expect(dropped).toBe(2);
    expect(kept['decisions']).toEqual([
      {
        text: 'Keep the date',
        evidence: [
          {
            segment_id: 's3',
            start_ms: 12_500,
            end_ms: 18_000,
            speaker: 'Ana Lima',
            quote: 'We decided to keep the launch date of April 15',
          },
        ],
      },
    ]);
    expect(kept['tasks']).toEqual([]);
    expect(kept['topics']).toEqual([]);
  });

  it('leaves what is not an evidenced item as it is', () => {
    const output = {
      profile: { key: 'meeting', version: 1 },
      tags: ['a', 'b'],
      notes: [{ text: 'no evidence' }],
    };
    expect(keepEvidencedItems(output, transcript)).toEqual({ output, dropped: 0 });
  });
});
