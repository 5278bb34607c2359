import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { retentionClassOf, serviceActor, TRANSCRIPT_KINDS } from '@scriptripper/contracts';
import type { BlobStore } from '@scriptripper/blob-store';
import type { AppendContext } from '@scriptripper/event-store';
import { Artifact } from '../artifact/artifact.entity';
import { ArtifactRepository } from '../artifact/artifact.repository';
import { BLOB_STORE } from '../artifact/artifact.service';
import { ReleasedBlob } from './released-blob.entity';
import { expiryCutoffs, type RetentionPolicy } from './retention-policy';

export const RETENTION_POLICY = Symbol('RETENTION_POLICY');

/** Artifacts expired, and released blobs handled, per transaction. */
const BATCH = 100;

export interface SweepOutcome {
  /** ArtifactExpired events recorded by this sweep. */
  readonly expired: number;
  /** Blobs deleted from the store (released and held by no live artifact). */
  readonly blobsDeleted: number;
  /** Another instance held the expiry turn, so this one only released blobs. */
  readonly busy: boolean;
  /** Unfinished uploads (their process died mid-body) removed from the blob store. */
  readonly abandonedWritesRemoved: number;
}

/** An upload still being written after this long was abandoned (its process died). */
const ABANDONED_WRITE_AFTER_MS = 6 * 3_600_000;

/**
 * The retention sweep, safe with several instances:
 * - expiring takes a transaction-scoped advisory lock, so one instance expires at a time (the
 *   others skip rather than queue); even without it, each expiry is decided on the job's artifact
 *   stream, so two sweeps racing record one ArtifactExpired per artifact (the loser decides again
 *   and finds it expired);
 * - releasing blobs takes `released_blobs` rows with FOR UPDATE SKIP LOCKED, so instances share
 *   the queue without waiting on each other, and deletes a blob only when no live (unexpired,
 *   undeleted) artifact holds the same content. A row goes only after its blob was handled.
 * `now` is a parameter, so tests (and the `retention-sweep` command's `--as-of`) control the clock.
 */
@Injectable()
export class RetentionSweep {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ArtifactRepository) private readonly artifacts: ArtifactRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(RETENTION_POLICY) private readonly policy: RetentionPolicy,
  ) {}

  async sweep(now: Date = new Date()): Promise<SweepOutcome> {
    const { expired, busy } = await this.expireDue(now);
    const blobsDeleted = await this.releaseBlobs(now);
    // A gateway killed mid-upload leaves a partial transcript no artifact knows of: personal data
    // outside retention's reach unless it is swept too.
    const abandonedWritesRemoved = await this.blobs.removeAbandonedWrites(
      new Date(now.getTime() - ABANDONED_WRITE_AFTER_MS),
    );
    return { expired, blobsDeleted, busy, abandonedWritesRemoved };
  }

  /** Records ArtifactExpired for every artifact past its retention at `now`. */
  async expireDue(now: Date): Promise<{ expired: number; busy: boolean }> {
    const context = sweepContext();
    let expired = 0;
    for (;;) {
      const batch = await this.em.fork().transactional(async (em) => {
        const [turn] = await em.execute<{ taken: boolean }[]>(
          'select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as taken',
          [`artifacts-retention:${em.config.get('schema') ?? ''}`],
        );
        if (!turn?.taken) return null;
        const due = await this.due(em, now);
        let recorded = 0;
        for (const artifact of due) {
          const events = await this.artifacts.expire(
            {
              type: 'ExpireArtifact',
              jobId: artifact.jobId,
              kind: artifact.kind,
              retention: retentionClassOf(artifact.kind),
              at: now.toISOString(),
            },
            context,
          );
          recorded += events.length;
        }
        return { found: due.length, recorded };
      });
      if (!batch) return { expired, busy: true };
      expired += batch.recorded;
      // A full batch of which nothing expired would come back forever: stop there.
      if (batch.found < BATCH || batch.recorded === 0) return { expired, busy: false };
    }
  }

  /**
   * Deletes the released blobs no live artifact holds; answers how many were deleted. A blob
   * written within RETENTION_BLOB_GRACE_SECONDS of `now` stays queued for a later sweep: the same
   * content was just stored again, and its new holder (a job's upload, a worker's output) may not
   * be registered yet.
   */
  async releaseBlobs(now: Date = new Date()): Promise<number> {
    const graceStart = now.getTime() - this.policy.blobGraceSeconds * 1000;
    let deleted = 0;
    let after: { releasedAt: Date; uri: string } | null = null;
    for (;;) {
      const from = after;
      const batch: ReleasedBlob[] = await this.em.fork().transactional(async (em) => {
        const released = await em.find(
          ReleasedBlob,
          from
            ? {
                $or: [
                  { releasedAt: { $gt: from.releasedAt } },
                  { releasedAt: from.releasedAt, uri: { $gt: from.uri } },
                ],
              }
            : {},
          {
            orderBy: { releasedAt: 'asc', uri: 'asc' },
            limit: BATCH,
            lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
          },
        );
        for (const blob of released) {
          const holders = await em.count(Artifact, { uri: blob.uri, expiredAt: null });
          if (holders === 0) {
            const written = await this.blobs.writtenAt(blob.uri);
            if (written && written.getTime() > graceStart) continue;
            if (await this.blobs.delete(blob.uri)) deleted++;
          }
          await em.nativeDelete(ReleasedBlob, { uri: blob.uri });
        }
        return released;
      });
      const last = batch.at(-1);
      if (batch.length < BATCH || !last) return deleted;
      after = { releasedAt: last.releasedAt, uri: last.uri };
    }
  }

  private due(em: EntityManager, now: Date): Promise<Artifact[]> {
    const cutoffs = expiryCutoffs(this.policy, now);
    return em.find(
      Artifact,
      {
        expiredAt: null,
        $or: [
          { kind: { $in: [...TRANSCRIPT_KINDS] }, createdAt: { $lt: cutoffs.transcript } },
          { kind: { $nin: [...TRANSCRIPT_KINDS] }, createdAt: { $lt: cutoffs.output } },
        ],
      },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: BATCH },
    );
  }
}

function sweepContext(): AppendContext {
  return {
    actor: serviceActor('artifacts'),
    correlationId: randomUUID(),
    causationId: null,
    traceparent: null,
  };
}
