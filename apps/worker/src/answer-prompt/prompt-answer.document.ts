import type { PromptAnswer } from '../analysis/prompt-answerer';

/** What a custom prompt's artifacts hold: the question, the answer, the passages it rests on. */
export interface PromptAnswerDocument {
  readonly prompt_id: string;
  readonly job_id: string;
  readonly prompt: string;
  readonly answer_markdown: string;
  readonly citations: PromptAnswer['citations'];
  readonly provider: string;
  readonly model: string | null;
  readonly tokens: number;
  readonly cost: number;
}

export function promptAnswerDocumentOf(
  subject: { prompt_id: string; job_id: string; prompt: string },
  answer: PromptAnswer,
): PromptAnswerDocument {
  return {
    ...subject,
    answer_markdown: answer.answer_markdown,
    citations: answer.citations,
    provider: answer.usage.provider,
    model: answer.usage.model,
    tokens: answer.usage.input_tokens + answer.usage.output_tokens,
    cost: answer.usage.cost,
  };
}

/**
 * The Markdown artifact: the question as a quote block (so it reads as the user's words, not a
 * heading they could inject), then the answer as the answerer wrote it.
 */
export function promptAnswerMarkdownOf(document: PromptAnswerDocument): string {
  const question = document.prompt
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
  const by = document.model ? `${document.provider} (${document.model})` : document.provider;
  return `# Custom prompt\n\n${question}\n\n## Answer\n\n${document.answer_markdown.trimEnd()}\n\n_Answered by ${by}._\n`;
}
