import type { PromptAnswer, PromptAnswerer, PromptCitation, PromptQuestion } from '../prompt-answerer';
import { transcriptLinesOf } from './chain-analysis.provider';
import { quoteLocatorOf } from './evidence-check';
import type { LlmChain } from './llm-chain';
import type { ProviderTarget } from './llm-settings';
import type { JsonSchema } from './schema-dialects';

/** What the model is asked for: an answer and the transcript lines it rests on. */
const ANSWER_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['answer_markdown', 'citations'],
  properties: {
    answer_markdown: { type: 'string', minLength: 1, description: 'The answer, in Markdown' },
    citations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['segment_id', 'quote'],
        properties: {
          segment_id: { type: 'string', description: 'The id of the transcript line, such as s12' },
          quote: {
            type: 'string',
            minLength: 1,
            description: 'Copied character for character from that line',
          },
        },
      },
    },
  },
};

const SYSTEM =
  'You answer questions about one transcript, using only what it says; when it does not say, answer so. ' +
  'Cite the lines your answer rests on: "segment_id" is the line\'s id and "quote" is copied character ' +
  'for character from its text. Citations whose quote is not in the transcript are discarded. ' +
  'Answer with one JSON object that satisfies the given schema, nothing else.';

/**
 * Answers custom prompts through the provider chain; every citation's quote is checked
 * against the transcript (made-up ones are dropped) and takes its speaker and time from the
 * segment it is found in. An `offline` link hands the question to the offline answerer.
 */
export class LlmPromptAnswerer implements PromptAnswerer {
  readonly name = 'configured';

  constructor(
    private readonly targets: readonly ProviderTarget[],
    private readonly chain: LlmChain,
    private readonly offline: PromptAnswerer,
  ) {}

  async answer(question: PromptQuestion): Promise<PromptAnswer> {
    const outcome = await this.chain.run<PromptAnswer | Record<string, unknown>>(
      this.targets,
      (client) =>
        client.generate({
          system: SYSTEM,
          prompt: `Question: ${question.prompt}\n\nTranscript, one line per segment as [id] [time] speaker: text\n${transcriptLinesOf(question.transcript)}`,
          schema: ANSWER_SCHEMA,
          schemaKey: 'prompt-answer',
        }),
      () => this.offline.answer(question),
    );
    if (outcome.target.vendor === 'offline') return outcome.value as PromptAnswer;

    const answer = outcome.value as {
      answer_markdown: string;
      citations: { segment_id: string; quote: string }[];
    };
    const locate = quoteLocatorOf(question.transcript);
    const citations: PromptCitation[] = [];
    for (const citation of answer.citations) {
      const segment = locate(citation.quote, citation.segment_id);
      if (segment)
        citations.push({ quote: citation.quote, speaker: segment.speakerLabel, start_ms: segment.startMs });
    }
    return {
      answer_markdown: answer.answer_markdown,
      citations,
      usage: {
        input_tokens: outcome.usage.inputTokens,
        output_tokens: outcome.usage.outputTokens,
        cost: outcome.cost,
        provider: outcome.target.vendor,
        model: outcome.target.model,
      },
    };
  }
}
