import { Injectable } from '@nestjs/common';
import { bestPassages, formatClockTime } from '@scriptripper/analysis';
import type { PromptAnswer, PromptAnswerer, PromptQuestion } from '../analysis/prompt-answerer';

/** How many passages an offline answer quotes at most. */
const PASSAGES = 3;

/**
 * The built-in answerer, with no LLM and no configuration: the transcript's passages that best
 * match the question by BM25, each segment quoted verbatim with its speaker and timestamp. It
 * finds where something was said; it does not reason about it, and says so.
 */
@Injectable()
export class OfflinePromptAnswerer implements PromptAnswerer {
  readonly name = 'offline';

  answer({ transcript, prompt }: PromptQuestion): Promise<PromptAnswer> {
    const passages = bestPassages(transcript, prompt, { limit: PASSAGES });
    const citations = passages.flatMap((passage) =>
      passage.segments.map((segment) => ({
        quote: segment.text,
        speaker: segment.speakerLabel,
        start_ms: segment.startMs,
      })),
    );
    const lines =
      passages.length === 0
        ? ['No passage of the transcript matches the words of this question.']
        : [
            `The ${passages.length === 1 ? 'passage' : `${passages.length} passages`} of the transcript that best match the question (offline search, BM25):`,
            ...passages.flatMap((passage, index) => [
              '',
              `### ${index + 1}. ${formatClockTime(passage.startMs)} to ${formatClockTime(passage.endMs)}`,
              '',
              ...passage.segments.map(
                (segment) =>
                  `> **${segment.speakerLabel}** [${formatClockTime(segment.startMs)}]: ${segment.text}`,
              ),
            ]),
          ];
    return Promise.resolve({
      answer_markdown: `${lines.join('\n')}\n`,
      citations,
      usage: { input_tokens: 0, output_tokens: 0, cost: 0, provider: 'offline', model: null },
    });
  }
}
