// The retention sweep once, as an operational job (e.g. a CronJob, with RETENTION_SWEEP_INTERVAL_MS=0
// on the services): `node dist/apps/artifacts/src/retention/retention-sweep.command.js [--as-of <ISO time>]`.
// Needs DATABASE_URL and BLOB_ROOT; RETENTION_TRANSCRIPT_DAYS, RETENTION_OUTPUT_DAYS and
// RETENTION_BLOB_GRACE_SECONDS as the service.
// `--as-of` sweeps as if it were that time (tests, or expiring ahead of a policy change); it prints
// one JSON line with what it did. Its ArtifactExpired events reach other services through the
// artifacts service's outbox relay, as every append's do.
import { MikroORM } from '@mikro-orm/postgresql';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { EventStore } from '@scriptripper/event-store';
import { ArtifactRepository } from '../artifact/artifact.repository';
import { mikroOrmOptions } from '../mikro-orm.config';
import { artifactsReadModels } from '../projections';
import { RetentionSweep } from './retention-sweep';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} must be set`);
    return value;
  };
  const days = (name: string, fallback: number): number => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of days, at least 0`);
    return value;
  };
  const asOfIndex = process.argv.indexOf('--as-of');
  const asOf = asOfIndex >= 0 ? new Date(process.argv[asOfIndex + 1] ?? '') : new Date();
  if (Number.isNaN(asOf.getTime())) throw new Error('--as-of must be an ISO 8601 time');

  const orm = await MikroORM.init(mikroOrmOptions({ DATABASE_URL: env('DATABASE_URL') }));
  try {
    const eventStore = new EventStore(orm.em, { projections: artifactsReadModels.projections });
    const sweep = new RetentionSweep(
      orm.em,
      new ArtifactRepository(eventStore),
      new LocalBlobStore(env('BLOB_ROOT')),
      {
        transcriptDays: days('RETENTION_TRANSCRIPT_DAYS', 30),
        outputDays: days('RETENTION_OUTPUT_DAYS', 180),
        blobGraceSeconds: days('RETENTION_BLOB_GRACE_SECONDS', 600),
      },
    );
    const outcome = await sweep.sweep(asOf);
    process.stdout.write(`${JSON.stringify({ as_of: asOf.toISOString(), ...outcome })}\n`);
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`retention sweep failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
