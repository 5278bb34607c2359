import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type { INestMicroservice } from '@nestjs/common';
import type { ArtifactView, ResolveDownloadRequest, VerifiedApiToken } from '@scriptripper/contracts';
import { ArtifactsRpc, AuthRpc, ErrorCodes, JobsRpc } from '@scriptripper/contracts';
import { LocalBlobStore, type BlobRef } from '@scriptripper/blob-store';
import { RedisStreamsContext, RedisStreamsServer, StreamsExceptionFilter } from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const OWNER_TOKEN = 'srt_owner';
const OWNER: VerifiedApiToken = { token_id: 't-1', user_id: 'owner-1', role: 'user', scopes: ['jobs:read'] };
const GOOD_SIG = 'a'.repeat(64);
const EXPIRED_SIG = 'e'.repeat(64);

/** What the stand-ins know: one job of the owner, its artifacts, and which gateway actors asked. */
const world = {
  jobId: randomUUID(),
  artifacts: new Map<string, { view: ArtifactView; blob: BlobRef }>(),
  resolvedBy: [] as string[],
};

const refuse = (code: string, message: string) => {
  throw new RpcException({ code, message, retryable: false });
};

@Controller()
class AuthStandIn {
  @MessagePattern(AuthRpc.verifyApiToken)
  verify(@Payload() data: { token: string }) {
    return data.token === OWNER_TOKEN ? OWNER : refuse(ErrorCodes.unauthorized, 'unknown API token');
  }

  @MessagePattern(AuthRpc.jwks)
  jwks() {
    return { keys: [] };
  }
}

@Controller()
class JobsStandIn {
  @MessagePattern(JobsRpc.get)
  get(@Payload() data: { job_id: string }, @Ctx() context: RedisStreamsContext) {
    const mine = data.job_id === world.jobId && context.getEnvelope().actor.id === OWNER.user_id;
    return mine ? { id: world.jobId } : refuse(ErrorCodes.notFound, 'no such job');
  }
}

@Controller()
class ArtifactsStandIn {
  @MessagePattern(ArtifactsRpc.listForJob)
  list(@Payload() data: { job_id: string }) {
    return [...world.artifacts.values()].filter((a) => a.view.job_id === data.job_id).map((a) => a.view);
  }

  @MessagePattern(ArtifactsRpc.sign)
  sign(@Payload() data: { artifact_id: string }) {
    return { url: `/api/v1/downloads/${data.artifact_id}?exp=1&kid=k1&sig=${GOOD_SIG}`, expires_at: 'soon' };
  }

  @MessagePattern(ArtifactsRpc.resolveDownload)
  resolve(@Payload() data: ResolveDownloadRequest, @Ctx() context: RedisStreamsContext) {
    world.resolvedBy.push(context.getEnvelope().actor.id);
    if (data.sig === EXPIRED_SIG) return refuse(ErrorCodes.forbidden, 'this download link has expired');
    if (data.sig !== GOOD_SIG) return refuse(ErrorCodes.forbidden, 'this download link is not valid');
    const found = world.artifacts.get(data.artifact_id);
    if (!found) return refuse(ErrorCodes.notFound, 'no artifact');
    return { blob: found.blob, content_type: found.view.content_type, filename: found.view.filename };
  }
}

async function startStandIn(
  service: string,
  controller: new () => object,
  redisUrl: string,
  keyPrefix: string,
): Promise<INestMicroservice> {
  @Module({ controllers: [controller] })
  class StandInModule {}
  const server = new RedisStreamsServer({
    redisUrl,
    keyPrefix,
    service,
    streams: [],
    blockMs: 200,
    metricsRegistry: new Registry(),
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
    strategy: server,
    logger: false,
  });
  app.useGlobalFilters(new StreamsExceptionFilter());
  await app.listen();
  return app;
}

