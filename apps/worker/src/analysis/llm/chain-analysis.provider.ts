import { analyze, formatClockTime, type Transcript } from '@scriptripper/analysis';
import type { ResolvedProfile } from '@scriptripper/contracts';
import type { AnalysisOutcome, AnalysisProvider, AnalysisRequest } from '../analysis-provider';
import { OfflineAnalysisProvider, profileOutputOf } from '../offline-analysis.provider';
import { keepEvidencedItems } from './evidence-check';
import type { LlmChain } from './llm-chain';
import { chainFor } from './llm-settings';
import type { ProviderSettings } from './provider-settings';
import type { JsonSchema } from './schema-dialects';

/** Sections measured from the transcript rather than asked of a model: counting is not a language task. */
const MEASURED_SECTIONS = ['speaker_statistics'] as const;

const RULES = [
  'Use only what the transcript says.',
  'Every item cites the transcript lines it comes from in "evidence": "segment_id" is the line\'s id ' +
    '(such as s12) and "quote" is copied character for character from that line\'s text, never ' +
    'paraphrased. Items whose quote is not in the transcript are discarded.',
  'Never invent an owner or a date: mark the owner unresolved and leave the date null.',
  'Answer with one JSON object that satisfies the given schema, nothing else.',
].join('\n');

/**
 * Analyses through the provider chain configured for the profile version: the LLMs answer the
 * profile's sections under its prompts; every item's evidence is checked against the
 * transcript (made-up quotes dropped and counted); speaker statistics and transcript facts are
 * measured by the offline analyzer. An `offline` link, or no LLM configured, runs the offline
 * analyzer itself.
 */
export class ChainAnalysisProvider implements AnalysisProvider {
  readonly name = 'configured';

  constructor(
    private readonly settings: Pick<ProviderSettings, 'chain' | 'byProfile'>,
    private readonly chain: LlmChain,
    private readonly offline: AnalysisProvider = new OfflineAnalysisProvider(),
  ) {}

  async analyze(request: AnalysisRequest): Promise<AnalysisOutcome> {
    const targets = chainFor(request.profile, this.settings.chain, this.settings.byProfile);
    const schema = askedSchemaOf(request.profile);
    const outcome = await this.chain.run<AnalysisOutcome | Record<string, unknown>>(
      targets,
      (client) =>
        client.generate({
          system: systemPromptOf(request.profile),
          prompt: userPromptOf(request),
          schema,
          schemaKey: `${request.profile.key}@${request.profile.version}#asked`,
        }),
      () => this.offline.analyze(request),
    );
    if (outcome.target.vendor === 'offline') return outcome.value as AnalysisOutcome;

    const { output: checked, dropped } = keepEvidencedItems(
      outcome.value as Record<string, unknown>,
      request.transcript,
    );
    const measured = analyze(request.transcript, { profile: 'meeting' });
    const facts = profileOutputOf(measured, request.profile);
    const inputTokens = outcome.usage.inputTokens;
    const outputTokens = outcome.usage.outputTokens;
    return {
      // The model's sections first: the metadata and measured sections we set win over anything it adds.
      output: {
        ...checked,
        profile: facts['profile'],
        provider: { name: outcome.target.vendor, model: outcome.target.model },
        transcript: facts['transcript'],
        ...Object.fromEntries(
          MEASURED_SECTIONS.filter((section) => section in propertiesOf(request.profile.output_schema)).map(
            (section) => [section, facts[section]],
          ),
        ),
      },
      usage: {
        words: measured.transcript.words,
        tokens: inputTokens + outputTokens,
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        cost: outcome.cost,
        provider: outcome.target.vendor,
        model: outcome.target.model,
        dropped_items: dropped,
      },
    };
  }
}

/** The profile's output schema without the measured sections: what the model is asked to fill. */
export function askedSchemaOf(profile: Pick<ResolvedProfile, 'output_schema'>): JsonSchema {
  const schema = profile.output_schema as JsonSchema;
  const properties = propertiesOf(schema);
  const measured = new Set<string>(MEASURED_SECTIONS);
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !measured.has(name))),
    ...(Array.isArray(schema['required'])
      ? { required: (schema['required'] as string[]).filter((name) => !measured.has(name)) }
      : {}),
  };
}

function propertiesOf(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return (schema['properties'] as Record<string, unknown> | undefined) ?? {};
}

function systemPromptOf(profile: ResolvedProfile): string {
  const own = profile.prompts['system'];
  return [typeof own === 'string' ? own : 'You analyse a transcript.', RULES].join('\n\n');
}

/** The task: the profile's section prompts and parameters, the meeting date, then the numbered transcript. */
export function userPromptOf(request: AnalysisRequest): string {
  const sections = Object.entries(request.profile.prompts)
    .filter(([name, text]) => name !== 'system' && typeof text === 'string')
    .map(([name, text]) => `- ${name}: ${String(text)}`);
  const parameters = Object.keys(request.profile.parameters).length
    ? [`Parameters: ${JSON.stringify(request.profile.parameters)}`]
    : [];
  const date = request.meetingDate
    ? `The meeting took place on ${request.meetingDate}: resolve due phrases to dates (YYYY-MM-DD) against it.`
    : 'The meeting date is unknown: leave every due date null.';
  return [
    `Fill the sections of the ${request.profile.key} profile:`,
    ...sections,
    ...parameters,
    date,
    '',
    'Transcript, one line per segment as [id] [time] speaker: text',
    transcriptLinesOf(request.transcript),
  ].join('\n');
}

export function transcriptLinesOf(transcript: Transcript): string {
  return transcript.segments
    .map(
      (segment) =>
        `[${segment.id}] [${formatClockTime(segment.startMs)}] ${segment.speakerLabel}: ${segment.text}`,
    )
    .join('\n');
}
