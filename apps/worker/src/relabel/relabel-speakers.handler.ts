import { Inject, Injectable, Logger } from '@nestjs/common';
import { relabelResults, relabelTranscript, type Transcript } from '@scriptripper/analysis';
import type { BlobStore } from '@scriptripper/blob-store';
import {
  ARTIFACTS_REVISE,
  ArtifactsRpc,
  JobControlRpc,
  ProfilesRpc,
  type ArtifactKind,
  type ArtifactView,
  type ErrorBody,
  type MessageEnvelope,
  type RegisterArtifactRequest,
  type RelabelAppliedRequest,
  type RelabelFailedRequest,
  type RelabelSpeakersWork,
  type RelabelView,
  type ResolvedProfile,
  type SpeakerRenames,
} from '@scriptripper/contracts';
import type { MessageContext } from '@scriptripper/streams';
import { AnalysisFailure, isRefusal, permanentFailureOf } from '../analyze-transcript/analysis-failure';
import { BLOB_STORE, peerContextOf } from '../analyze-transcript/analyze-transcript.handler';
import { PeerClient } from '../peers/peer-client';
import { canonicalJson } from '../results/canonical-json';
import { renderMarkdown } from '../results/markdown-renderer';
import { OutputSchemaValidator } from '../results/output-schema.validator';

export type RelabelOutcome = 'applied' | 'failed' | 'skipped';
export const OUTPUTS_UNAVAILABLE = 'OUTPUTS_UNAVAILABLE';
/** A rename names a label no speaker of the job has. */
export const UNKNOWN_SPEAKER = 'UNKNOWN_SPEAKER';

/**
 * Applies one `RelabelSpeakers` message: reads the renames from jobs and the job's current
 * transcript.json and results.json, renames (merging speakers renamed alike, their statistics
 * counted anew), checks the results against the profile version's schema, renders results.md
 * with its template, and revises the three artifacts (same ids, new blobs). Applying the same
 * renames again yields the same bytes, so a redelivered message changes nothing.
 */
@Injectable()
export class RelabelSpeakersHandler {
  private readonly log = new Logger(RelabelSpeakersHandler.name);
  private readonly validator = new OutputSchemaValidator();