describe('the gateway artifact and download routes', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('gateway-artifacts');
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let standIns: INestMicroservice[];
  let gateway: RunningGateway;

  const url = (path: string) => `${gateway.url}${path}`;
  const asOwner = { authorization: `Bearer ${OWNER_TOKEN}` };
  const addArtifact = async (content: Buffer, filename: string): Promise<ArtifactView> => {
    const blob = await blobs.put(content);
    const view: ArtifactView = {
      id: randomUUID(),
      job_id: world.jobId,
      kind: 'results_md',
      uri: blob.uri,
      checksum: blob.sha256,
      size: blob.size,
      content_type: 'text/markdown; charset=utf-8',
      filename,
      created_at: new Date().toISOString(),
    };
    world.artifacts.set(view.id, { view, blob });
    return view;
  };
  const downloadPath = (id: string, sig = GOOD_SIG) => `/api/v1/downloads/${id}?exp=1&kid=k1&sig=${sig}`;
  async function expectError(response: Response, status: number, code: string) {
    const body = (await response.json()) as { error: { code: string } };
    expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  }

  beforeAll(async () => {
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-gateway-blobs-'));
    blobs = new LocalBlobStore(blobRoot);
    standIns = await Promise.all([
      startStandIn('auth', AuthStandIn, redisUrl, keyPrefix),
      startStandIn('jobs', JobsStandIn, redisUrl, keyPrefix),
      startStandIn('artifacts', ArtifactsStandIn, redisUrl, keyPrefix),
    ]);
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      RPC_TIMEOUT_MS: '5000',
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all((standIns ?? []).map((app) => app.close()));
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it("lists the owner's job artifacts as one page", async () => {
    const artifact = await addArtifact(Buffer.from('# Listed\n'), 'results.md');

    const response = await fetch(url(`/api/v1/jobs/${world.jobId}/artifacts`), { headers: asOwner });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: expect.arrayContaining([artifact]), next_cursor: null });
  });

  it('answers 404 for a job that is not the caller’s, before asking artifacts', async () => {
    await expectError(
      await fetch(url(`/api/v1/jobs/${randomUUID()}/artifacts`), { headers: asOwner }),
      404,
      ErrorCodes.notFound,
    );
  });

  it('answers a signed URL for an artifact', async () => {
    const artifact = await addArtifact(Buffer.from('# Signed\n'), 'results.md');

    const response = await fetch(url(`/api/v1/artifacts/${artifact.id}`), { headers: asOwner });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: downloadPath(artifact.id), expires_at: 'soon' });
  });

  it('streams the content without credentials, with its type, length and file name, asking as the gateway', async () => {
    const content = Buffer.from('# Résumé\n\n- one\n'.repeat(5_000));
    const artifact = await addArtifact(content, 'résumé "final".md');

    const response = await fetch(url(downloadPath(artifact.id)));
    const body = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(content.length));
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ _final_.md"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.md`,
    );
    expect(createHash('sha256').update(body).digest('hex')).toBe(artifact.checksum);
    expect(world.resolvedBy.at(-1)).toBe('service:gateway');
  });

  it('refuses a tampered or expired link with 403 and a malformed one with 400', async () => {
    const artifact = await addArtifact(Buffer.from('# Guarded\n'), 'results.md');

    await expectError(await fetch(url(downloadPath(artifact.id, 'b'.repeat(64)))), 403, ErrorCodes.forbidden);
    await expectError(await fetch(url(downloadPath(artifact.id, EXPIRED_SIG))), 403, ErrorCodes.forbidden);
    await expectError(await fetch(url(downloadPath(artifact.id, 'XYZ'))), 400, ErrorCodes.validationFailed);
    await expectError(await fetch(url(`/api/v1/downloads/${artifact.id}`)), 400, ErrorCodes.validationFailed);
  });

  it('breaks off a download whose stored bytes no longer match their checksum, before it is complete', async () => {
    const content = Buffer.alloc(200_000, 'a');
    const artifact = await addArtifact(content, 'results.md');
    const path = join(
      blobRoot,
      artifact.checksum.slice(0, 2),
      artifact.checksum.slice(2, 4),
      artifact.checksum,
    );
    await writeFile(path, Buffer.alloc(content.length, 'b'));

    const received = await receiveRaw(url(downloadPath(artifact.id)));

    expect(received.status).toBe(200);
    expect(received.complete).toBe(false);
    expect(received.bytes).toBeLessThan(content.length);
  });
});

/** Reads a response to its end or its breaking off, counting the bytes that arrived. */
function receiveRaw(target: string): Promise<{ status: number; bytes: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(target, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, bytes, complete: response.complete }),
      );
      response.on('error', () => resolve({ status: response.statusCode ?? 0, bytes, complete: false }));
      response.on('aborted', () => resolve({ status: response.statusCode ?? 0, bytes, complete: false }));
    });
    request.on('error', reject);
    request.end();
  });
}
