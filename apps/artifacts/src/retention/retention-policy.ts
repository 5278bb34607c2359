import { retentionClassOf, type ArtifactKind, type RetentionClass } from '@scriptripper/contracts';

const DAY_MS = 86_400_000;

/** How many days each class of blob is kept (RETENTION_TRANSCRIPT_DAYS, RETENTION_OUTPUT_DAYS). */
export interface RetentionDays {
  readonly transcriptDays: number;
  readonly outputDays: number;
}

export interface RetentionPolicy extends RetentionDays {
  /** A released blob written this recently is kept for now (RETENTION_BLOB_GRACE_SECONDS). */
  readonly blobGraceSeconds: number;
}

/** Artifacts created before these instants have outlived their retention at `now`. */
export function expiryCutoffs(policy: RetentionDays, now: Date): Record<RetentionClass, Date> {
  return {
    transcript: new Date(now.getTime() - policy.transcriptDays * DAY_MS),
    output: new Date(now.getTime() - policy.outputDays * DAY_MS),
  };
}

/** Whether an artifact of `kind` created at `createdAt` is due to expire at `now`. */
export function isDue(kind: ArtifactKind, createdAt: Date, policy: RetentionDays, now: Date): boolean {
  return createdAt.getTime() < expiryCutoffs(policy, now)[retentionClassOf(kind)].getTime();
}
