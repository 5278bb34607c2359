import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { parseTranscript, type Transcript } from '@scriptripper/analysis';
import type { BlobStore } from '@scriptripper/blob-store';
import { observeAnalysis } from '@scriptripper/observability';
import {
  ArtifactsRpc,
  JobsRpc,
  ProfilesRpc,
  serviceActor,
  type AnalyzeTranscriptWork,
  type ArtifactKind,
  type ArtifactView,
  type BlobReference,
  type ErrorBody,
  type JobHeartbeatRequest,
  type JobMetrics,
  type MarkJobCompletedRequest,
  type MarkJobFailedRequest,
  type MessageEnvelope,
  type RegisterArtifactRequest,
  type ResolvedProfile,
  type ResolveProfileRequest,
} from '@scriptripper/contracts';
import type { MessageContext } from '@scriptripper/streams';
import { ANALYSIS_PROVIDER, type AnalysisProvider, type AnalysisUsage } from '../analysis/analysis-provider';
import { WorkerConfig } from '../config';
import { PeerClient } from '../peers/peer-client';
import { canonicalJson } from '../results/canonical-json';
import { renderMarkdown } from '../results/markdown-renderer';
import { OutputSchemaValidator } from '../results/output-schema.validator';
import { AnalysisFailure, AnalysisFailureCodes, isRefusal, permanentFailureOf } from './analysis-failure';
import { JobHeartbeat } from './job-heartbeat';

export const BLOB_STORE = Symbol('BLOB_STORE');

/** How a work message ended; in every case it is acked. */
export type AnalysisWorkOutcome = 'completed' | 'failed' | 'refused';

/** One output of a job: what is stored and registered with artifacts. */
interface JobOutput {
  readonly kind: ArtifactKind;
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

/**
 * Runs one `AnalyzeTranscript` work message: report the start, parse, analyse through the
 * pinned profile version, validate, render, store, register, report the end. Every step may
 * run again after a crash or a retry and change nothing: blobs are content-addressed,
 * artifacts are one per (job, kind), and each report carries the attempt, so jobs refuses
 * a stale one. It throws only what a retry may fix, so the transport keeps the message
 * pending and retries it; anything final is reported to jobs and the message acked.
 */
@Injectable()
export class AnalyzeTranscriptHandler {
  private readonly log = new Logger(AnalyzeTranscriptHandler.name);

