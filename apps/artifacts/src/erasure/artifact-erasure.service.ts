import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  DomainError,
  ErrorCodes,
  serviceActor,
  type ArtifactKind,
  type MessageEnvelope,
  type TranscriptFormatName,
} from '@scriptripper/contracts';
import { appendContextOf } from '@scriptripper/service-runtime';
import type { AppendContext } from '@scriptripper/event-store';
import { Artifact } from '../artifact/artifact.entity';
import { ArtifactRepository } from '../artifact/artifact.repository';
import { exportsHoldingJob } from '../export/exports-holding-job';
import { RetentionSweep } from '../retention/retention-sweep';
import { PurgedUser } from './purged-user.entity';

/** What artifacts reads of JobCreated (on `events:jobs`) to register the job's upload. */
export interface CreatedJob {
  readonly job_id: string;
  readonly user_id: string;
  readonly input: { readonly uri: string; readonly sha256: string; readonly size: number };
  readonly format: TranscriptFormatName | null;
}

const EXTENSIONS: Partial<Record<TranscriptFormatName, string>> = {
  webvtt: 'vtt',
  srt: 'srt',
  otter: 'txt',
  plain: 'txt',
};

/**
 * The artifacts side of the lifecycle, driven by other services' events (each decision is idempotent
 * on the job's artifact stream, so a redelivered event changes nothing):
 * - JobCreated: the job's input blob becomes its `upload` artifact, so retention and erasure see
 *   every blob of a job here (jobs keeps only the uri);
 * - JobDeleted: every artifact of the job is deleted (ArtifactDeleted) and its stream closed;
 * - UserPurged: the same for every job of the user.
 * Released blobs are deleted at once, when no live artifact holds the same content.
 */
@Injectable()
export class ArtifactErasure {
  private readonly logger = new Logger(ArtifactErasure.name);

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ArtifactRepository) private readonly artifacts: ArtifactRepository,
    @Inject(RetentionSweep) private readonly sweep: RetentionSweep,
  ) {}

  async registerUpload(job: CreatedJob, envelope: MessageEnvelope): Promise<void> {
    // JobCreated handled after its owner's UserPurged: nothing of theirs is kept.
    if (await this.em.fork().count(PurgedUser, { userId: job.user_id })) return;
    const extension =
      (job.format && EXTENSIONS[job.format]) ?? (job.format?.endsWith('json') ? 'json' : 'txt');
    try {
      await this.artifacts.register(
        {
          type: 'RegisterArtifact',
          artifactId: randomUUID(),
          jobId: job.job_id,
          userId: job.user_id,
          kind: 'upload' satisfies ArtifactKind,
          blob: job.input,
          contentType: extension === 'json' ? 'application/json' : 'text/plain; charset=utf-8',
          filename: `upload.${extension}`,
        },
        contextOf(envelope),
      );
    } catch (error) {
      // The job was deleted (or its owner purged) before this JobCreated was handled: nothing to keep.
      if (error instanceof DomainError && error.code === ErrorCodes.conflict) return;
      throw error;
    }
  }

  async eraseJob(jobId: string, envelope: MessageEnvelope): Promise<void> {
    await this.artifacts.erase(
      { type: 'EraseJobArtifacts', jobId, reason: 'job-deleted', at: envelope.occurredAt },
      contextOf(envelope),
    );
    // An export's files (subject: the export id) hold the job's content too: they go with it.
    for (const exportId of await exportsHoldingJob(this.em, jobId)) {
      await this.artifacts.erase(
        { type: 'EraseJobArtifacts', jobId: exportId, reason: 'job-deleted', at: envelope.occurredAt },
        contextOf(envelope),
      );
    }
    await this.releaseNow();
  }

  async eraseUser(userId: string, envelope: MessageEnvelope): Promise<void> {
    // First, so what arrives for the user from now on is refused rather than kept.
    await this.em
      .fork()
      .createQueryBuilder(PurgedUser)
      .insert({ userId, purgedAt: new Date(envelope.occurredAt) })
      .onConflict('userId')
      .ignore()
      .execute();
    const artifacts = await this.em.fork().find(Artifact, { userId }, { fields: ['jobId'] });
    for (const jobId of new Set(artifacts.map((artifact) => artifact.jobId))) {
      await this.artifacts.erase(
        { type: 'EraseJobArtifacts', jobId, reason: 'user-purged', at: envelope.occurredAt },
        contextOf(envelope),
      );
    }
    await this.releaseNow();
  }

  /** The scheduled sweep would release them too; at once is what a user who deletes expects. */
  private async releaseNow(): Promise<void> {
    await this.sweep.releaseBlobs().catch((error: unknown) => {
      this.logger.warn(`releasing blobs failed, the next sweep retries: ${String(error)}`);
    });
  }
}

/** Caused by the event that asked for it, by the artifacts service itself. */
function contextOf(envelope: MessageEnvelope): AppendContext {
  return { ...appendContextOf(envelope), actor: serviceActor('artifacts') };
}
