import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ArtifactsRpc,
  ErrorCodes,
  IdentityEvents,
  JOB_DELETED,
  JOB_EVENTS_STREAM,
  JobEvents,
  LifecycleRpc,
  serviceActor,
  Streams,
  type Actor,
  type ArtifactKind,
  type ArtifactView,
  type MessageEnvelope,
  type Page,
  type RegisterArtifactRequest,
} from '@scriptripper/contracts';
import { LocalBlobStore, type BlobRef } from '@scriptripper/blob-store';
import { StreamPublisher } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { startArtifactsTestApp, type ArtifactsTestApp } from '../test-support/artifacts-test-app';
import { ArtifactErasure } from '../erasure/artifact-erasure.service';
import { RetentionSweep } from './retention-sweep';

const DAY_MS = 86_400_000;
const worker = serviceActor('worker');
const signingKey = randomBytes(32).toString('base64');
const userActor = (): Actor => ({ id: randomUUID(), role: 'user', scopes: ['jobs:read', 'jobs:write'] });

describe('retention and erasure in the artifacts service', () => {
  let database: TestDatabase;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let first: ArtifactsTestApp;
  let second: ArtifactsTestApp;
  let publisher: StreamPublisher;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('artifacts-retention');

  const start = () =>
    startArtifactsTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      DOWNLOAD_SIGNING_KEY: signingKey,
      RETENTION_SWEEP_INTERVAL_MS: '0',
    });

  beforeAll(async () => {
    database = await createTestDatabase('artifacts_retention');
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-retention-blobs-'));
    blobs = new LocalBlobStore(blobRoot);
    first = await start();
    second = await start();
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await first?.close();
    await second?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  const register = async (owner: Actor, jobId: string, kind: ArtifactKind, blob: BlobRef) =>
    first.call<ArtifactView>(
      ArtifactsRpc.register,
      {
        job_id: jobId,
        user_id: owner.id,
        kind,
        blob,
        content_type: 'application/json',
        filename: `${kind}.json`,
      } satisfies RegisterArtifactRequest,
      worker,
    );
  const put = (text = `content ${randomUUID()}`) => blobs.put(Buffer.from(text));
  const envelope = <T>(type: string, data: T, actor: Actor): MessageEnvelope<T> => ({
    id: randomUUID(),
    type,
    correlationId: randomUUID(),
    causationId: null,
    actor,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    traceparent: null,
    data,
  });
  const publishJobEvent = <T>(type: string, data: T) =>
    publisher.publish(JOB_EVENTS_STREAM, envelope(type, data, serviceActor('jobs')));
  const rows = async (jobId: string) =>
    first.app
      .get(EntityManager)
      .fork()
      .getConnection()
      .execute<{ kind: string; expired_at: Date | null }[]>(
        'select kind, expired_at from artifacts.artifacts where job_id = ? order by kind',
        [jobId],
      );
  const eventTypes = async (jobId: string) =>
    (
      await first.app
        .get(EntityManager)
        .fork()
        .getConnection()
        .execute<{ type: string }[]>(
          'select type from artifacts.events where stream_id = ? order by stream_version',
          [`job-artifacts-${jobId}`],
        )
    ).map((row) => row.type);
  const eventually = async <T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const value = await probe();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the condition did not hold within 200 polls');
  };
  /** Past RETENTION_BLOB_GRACE_SECONDS (600 by default) after the blobs of a test were written. */
  const afterGrace = () => new Date(Date.now() + 601_000);
  const erased = (jobId: string) =>
    eventually(
      () => eventTypes(jobId),
      (types) => types.includes('JobArtifactsErased'),
    );
  const refusalOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code,
    );

  it("registers a job's upload when it sees JobCreated, without listing it among the job's outputs", async () => {
    const owner = userActor();
    const jobId = randomUUID();
    const input = await put('WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>Hello\n');
    await register(owner, jobId, 'results_md', await put());

    await publishJobEvent(JobEvents.created, {
      job_id: jobId,
      user_id: owner.id,
      input,
      format: 'webvtt',
    });

    await eventually(
      () => rows(jobId),
      (found) => found.some((row) => row.kind === 'upload'),
    );
    const listed = await first.call<ArtifactView[]>(ArtifactsRpc.listForJob, { job_id: jobId }, owner);
    expect(listed.map((artifact) => artifact.kind)).toEqual(['results_md']);
    const mine = await first.call<Page<ArtifactView>>(LifecycleRpc.listUserArtifacts, {}, owner);
    expect(mine.items.map((artifact) => [artifact.kind, artifact.filename]).sort()).toEqual([
      ['results_md', 'results_md.json'],
      ['upload', 'upload.vtt'],
    ]);
  });

  it('expires transcripts after 30 days and outputs after 180, by an injected clock, deleting their blobs', async () => {
    const owner = userActor();
    const jobId = randomUUID();
    const transcriptBlob = await put();
    const resultsBlob = await put();
    const transcript = await register(owner, jobId, 'transcript', transcriptBlob);
    const results = await register(owner, jobId, 'results_json', resultsBlob);
    const sweep = first.app.get(RetentionSweep);

    expect((await sweep.sweep(new Date(Date.now() + 29 * DAY_MS))).expired).toBe(0);
    expect(await blobs.has(transcriptBlob)).toBe(true);

    await sweep.sweep(new Date(Date.now() + 31 * DAY_MS));
    expect(await rows(jobId)).toEqual([
      { kind: 'results_json', expired_at: null },
      { kind: 'transcript', expired_at: expect.anything() },
    ]);
    expect(await blobs.has(transcriptBlob)).toBe(false);
    expect(await blobs.has(resultsBlob)).toBe(true);
    expect(await refusalOf(first.call(ArtifactsRpc.sign, { artifact_id: transcript.id }, owner))).toBe(
      ErrorCodes.gone,
    );
    const listed = await first.call<ArtifactView[]>(ArtifactsRpc.listForJob, { job_id: jobId }, owner);
    expect(listed.map((artifact) => artifact.id)).toEqual([results.id]);

    await sweep.sweep(new Date(Date.now() + 181 * DAY_MS));
    expect(await blobs.has(resultsBlob)).toBe(false);
    expect(await eventTypes(jobId)).toEqual([
      'ArtifactRegistered',
      'ArtifactRegistered',
      'ArtifactExpired',
      'ArtifactExpired',
    ]);
  });

  it('removes an upload its gateway left unfinished, after six hours, and no finished blob', async () => {
    const kept = await put();
    const incoming = join(blobRoot, '.incoming');
    await mkdir(incoming, { recursive: true });
    await writeFile(join(incoming, `${randomUUID()}.tmp`), 'Ana: the first half of a transcript');
    const sweep = first.app.get(RetentionSweep);

    expect((await sweep.sweep(new Date(Date.now() + 5 * 3_600_000))).abandonedWritesRemoved).toBe(0);
    expect((await sweep.sweep(new Date(Date.now() + 7 * 3_600_000))).abandonedWritesRemoved).toBe(1);
    expect(await readdir(incoming)).toEqual([]);
    expect(await blobs.has(kept.uri)).toBe(true);
  });

  it('records one ArtifactExpired per artifact when two instances sweep at once', async () => {
    const owner = userActor();
    const jobIds = Array.from({ length: 5 }, () => randomUUID());
    for (const jobId of jobIds) await register(owner, jobId, 'transcript', await put());
    const at = new Date(Date.now() + 400 * DAY_MS);

    const outcomes = await Promise.all([
      first.app.get(RetentionSweep).sweep(at),
      second.app.get(RetentionSweep).sweep(at),
      first.app.get(RetentionSweep).expireDue(at),
      second.app.get(RetentionSweep).expireDue(at),
    ]);

    expect(outcomes.some((outcome) => outcome.expired > 0)).toBe(true);
    for (const jobId of jobIds) {
      expect(await eventTypes(jobId)).toEqual(['ArtifactRegistered', 'ArtifactExpired']);
    }
    // Whichever instance skipped (busy) finds nothing left on its next turn.
    expect((await second.app.get(RetentionSweep).sweep(at)).expired).toBe(0);
  });

  it('keeps a blob another job still holds, and deletes it with the last holder', async () => {
    const owner = userActor();
    const [jobA, jobB] = [randomUUID(), randomUUID()];
    const shared = await put('the same bytes uploaded twice');
    await register(owner, jobA, 'transcript', shared);
    await register(owner, jobB, 'transcript', shared);

    await publishJobEvent(JOB_DELETED, { job_id: jobA, user_id: owner.id, at: new Date().toISOString() });
    await eventually(
      () => eventTypes(jobA),
      (types) => types.includes('JobArtifactsErased'),
    );
    await first.app.get(RetentionSweep).releaseBlobs(afterGrace());
    expect(await rows(jobA)).toEqual([]);
    expect(await blobs.has(shared)).toBe(true);

    await publishJobEvent(JOB_DELETED, { job_id: jobB, user_id: owner.id, at: new Date().toISOString() });
    await erased(jobB);
    expect(await rows(jobB)).toEqual([]);
    // Written moments ago: the same bytes may just have been stored again for a holder not yet registered.
    await first.app.get(RetentionSweep).releaseBlobs();
    expect(await blobs.has(shared)).toBe(true);
    expect(await first.app.get(RetentionSweep).releaseBlobs(afterGrace())).toBe(1);
    expect(await blobs.has(shared)).toBe(false);
  });

  it("deletes a deleted job's artifacts and blobs, refuses new ones for it, and stops its downloads", async () => {
    const owner = userActor();
    const jobId = randomUUID();
    const blob = await put();
    const artifact = await register(owner, jobId, 'results_md', blob);
    const signed = await first.call<{ url: string }>(ArtifactsRpc.sign, { artifact_id: artifact.id }, owner);
    const url = new URL(signed.url, 'http://gateway.test');

    await publishJobEvent(JOB_DELETED, { job_id: jobId, user_id: owner.id, at: new Date().toISOString() });
    await erased(jobId);
    await first.app.get(RetentionSweep).releaseBlobs(afterGrace());
    expect(await blobs.has(blob)).toBe(false);

    expect(await eventTypes(jobId)).toEqual(['ArtifactRegistered', 'ArtifactDeleted', 'JobArtifactsErased']);
    expect(await refusalOf(register(owner, jobId, 'results_json', await put()))).toBe(ErrorCodes.conflict);
    const download = first.call(
      ArtifactsRpc.resolveDownload,
      {
        artifact_id: artifact.id,
        exp: url.searchParams.get('exp'),
        kid: url.searchParams.get('kid'),
        sig: url.searchParams.get('sig'),
      },
      serviceActor('gateway'),
    );
    expect(await refusalOf(download)).toBe(ErrorCodes.notFound);
  });

  it("deletes every artifact and blob of a purged user, and nobody else's", async () => {
    const purged = userActor();
    const kept = userActor();
    const purgedBlobs = [await put(), await put(), await put()];
    await register(purged, randomUUID(), 'transcript', purgedBlobs[0] as BlobRef);
    const secondJob = randomUUID();
    await register(purged, secondJob, 'results_md', purgedBlobs[1] as BlobRef);
    await register(purged, secondJob, 'results_json', purgedBlobs[2] as BlobRef);
    const keptBlob = await put();
    const keptJob = randomUUID();
    await register(kept, keptJob, 'results_md', keptBlob);

    await publisher.publish(
      Streams.events('auth'),
      envelope(IdentityEvents.userPurged, { user_id: purged.id }, serviceActor('auth')),
    );

    await eventually(
      async () => (await first.call<Page<ArtifactView>>(LifecycleRpc.listUserArtifacts, {}, purged)).items,
      (items) => items.length === 0,
    );
    await first.app.get(RetentionSweep).releaseBlobs(afterGrace());
    for (const blob of purgedBlobs) expect(await blobs.has(blob)).toBe(false);
    const mine = await first.call<Page<ArtifactView>>(LifecycleRpc.listUserArtifacts, {}, purged);
    expect(mine.items).toEqual([]);
    expect(await blobs.has(keptBlob)).toBe(true);
    expect((await rows(keptJob)).map((row) => row.kind)).toEqual(['results_md']);

    // What arrives for the purged user afterwards is not kept: a late JobCreated, a worker finishing.
    const lateJob = randomUUID();
    const late = envelope(
      JobEvents.created,
      { job_id: lateJob, user_id: purged.id, input: await put(), format: null },
      serviceActor('jobs'),
    );
    await first.app.get(ArtifactErasure).registerUpload(late.data, late);
    expect(await rows(lateJob)).toEqual([]);
    expect(await refusalOf(register(purged, lateJob, 'results_md', await put()))).toBe(ErrorCodes.conflict);
  });
});
