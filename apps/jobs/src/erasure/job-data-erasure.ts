import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What one slice of the jobs service deletes of a deleted job or a purged user outside its read
 * models (idempotency keys); read-model rows go with the projections of JobDeleted and
 * UserDataErased, so a rebuild replays them. Events are never deleted.
 */
export interface JobDataEraser {
  /** Names the slice in errors. */
  readonly name: string;
  /** The rows of one job, inside the transaction that appends its JobDeleted. */
  eraseJob(em: EntityManager, job: { readonly jobId: string; readonly userId: string }): Promise<void>;
  /** Every row of a purged user, inside the transaction that handles UserPurged. */
  eraseUser(em: EntityManager, userId: string): Promise<void>;
}

/**
 * The one place a job deletion or a user purge asks every slice to delete its rows. A slice
 * registers its eraser once (e.g. in `onModuleInit`); the erasers run in registration order, in
 * the caller's transaction, so a failing one rolls the whole deletion back and it is retried.
 */
@Injectable()
export class JobDataErasure {
  private readonly erasers: JobDataEraser[] = [];

  register(eraser: JobDataEraser): void {
    if (this.erasers.some((known) => known.name === eraser.name)) {
      throw new Error(`a job data eraser named ${eraser.name} is registered already`);
    }
    this.erasers.push(eraser);
  }

  async eraseJob(em: EntityManager, job: { readonly jobId: string; readonly userId: string }): Promise<void> {
    for (const eraser of this.erasers) await eraser.eraseJob(em, job);
  }

  async eraseUser(em: EntityManager, userId: string): Promise<void> {
    for (const eraser of this.erasers) await eraser.eraseUser(em, userId);
  }
}
