import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Transcript } from '@scriptripper/analysis';
import type { BlobStore } from '@scriptripper/blob-store';
import {
  ArtifactsRpc,
  PromptsRpc,
  promptArtifactKinds,
  type AnswerPromptWork,
  type ArtifactKind,
  type ArtifactView,
  type ErrorBody,
  type MessageEnvelope,
  type PromptAnsweredRequest,
  type PromptFailedRequest,
  type PromptView,
  type RegisterArtifactRequest,
} from '@scriptripper/contracts';
import type { MessageContext } from '@scriptripper/streams';
import { PROMPT_ANSWERER, type PromptAnswerer } from '../analysis/prompt-answerer';
import { AnalysisFailure, isRefusal, permanentFailureOf } from '../analyze-transcript/analysis-failure';
import { BLOB_STORE, peerContextOf } from '../analyze-transcript/analyze-transcript.handler';
import { PeerClient } from '../peers/peer-client';
import { canonicalJson } from '../results/canonical-json';
import { promptAnswerDocumentOf, promptAnswerMarkdownOf } from './prompt-answer.document';

/** How an `AnswerPrompt` message ended; in every case it is acked. */
export type AnswerPromptOutcome = 'answered' | 'failed' | 'skipped';

export const TRANSCRIPT_UNAVAILABLE = 'TRANSCRIPT_UNAVAILABLE';

/**
 * Answers one custom prompt: reads the question from jobs and the job's normalised transcript
 * (`transcript.json`) from artifacts, runs the configured answerer, stores the answer as
 * Markdown (`prompt:<id>`) and JSON (`prompt:<id>_json`), and reports it answered. Every step
 * may run again after a retry and change nothing (content-addressed blobs, one artifact per
 * kind, the same answer reported twice is one). Only what a retry may fix is thrown.
 */
@Injectable()
export class AnswerPromptHandler {
  private readonly log = new Logger(AnswerPromptHandler.name);

  constructor(
    @Inject(PeerClient) private readonly peers: PeerClient,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(PROMPT_ANSWERER) private readonly answerer: PromptAnswerer,
  ) {}

  async handle(work: AnswerPromptWork, envelope: MessageEnvelope): Promise<AnswerPromptOutcome> {
    const context = peerContextOf(envelope);
    const prompt = await this.peers
      .call<PromptView>(PromptsRpc.get, { prompt_id: work.prompt_id }, context)
      .catch((error: unknown) => {
        // Gone for good (its job deleted, its owner purged): nothing to answer.
        if (isRefusal(error)) return null;
        throw error;
      });
    // Gone, or answered or failed already (a redelivery after the report): nothing left to do.
    if (!prompt || prompt.status !== 'pending') return 'skipped';
    let report: PromptAnsweredRequest;
    try {
      report = await this.answer(work, prompt, context);
    } catch (error) {
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      await this.reportFailure(work, failure, context);
      return 'failed';
    }
    return (await this.report(PromptsRpc.answered, report, context)) ? 'answered' : 'skipped';
  }

  private async answer(
    work: AnswerPromptWork,
    prompt: PromptView,
    context: MessageContext,
  ): Promise<PromptAnsweredRequest> {
    const transcript = await this.transcriptOf(work, context);
    const answer = await this.answerer.answer({ transcript, prompt: prompt.prompt });
    const document = promptAnswerDocumentOf(
      { prompt_id: work.prompt_id, job_id: work.job_id, prompt: prompt.prompt },
      answer,
    );
    const kinds = promptArtifactKinds(work.prompt_id);
    const markdown = await this.storeAndRegister(
      work,
      kinds.markdown,
      `prompt-${work.prompt_id}.md`,
      'text/markdown; charset=utf-8',
      promptAnswerMarkdownOf(document),
      context,
    );
    const json = await this.storeAndRegister(
      work,
      kinds.json,
      `prompt-${work.prompt_id}.json`,
      'application/json',
      canonicalJson(document),
      context,
    );
    return {
      prompt_id: work.prompt_id,
      result_artifact_id: markdown.id,
      json_artifact_id: json.id,
      provider: answer.usage.model ? `${answer.usage.provider}:${answer.usage.model}` : answer.usage.provider,
      tokens: document.tokens,
      cost: document.cost,
    };
  }

  /** The job's normalised transcript; gone (expired, deleted) is final, not retried. */
  private async transcriptOf(work: AnswerPromptWork, context: MessageContext): Promise<Transcript> {
    const artifacts = await this.peers.call<ArtifactView[]>(
      ArtifactsRpc.listForJob,
      { job_id: work.job_id },
      context,
    );
    const transcript = artifacts.find((artifact) => artifact.kind === 'transcript');
    if (!transcript) {
      throw new AnalysisFailure(
        TRANSCRIPT_UNAVAILABLE,
        `job ${work.job_id} has no transcript to answer from`,
      );
    }
    const content = await this.blobs.get(transcript.uri).catch((error: unknown) => {
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      throw new AnalysisFailure(TRANSCRIPT_UNAVAILABLE, `the transcript of job ${work.job_id} is gone`);
    });
    return JSON.parse(content.toString('utf8')) as Transcript;
  }

  private async storeAndRegister(
    work: AnswerPromptWork,
    kind: ArtifactKind,
    filename: string,
    contentType: string,
    content: string,
    context: MessageContext,
  ): Promise<ArtifactView> {
    const blob = await this.blobs.put(Buffer.from(content, 'utf8'));
    const request: RegisterArtifactRequest = {
      job_id: work.job_id,
      user_id: work.user_id,
      kind,
      blob: { uri: blob.uri, sha256: blob.sha256, size: blob.size },
      content_type: contentType,
      filename,
    };
    return this.peers.call<ArtifactView>(ArtifactsRpc.register, request, context);
  }

  private async reportFailure(work: AnswerPromptWork, error: ErrorBody, context: MessageContext) {
    this.log.warn(`prompt ${work.prompt_id} of job ${work.job_id} failed: ${error.code}: ${error.message}`);
    const request: PromptFailedRequest = { prompt_id: work.prompt_id, error };
    await this.report(PromptsRpc.failed, request, context);
  }

  /** False when jobs refuses the report for good (the prompt ended otherwise meanwhile). */
  private async report(pattern: string, request: { prompt_id: string }, context: MessageContext) {
    try {
      await this.peers.call(pattern, request, context);
      return true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.log.log(`jobs refused ${pattern} for prompt ${request.prompt_id}: ${error.message}`);
      return false;
    }
  }
}