  constructor(
    @Inject(PeerClient) private readonly peers: PeerClient,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(ANALYSIS_PROVIDER) private readonly provider: AnalysisProvider,
    @Inject(OutputSchemaValidator) private readonly validator: OutputSchemaValidator,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  async handle(work: AnalyzeTranscriptWork, envelope: MessageEnvelope): Promise<AnalysisWorkOutcome> {
    const context = peerContextOf(envelope);
    const job = { job_id: work.job_id, attempt: work.attempt };
    if (!(await this.report(JobsRpc.markStarted, job, context))) return 'refused';

    let completion: MarkJobCompletedRequest;
    try {
      completion = await this.analyseWithHeartbeat(work, context);
    } catch (error) {
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      await this.reportFailure(work, failure, context);
      return 'failed';
    }
    return (await this.report(JobsRpc.markCompleted, completion, context)) ? 'completed' : 'refused';
  }

  /**
   * The analysis, with `jobs.heartbeat` every JOB_HEARTBEAT_MS while it runs; the beats end
   * before the completion or failure is reported, whatever the analysis did.
   */
  private async analyseWithHeartbeat(
    work: AnalyzeTranscriptWork,
    context: MessageContext,
  ): Promise<MarkJobCompletedRequest> {
    const job: JobHeartbeatRequest = { job_id: work.job_id, attempt: work.attempt };
    const heartbeat = new JobHeartbeat(
      () => this.report(JobsRpc.heartbeat, job, context),
      this.config.JOB_HEARTBEAT_MS,
      this.log,
      `job ${work.job_id} attempt ${work.attempt}`,
    ).start();
    try {
      return await this.analyse(work, context);
    } finally {
      await heartbeat.stop();
    }
  }

  private async analyse(
    work: AnalyzeTranscriptWork,
    context: MessageContext,
  ): Promise<MarkJobCompletedRequest> {
    const source = await this.blobs.get(work.input.uri);
    const transcript = parseTranscript(source.toString('utf8'), {
      ...(work.format ? { format: work.format } : {}),
      ...(work.filename ? { filename: work.filename } : {}),
    });
    const transcriptOutput = output(
      'transcript',
      'transcript.json',
      'application/json',
      canonicalJson(transcript),
    );
    const storedTranscript = await this.store(transcriptOutput);

    const profile = await this.peers.call<ResolvedProfile>(
      ProfilesRpc.resolve,
      { key: work.profile.key, version: work.profile.version } satisfies ResolveProfileRequest,
      context,
    );
    const startedAt = performance.now();
    const timing = { provider: this.provider.name, profile: profile.key };
    let analysis: Awaited<ReturnType<AnalysisProvider['analyze']>>;
    try {
      analysis = await this.provider.analyze({ transcript, profile, meetingDate: work.meeting_date });
    } catch (error) {
      observeAnalysis({ ...timing, outcome: 'error' }, (performance.now() - startedAt) / 1000);
      throw error;
    }
    const { output: results, usage } = analysis;
    observeAnalysis({ ...timing, outcome: 'ok' }, (performance.now() - startedAt) / 1000);
    const durationMs = Math.round(performance.now() - startedAt);
    this.checkOutput(profile, results);

    const stored = [
      storedTranscript,
      await this.store(output('results_json', 'results.json', 'application/json', canonicalJson(results))),
      await this.store(
        output('results_md', 'results.md', 'text/markdown; charset=utf-8', this.render(profile, results)),
      ),
    ];
    const artifacts = await Promise.all(stored.map((item) => this.register(work, item, context)));
    return {
      job_id: work.job_id,
      attempt: work.attempt,
      metrics: metricsOf(transcript, usage, durationMs),
      cost: usage.cost,
      artifact_ids: artifacts.map((artifact) => artifact.id),
    };
  }

  private checkOutput(profile: ResolvedProfile, results: Record<string, unknown>): void {
    const problems = this.validator.problemsOf(
      { key: profile.key, version: profile.version, schema: profile.output_schema },
      results,
    );
    if (problems) {
      throw new AnalysisFailure(
        AnalysisFailureCodes.outputSchemaMismatch,
        `the ${this.provider.name} analysis does not satisfy the output schema of ${profile.key} v${profile.version}: ${problems}`,
      );
    }
  }

  private render(profile: ResolvedProfile, results: Record<string, unknown>): string {
    try {
      return renderMarkdown(profile.template, results);
    } catch (error) {
      throw new AnalysisFailure(
        AnalysisFailureCodes.renderFailed,
        `the template of ${profile.key} v${profile.version} did not render: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async store(item: JobOutput): Promise<JobOutput & { blob: BlobReference }> {
    const blob = await this.blobs.put(Buffer.from(item.content, 'utf8'));
    return { ...item, blob };
  }

  private register(
    work: AnalyzeTranscriptWork,
    item: JobOutput & { blob: BlobReference },
    context: MessageContext,
  ): Promise<ArtifactView> {
    const request: RegisterArtifactRequest = {
      job_id: work.job_id,
      user_id: work.user_id,
      kind: item.kind,
      blob: { uri: item.blob.uri, sha256: item.blob.sha256, size: item.blob.size },
      content_type: item.contentType,
      filename: item.filename,
    };
    return this.peers.call<ArtifactView>(ArtifactsRpc.register, request, context);
  }

  private async reportFailure(
    work: AnalyzeTranscriptWork,
    error: ErrorBody,
    context: MessageContext,
  ): Promise<void> {
    this.log.warn(`job ${work.job_id} attempt ${work.attempt} failed: ${error.code}: ${error.message}`);
    const request: MarkJobFailedRequest = { job_id: work.job_id, attempt: work.attempt, error };
    await this.report(JobsRpc.markFailed, request, context);
  }

  /**
   * Sends a report to jobs; false when jobs refuses it for good (the job was cancelled, has
   * ended, or a newer attempt owns it): there is nothing left to do for this message.
   */
  private async report(
    pattern: string,
    request: { job_id: string; attempt: number },
    context: MessageContext,
  ) {
    try {
      await this.peers.call(pattern, request, context);
      return true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.log.log(
        `jobs refused ${pattern} for job ${request.job_id} attempt ${request.attempt}: ${error.message}`,
      );
      return false;
    }
  }
}

/** The worker acts as itself towards peers, within the work's correlation, caused by the work message. */
export function peerContextOf(envelope: MessageEnvelope): MessageContext {
  return {
    actor: serviceActor('worker'),
    correlationId: envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  };
}

function output(kind: ArtifactKind, filename: string, contentType: string, content: string): JobOutput {
  return { kind, filename, contentType, content };
}

function metricsOf(transcript: Transcript, usage: AnalysisUsage, durationMs: number): JobMetrics {
  return {
    duration_ms: durationMs,
    words: usage.words,
    segments: transcript.segments.length,
    speakers: transcript.speakers.length,
    tokens: usage.tokens,
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    provider: usage.provider,
    model: usage.model,
    dropped_items: usage.dropped_items,
  };
}
