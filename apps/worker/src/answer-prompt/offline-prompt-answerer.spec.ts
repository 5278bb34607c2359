import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '@scriptripper/analysis';
import { answerPromptWorkOf } from './answer-prompt.controller';
import { OfflinePromptAnswerer } from './offline-prompt-answerer';
import { promptAnswerDocumentOf, promptAnswerMarkdownOf } from './prompt-answer.document';

const transcript = parseTranscript(
  readFileSync(join(__dirname, '../test-support/planning-call.vtt'), 'utf8'),
);
const answerer = new OfflinePromptAnswerer();

describe('the offline prompt answerer', () => {
  it('cites passages verbatim from the transcript, each with its speaker and start time, for free', async () => {
    const answer = await answerer.answer({ transcript, prompt: 'What about the launch date?' });
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const citation of answer.citations) {
      const segment = transcript.segments.find((each) => each.text === citation.quote);
      expect(segment).toBeDefined();
      expect(citation).toEqual({
        quote: segment?.text,
        speaker: segment?.speakerLabel,
        start_ms: segment?.startMs,
      });
      expect(answer.answer_markdown).toContain(citation.quote);
      expect(answer.answer_markdown).toContain(`**${citation.speaker}**`);
    }
    expect(answer.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cost: 0,
      provider: 'offline',
      model: null,
    });
  });

  it('says so when nothing matches, with no citations', async () => {
    const answer = await answerer.answer({ transcript, prompt: 'kubernetes helm chart' });
    expect(answer.citations).toEqual([]);
    expect(answer.answer_markdown).toMatch(/No passage/);
  });

  it('renders the question as a quote block and names who answered', async () => {
    const answer = await answerer.answer({ transcript, prompt: 'launch date' });
    const document = promptAnswerDocumentOf(
      { prompt_id: 'p', job_id: 'j', prompt: '# not a heading\nlaunch date' },
      answer,
    );
    const markdown = promptAnswerMarkdownOf(document);
    expect(markdown).toContain('> # not a heading\n> launch date');
    expect(markdown).toContain('_Answered by offline._');
    expect(document).toMatchObject({ tokens: 0, cost: 0, provider: 'offline', model: null });
  });
});

describe('AnswerPrompt work messages', () => {
  it('are refused unless every id is a UUID', () => {
    const id = '8b1f7c1e-3c1a-4f7e-9a7b-2f5d1e0c9a11';
    expect(answerPromptWorkOf({ prompt_id: id, job_id: id, user_id: id })).toEqual({
      prompt_id: id,
      job_id: id,
      user_id: id,
    });
    expect(() => answerPromptWorkOf({ prompt_id: id, job_id: 'x', user_id: id })).toThrow(/job_id/);
    expect(() => answerPromptWorkOf(null)).toThrow(/prompt_id/);
  });
});
