import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  gone,
  notFound,
  type Actor,
  type BlobReference,
  type CompleteExportRequest,
  type ErrorBody,
  type ExportJobSource,
  type ExportView,
  type RequestExportRequest,
  type RequestExportResponse,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { Artifact } from '../artifact/artifact.entity';
import { ArtifactService, viewOf as viewOfArtifact } from '../artifact/artifact.service';
import { mayRead } from '../shared/rpc-context';
import { ExportIdempotencyKey, ExportRecord } from './export.entity';
import { ExportRepository } from './export.repository';

/**
 * Exports of a job or a batch's completed jobs. A request fixes what the export holds (each
 * job's results and transcript blobs, read from this service's own artifacts, which also proves
 * the jobs are the caller's); the worker builds the files and completes it. The files are
 * artifacts with the export's id as their subject, so each export has one ZIP and one JSON.
 */
@Injectable()
export class ExportService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ExportRepository) private readonly exports: ExportRepository,
    @Inject(ArtifactService) private readonly artifacts: ArtifactService,
  ) {}

  async request(
    request: RequestExportRequest,
    owner: Actor,
    context: AppendContext,
  ): Promise<RequestExportResponse> {
    const key = request.idempotency_key;
    const subject = `${request.subject_type}:${request.subject_id}`;
    if (key !== undefined) {
      const earlier = await this.replay(owner.id, key, subject);
      if (earlier) return earlier;
    }
    const rows = await this.em.fork().find(Artifact, { jobId: { $in: [...request.job_ids] } });
    const jobs = request.job_ids.map((jobId) => sourceOf(jobId, rows, owner));
    const exportId = randomUUID();
    const at = new Date();
    try {
      await this.exports.execute(
        exportId,
        context,
        {
          type: 'RequestExport',
          exportId,
          userId: owner.id,
          userRole: owner.role === 'admin' ? 'admin' : 'user',
          subjectType: request.subject_type,
          subjectId: request.subject_id,
          jobs,
          at: at.toISOString(),
        },
        key === undefined
          ? undefined
          : async (em) => {
              await em.insert(ExportIdempotencyKey, {
                userId: owner.id,
                key,
                subject,
                exportId,
                createdAt: at,
              });
            },
      );
    } catch (error) {
      if (key === undefined || !(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.replay(owner.id, key, subject);
      if (!winner) throw error;
      return winner;
    }
    return { export_id: exportId, replayed: false };
  }

  /** The export an earlier request with this key made; the key used for another subject is a CONFLICT. */
  private async replay(userId: string, key: string, subject: string): Promise<RequestExportResponse | null> {
    const earlier = await this.em.fork().findOne(ExportIdempotencyKey, { userId, key });
    if (!earlier) return null;
    if (earlier.subject !== subject) throw conflict('this Idempotency-Key was used with a different request');
    return { export_id: earlier.exportId, replayed: true };
  }

  async get(exportId: string, reader: Actor): Promise<ExportView> {
    const em = this.em.fork();
    const record = await em.findOne(ExportRecord, { id: exportId });
    if (!record || !mayRead(reader, record.userId)) throw notFound(`no export ${exportId}`);
    const artifacts =
      record.artifactIds.length === 0 ? [] : await em.find(Artifact, { id: { $in: record.artifactIds } });
    const byId = new Map(artifacts.map((artifact) => [artifact.id, artifact]));
    return {
      id: record.id,
      subject_type: record.subjectType,
      subject_id: record.subjectId,
      status: record.status,
      artifacts: record.artifactIds.flatMap((id) => {
        const artifact = byId.get(id);
        return artifact ? [viewOfArtifact(artifact)] : [];
      }),
      error: record.error,
      created_at: record.createdAt.toISOString(),
      completed_at: record.completedAt?.toISOString() ?? null,
    };
  }

  /** Registers the built files (again harmlessly, for a retried worker), then completes the export. */
  async complete(request: CompleteExportRequest, context: AppendContext): Promise<void> {
    const { state } = await this.exports.load(request.export_id);
    if (!state) throw notFound(`no export ${request.export_id}`);
    const artifactIds: string[] = [];
    for (const output of request.outputs) {
      const artifact = await this.artifacts.register(
        {
          job_id: request.export_id,
          user_id: state.userId,
          kind: output.kind,
          blob: output.blob,
          content_type: output.content_type,
          filename: output.filename,
        },
        context,
      );
      artifactIds.push(artifact.id);
    }
    await this.exports.execute(request.export_id, context, {
      type: 'CompleteExport',
      artifactIds,
      at: new Date().toISOString(),
    });
  }

  async fail(exportId: string, error: ErrorBody, context: AppendContext): Promise<void> {
    await this.exports.execute(exportId, context, {
      type: 'FailExport',
      error,
      at: new Date().toISOString(),
    });
  }
}

/**
 * A job's outputs as an export reads them. A job with no artifacts, or another user's, is NOT_FOUND
 * (its existence is not the caller's to learn); one without results has nothing to export yet
 * (CONFLICT), one whose results expired nothing any more (GONE). An expired transcript is left
 * out, so the export holds the results only.
 */
function sourceOf(jobId: string, rows: readonly Artifact[], owner: Actor): ExportJobSource {
  const own = rows.filter((row) => row.jobId === jobId);
  if (own.length === 0 || own.some((row) => !mayRead(owner, row.userId))) throw notFound(`no job ${jobId}`);
  // An expired output (retention) is as absent as one never made: its blob may be gone.
  const live = (kind: string) => own.find((candidate) => candidate.kind === kind && !candidate.expiredAt);
  const blobOf = (kind: string): BlobReference | null => {
    const row = live(kind);
    return row ? { uri: row.uri, sha256: row.checksum, size: row.size } : null;
  };
  const results = blobOf('results_json');
  if (!results) {
    if (own.some((row) => row.kind === 'results_json'))
      throw gone(`the results of job ${jobId} have expired`);
    throw conflict(`job ${jobId} has no results to export`);
  }
  return {
    job_id: jobId,
    results_json: results,
    results_md: blobOf('results_md'),
    transcript: blobOf('transcript'),
  };
}