  constructor(
    @Inject(PeerClient) private readonly peers: PeerClient,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async handle(work: RelabelSpeakersWork, envelope: MessageEnvelope): Promise<RelabelOutcome> {
    const context = peerContextOf(envelope);
    const subject = { job_id: work.job_id, relabel_id: work.relabel_id };
    const relabel = await this.peers
      .call<RelabelView>(JobControlRpc.getRelabel, subject, context)
      .catch((error: unknown) => {
        // Gone for good (the renames erased with their owner): nothing to apply.
        if (isRefusal(error)) return null;
        throw error;
      });
    if (!relabel || relabel.status !== 'pending') return 'skipped';
    let artifactIds: string[];
    try {
      artifactIds = await this.apply(work, relabel, context);
    } catch (error) {
      const failure = permanentFailureOf(error);
      if (!failure) throw error;
      await this.reportFailure(work, failure, context);
      return 'failed';
    }
    const reported = await this.report(
      JobControlRpc.relabelApplied,
      { ...subject, artifact_ids: artifactIds },
      context,
    );
    return reported ? 'applied' : 'skipped';
  }

  private async apply(work: RelabelSpeakersWork, relabel: RelabelView, context: MessageContext) {
    const artifacts = await this.peers.call<ArtifactView[]>(
      ArtifactsRpc.listForJob,
      { job_id: work.job_id },
      context,
    );
    const byKind = (kind: ArtifactKind) => {
      const artifact = artifacts.find((each) => each.kind === kind);
      if (!artifact)
        throw new AnalysisFailure(OUTPUTS_UNAVAILABLE, `job ${work.job_id} has no ${kind} to relabel`);
      return artifact;
    };
    const [transcriptArtifact, resultsArtifact, markdownArtifact] = [
      byKind('transcript'),
      byKind('results_json'),
      byKind('results_md'),
    ];
    const transcript = JSON.parse(await this.read(transcriptArtifact)) as Transcript;
    refuseUnknownLabels(work, transcript, relabel.rename);
    const relabelled = relabelTranscript(transcript, relabel.rename);
    const results = relabelResults(
      JSON.parse(await this.read(resultsArtifact)),
      relabelled,
      relabel.rename,
    ) as Record<string, unknown>;
    const profile = await this.peers.call<ResolvedProfile>(ProfilesRpc.resolve, work.profile, context);
    const problems = this.validator.problemsOf(
      { key: profile.key, version: profile.version, schema: profile.output_schema },
      results,
    );
    if (problems) {
      throw new AnalysisFailure(
        'OUTPUT_SCHEMA_MISMATCH',
        `the relabelled results do not satisfy the schema: ${problems}`,
      );
    }
    const revised = [
      await this.revise(work, transcriptArtifact, canonicalJson(relabelled), context),
      await this.revise(work, resultsArtifact, canonicalJson(results), context),
      await this.revise(work, markdownArtifact, renderMarkdown(profile.template, results), context),
    ];
    return revised.map((artifact) => artifact.id);
  }

  /** An output's current content; gone (expired, deleted) is final. */
  private async read(artifact: ArtifactView): Promise<string> {
    try {
      return (await this.blobs.get(artifact.uri)).toString('utf8');
    } catch (error) {
      if (!permanentFailureOf(error)) throw error;
      throw new AnalysisFailure(
        OUTPUTS_UNAVAILABLE,
        `the ${artifact.kind} of job ${artifact.job_id} is gone`,
      );
    }
  }

  private async revise(
    work: RelabelSpeakersWork,
    artifact: ArtifactView,
    content: string,
    context: MessageContext,
  ): Promise<ArtifactView> {
    const blob = await this.blobs.put(Buffer.from(content, 'utf8'));
    const request: RegisterArtifactRequest = {
      job_id: work.job_id,
      user_id: work.user_id,
      kind: artifact.kind,
      blob: { uri: blob.uri, sha256: blob.sha256, size: blob.size },
      content_type: artifact.content_type,
      filename: artifact.filename,
    };
    return this.peers.call<ArtifactView>(ARTIFACTS_REVISE, request, context);
  }

  private async reportFailure(work: RelabelSpeakersWork, error: ErrorBody, context: MessageContext) {
    this.log.warn(
      `relabelling ${work.relabel_id} of job ${work.job_id} failed: ${error.code}: ${error.message}`,
    );
    await this.report(
      JobControlRpc.relabelFailed,
      { job_id: work.job_id, relabel_id: work.relabel_id, error },
      context,
    );
  }

  private async report(
    pattern: string,
    request: RelabelAppliedRequest | RelabelFailedRequest,
    context: MessageContext,
  ) {
    try {
      await this.peers.call(pattern, request, context);
      return true;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.log.log(`jobs refused ${pattern} for relabelling ${request.relabel_id}: ${error.message}`);
      return false;
    }
  }
}

/**
 * A label that names no speaker of the job is a mistake the owner should hear about, not a
 * silent no-op. A label already renamed to its target (the same message delivered again after
 * the outputs were revised) is fine: applying it again changes nothing.
 */
function refuseUnknownLabels(
  work: RelabelSpeakersWork,
  transcript: Transcript,
  rename: SpeakerRenames,
): void {
  const labels = new Set(transcript.speakers.map((speaker) => speaker.label));
  const unknown = Object.entries(rename)
    .filter(([label, name]) => !labels.has(label) && !labels.has(name))
    .map(([label]) => JSON.stringify(label));
  if (unknown.length > 0) {
    throw new AnalysisFailure(
      UNKNOWN_SPEAKER,
      `job ${work.job_id} has no speaker labelled ${unknown.join(', ')}; its speakers are ${[...labels]
        .map((label) => JSON.stringify(label))
        .join(', ')}`,
    );
  }
}
