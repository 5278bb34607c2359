import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  gone,
  invalid,
  notFound,
  type Actor,
  type ArtifactView,
  type BlobReference,
  type RegisterArtifactRequest,
  type ResolveDownloadRequest,
  type ResolvedDownload,
  type SignedDownload,
} from '@scriptripper/contracts';
import { BlobIntegrityError, type BlobStore } from '@scriptripper/blob-store';
import type { AppendContext } from '@scriptripper/event-store';
import { DownloadSigner } from '../download/download-signer';
import { mayRead } from '../shared/rpc-context';
import { PurgedUser } from '../erasure/purged-user.entity';
import { Artifact } from './artifact.entity';
import { ArtifactRepository } from './artifact.repository';

export const BLOB_STORE = Symbol('BLOB_STORE');

/** Artifact commands (through the job-artifacts aggregate) and queries (on the read model). */
@Injectable()
export class ArtifactService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ArtifactRepository) private readonly artifacts: ArtifactRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(DownloadSigner) private readonly signer: DownloadSigner,
  ) {}

  /** Records the artifact once its blob is in the store as described; the same (job, kind, blob) again answers it unchanged. */
  async register(request: RegisterArtifactRequest, context: AppendContext): Promise<ArtifactView> {
    // A worker finishing a job of a purged user: its outputs are not kept (the worker stops on CONFLICT).
    if (await this.em.fork().count(PurgedUser, { userId: request.user_id })) {
      throw conflict(`the owner of job ${request.job_id} was purged`);
    }
    await this.checkStored(request.blob);
    const state = await this.artifacts.register(
      {
        type: 'RegisterArtifact',
        artifactId: randomUUID(),
        jobId: request.job_id,
        userId: request.user_id,
        kind: request.kind,
        blob: request.blob,
        contentType: request.content_type,
        filename: request.filename,
      },
      context,
    );
    const registered = state.byKind.get(request.kind);
    if (!registered) throw new Error(`registering ${request.kind} of job ${request.job_id} left no artifact`);
    return viewOf(await this.find(registered.artifactId));
  }

  /**
   * Replaces a registered artifact's content with a checked blob (the worker re-rendered it),
   * keeping its id, so the job's artifacts and their download links point at the new file.
   */
  async revise(request: RegisterArtifactRequest, context: AppendContext): Promise<ArtifactView> {
    await this.checkStored(request.blob);
    const current = await this.em.fork().findOne(Artifact, { jobId: request.job_id, kind: request.kind });
    if (!current) throw notFound(`job ${request.job_id} has no ${request.kind} artifact`);
    await this.artifacts.revise(
      {
        type: 'ReviseArtifact',
        jobId: request.job_id,
        userId: request.user_id,
        kind: request.kind,
        blob: request.blob,
        contentType: request.content_type,
        filename: request.filename,
      },
      current.uri,
      context,
    );
    return viewOf(await this.find(current.id));
  }

  /** A job's artifacts, oldest first: few per job, so all on one page. */
  async listForJob(jobId: string, actor: Actor): Promise<ArtifactView[]> {
    const found = await this.em
      .fork()
      .find(Artifact, { jobId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    if (found.some((artifact) => !mayRead(actor, artifact.userId))) throw notFound(`no job ${jobId}`);
    // The upload is the job's input, not an output; an expired artifact has no content any more.
    return found.filter((artifact) => artifact.kind !== 'upload' && !artifact.expiredAt).map(viewOf);
  }

  async get(artifactId: string, actor: Actor): Promise<ArtifactView> {
    return viewOf(await this.findReadable(artifactId, actor));
  }

  async sign(artifactId: string, actor: Actor): Promise<SignedDownload> {
    const artifact = await this.findReadable(artifactId, actor);
    requireKept(artifact);
    return this.signer.sign(artifact.id);
  }

  /** The blob behind a download link, once its signature, key and expiry hold. */
  async resolveDownload(request: ResolveDownloadRequest): Promise<ResolvedDownload> {
    this.signer.verify(request);
    const artifact = await this.find(request.artifact_id);
    requireKept(artifact);
    return {
      blob: { uri: artifact.uri, sha256: artifact.checksum, size: artifact.size },
      content_type: artifact.contentType,
      filename: artifact.filename,
    };
  }

  private async findReadable(artifactId: string, actor: Actor): Promise<Artifact> {
    const artifact = await this.find(artifactId);
    // Another user's artifact is as absent as one that never was.
    if (!mayRead(actor, artifact.userId)) throw notFound(`no artifact ${artifactId}`);
    return artifact;
  }

  private async find(artifactId: string): Promise<Artifact> {
    const artifact = await this.em.fork().findOne(Artifact, { id: artifactId });
    if (!artifact) throw notFound(`no artifact ${artifactId}`);
    return artifact;
  }

  /** The blob exists, has the size claimed, and its content still hashes to its name. */
  private async checkStored(blob: BlobReference): Promise<void> {
    const stored = await this.blobs.stat(blob.uri);
    if (!stored) throw invalid(`blob ${blob.sha256} is not in the blob store`);
    if (stored.size !== blob.size) {
      throw invalid(`blob ${blob.sha256} has ${stored.size} bytes, not ${blob.size}`);
    }
    try {
      await pipeline(await this.blobs.openReadStream(blob.uri), discard());
    } catch (error) {
      if (error instanceof BlobIntegrityError)
        throw invalid(`blob ${blob.sha256} does not match its checksum`);
      throw error;
    }
  }
}

/** An expired artifact's blob is gone under retention: GONE (410), not a broken download. */
function requireKept(artifact: Artifact): void {
  if (artifact.expiredAt) {
    throw gone(
      `artifact ${artifact.id} expired on ${artifact.expiredAt.toISOString()} under the retention policy`,
    );
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

export function viewOf(artifact: Artifact): ArtifactView {
  return {
    id: artifact.id,
    job_id: artifact.jobId,
    kind: artifact.kind,
    uri: artifact.uri,
    checksum: artifact.checksum,
    size: artifact.size,
    content_type: artifact.contentType,
    filename: artifact.filename,
    created_at: artifact.createdAt.toISOString(),
  };
}
