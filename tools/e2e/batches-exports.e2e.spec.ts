import { createHash, randomUUID } from 'node:crypto';
import { unzipSync } from 'fflate';
import { parseTranscript } from '@scriptripper/analysis';
import type { ArtifactView, BatchView, ExportView, JobView, TokenPair } from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { GatewayClient } from './test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { asPlainText, asSegmentsJson, asSrt, asWebVtt, VENDOR_MEETING } from './test-support/transcripts';

const MAX_ITEMS = 5;
/** All files of one multipart batch together: the multipart test's three files fit, five larger ones do not. */
const MAX_MULTIPART_BYTES = 16_384;
const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Manifest {
  readonly subject: { readonly type: string; readonly id: string };
  readonly files: readonly { readonly path: string; readonly sha256: string; readonly size: number }[];
}

/**
 * Batches and exports through the gateway, with every service and the worker as processes:
 * a batch of several formats in JSON and in multipart, per-item status, ZIP exports of a
 * batch and of a job downloaded through signed URLs and checked against their manifests,
 * byte-identical exports of one job, and the refusals.
 */
describe('batches and exports through the gateway', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let bob: TokenPair;
  /** The JSON batch of the first test: four formats and one unparseable transcript. */
  let jsonBatch: { batchId: string; jobIds: string[] };

  const finishedBatch = (batchId: string, token = ana.access_token) =>
    pollUntil(`batch ${batchId} to finish`, async () => {
      const batch = await client.api<BatchView>(`/batches/${batchId}`, { token });
      expect(batch.status).toBe(200);
      return batch.body.status === 'running' ? undefined : batch.body;
    });

  /** Requests an export, waits for it, and answers it with its ZIP downloaded, checked and unzipped. */
  async function exported(id: string) {
    const created = await client.api<{ export_id: string }>(`/exports/${id}`, {
      token: ana.access_token,
      method: 'POST',
    });
    expect(created.status).toBe(202);
    const view = await pollUntil(`export ${created.body.export_id}`, async () => {
      const answer = await client.api<ExportView>(`/exports/${created.body.export_id}`, {
        token: ana.access_token,
      });
      expect(answer.status).toBe(200);
      return answer.body.status === 'pending' ? undefined : answer.body;
    });
    expect(view).toMatchObject({ status: 'completed', error: null });
    expect(view.artifacts.map((artifact) => artifact.kind)).toEqual(['export_zip', 'export_json']);
    const zip = await downloaded(view.artifacts[0] as ArtifactView);
    const json = await downloaded(view.artifacts[1] as ArtifactView);
    const files = unzipSync(new Uint8Array(zip));
    const manifest = JSON.parse(
      Buffer.from(files['manifest.json'] as Uint8Array).toString('utf8'),
    ) as Manifest;
    expect(Object.keys(files).sort()).toEqual(
      [...manifest.files.map((file) => file.path), 'manifest.json'].sort(),
    );
    for (const entry of manifest.files) {
      const content = files[entry.path] as Uint8Array;
      expect({ path: entry.path, sha256: sha256(content), size: content.length }).toEqual(entry);
    }
    const document = JSON.parse(json.toString('utf8')) as { manifest: Manifest };
    expect(document.manifest).toEqual(manifest);
    return { view, zip, files, manifest };
  }

  /** An artifact's bytes through its signed URL, checked against its recorded checksum and size. */
  async function downloaded(artifact: ArtifactView): Promise<Buffer> {
    const signed = await client.api<{ url: string }>(`/artifacts/${artifact.id}`, {
      token: ana.access_token,
    });
    expect(signed.status).toBe(200);
    const response = await fetch(`${stack.gatewayUrl}${signed.body.url}`);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(sha256(bytes)).toBe(artifact.checksum);
    expect(bytes.length).toBe(artifact.size);
    return bytes;
  }

  beforeAll(async () => {
    stack = await startIdentityStack('batches_e2e', {
      adminEmail: 'admin@batches.test',
      withWorker: true,
      gateway: { BATCH_MAX_ITEMS: String(MAX_ITEMS), BATCH_LIMIT_BYTES: String(MAX_MULTIPART_BYTES) },
      jobs: { BATCH_MAX_ITEMS: String(MAX_ITEMS) },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@batches.test');
    bob = await client.signIn('bob@batches.test');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs a JSON batch of WebVTT, SRT, JSON and plain transcripts; an unparseable one fails only its own job', async () => {
    const items = [
      { transcript: asWebVtt(VENDOR_MEETING), filename: 'vendor.vtt' },
      { transcript: asSrt(VENDOR_MEETING), filename: 'vendor.srt' },
      { transcript: asSegmentsJson(VENDOR_MEETING), filename: 'vendor.json' },
      { transcript: asPlainText(VENDOR_MEETING), filename: 'vendor.txt' },
      { transcript: 'this is not an srt file at all', filename: 'broken.srt', format: 'srt' },
    ];
    const created = await client.api<{ batch_id: string; job_ids: string[] }>('/jobs/batch', {
      token: ana.access_token,
      method: 'POST',
      body: { profile: 'meeting', meeting_date: '2026-11-27', items },
    });
    expect(created.status).toBe(202);
    expect(created.body.job_ids).toHaveLength(items.length);
    jsonBatch = { batchId: created.body.batch_id, jobIds: created.body.job_ids };

    const batch = await finishedBatch(created.body.batch_id);
    expect(batch).toMatchObject({
      id: created.body.batch_id,
      status: 'partially_failed',
      counts: { total: 5, queued: 0, running: 0, completed: 4, failed: 1, cancelled: 0 },
    });
    expect(batch.items).toEqual(
      items.map((item, index) => ({
        job_id: created.body.job_ids[index],
        filename: item.filename,
        status: index === 4 ? 'failed' : 'completed',
      })),
    );
    const broken = await client.job(created.body.job_ids[4] as string, ana.access_token);
    expect(broken.body).toMatchObject({ batch_id: created.body.batch_id, status: 'failed' });
    expect(broken.body.error?.code).toBe('UNPARSEABLE_TRANSCRIPT');
    const listed = await client.api<{ items: BatchView[] }>('/batches', { token: ana.access_token });
    expect(listed.body.items.map((item) => item.id)).toContain(created.body.batch_id);
  });

  it('runs a multipart batch of several files, named by their parts', async () => {
    const form = new FormData();
    form.append('profile', 'meeting');
    form.append('file', new Blob([asWebVtt(VENDOR_MEETING)]), 'call.vtt');
    form.append('file', new Blob([asSrt(VENDOR_MEETING)]), 'call.srt');
    form.append('file', new Blob([asPlainText(VENDOR_MEETING)]), 'call.txt');

    const created = await client.api<{ batch_id: string; job_ids: string[] }>('/jobs/batch', {
      token: ana.access_token,
      method: 'POST',
      form,
    });
    expect(created.status).toBe(202);

    const batch = await finishedBatch(created.body.batch_id);
    expect(batch.status).toBe('completed');
    expect(batch.items.map((item) => [item.job_id, item.filename, item.status])).toEqual([
      [created.body.job_ids[0], 'call.vtt', 'completed'],
      [created.body.job_ids[1], 'call.srt', 'completed'],
      [created.body.job_ids[2], 'call.txt', 'completed'],
    ]);
  });

  it('exports a batch as one ZIP with a folder per completed job and a manifest matching every file', async () => {
    const { files, manifest, view } = await exported(jsonBatch.batchId);

    expect(view).toMatchObject({ subject_type: 'batch', subject_id: jsonBatch.batchId });
    expect(manifest.subject).toEqual({ type: 'batch', id: jsonBatch.batchId });
    const completed = jsonBatch.jobIds.slice(0, 4);
    expect(manifest.files.map((file) => file.path)).toEqual(
      completed.flatMap((jobId) =>
        ['results.md', 'results.json', 'transcript.md', 'transcript.vtt'].map((name) => `${jobId}/${name}`),
      ),
    );
    for (const jobId of completed) {
      const vtt = Buffer.from(files[`${jobId}/transcript.vtt`] as Uint8Array).toString('utf8');
      const segments = parseTranscript(vtt).segments;
      expect(segments.map((segment) => [segment.speakerLabel, segment.text])).toEqual(
        VENDOR_MEETING.map((turn) => [turn.speaker, turn.text]),
      );
    }
  });

  it('exports a job twice into byte-identical ZIPs', async () => {
    const jobId = jsonBatch.jobIds[0] as string;
    const first = await exported(jobId);
    const second = await exported(jobId);

    expect(second.view.id).not.toBe(first.view.id);
    expect(first.manifest.files.map((file) => file.path)).toEqual([
      'results.md',
      'results.json',
      'transcript.md',
      'transcript.vtt',
    ]);
    expect(second.zip.equals(first.zip)).toBe(true);
    expect(second.view.artifacts.map((artifact) => artifact.checksum)).toEqual(
      first.view.artifacts.map((artifact) => artifact.checksum),
    );
  });

  it('refuses bad batches and exports with the common error shape, creating nothing', async () => {
    const post = (body: unknown, token = ana.access_token) =>
      client.api<{ error: { code: string; message: string; retryable: boolean } }>('/jobs/batch', {
        token,
        method: 'POST',
        body,
      });
    const before = await client.api<{ items: JobView[] }>('/jobs?limit=100', { token: ana.access_token });

    const empty = await post({ profile: 'meeting', items: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    const tooMany = await post({
      profile: 'meeting',
      items: Array.from({ length: MAX_ITEMS + 1 }, (_, index) => ({ transcript: `Ana: item ${index}` })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain(`at most ${MAX_ITEMS}`);
    const badItem = await post({
      profile: 'meeting',
      items: [{ transcript: 'Ana: hi' }, { transcript: '' }],
    });
    expect(badItem.status).toBe(400);
    expect(badItem.body.error.message).toContain('items.1.transcript');
    const noFiles = new FormData();
    noFiles.append('profile', 'meeting');
    const multipartEmpty = await client.api<{ error: { code: string } }>('/jobs/batch', {
      token: ana.access_token,
      method: 'POST',
      form: noFiles,
    });
    expect(multipartEmpty.status).toBe(400);
    const upload = async (files: number, bytesEach: number) => {
      const form = new FormData();
      form.append('profile', 'meeting');
      for (let index = 0; index < files; index++) {
        form.append('file', new Blob([`Ana: ${'word '.repeat(bytesEach / 5)}`]), `part-${index}.txt`);
      }
      return client.api<{ error: { code: string; message: string } }>('/jobs/batch', {
        token: ana.access_token,
        method: 'POST',
        form,
      });
    };
    const tooManyFiles = await upload(MAX_ITEMS + 1, 100);
    expect(tooManyFiles.status).toBe(400);
    expect(tooManyFiles.body.error.message).toContain(`at most ${MAX_ITEMS}`);
    const tooLarge = await upload(MAX_ITEMS, 4_000);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const after = await client.api<{ items: JobView[] }>('/jobs?limit=100', { token: ana.access_token });
    expect(after.body.items.length).toBe(before.body.items.length);

    // Someone else's batch, job or export is as absent as one that never was.
    expect((await client.api(`/batches/${jsonBatch.batchId}`, { token: bob.access_token })).status).toBe(404);
    for (const id of [jsonBatch.batchId, jsonBatch.jobIds[0], randomUUID()]) {
      expect((await client.api(`/exports/${id}`, { token: bob.access_token, method: 'POST' })).status).toBe(
        404,
      );
    }
    // The unparseable item's job failed: not completed, so not exportable.
    const notCompleted = await client.api<{ error: { code: string } }>(`/exports/${jsonBatch.jobIds[4]}`, {
      token: ana.access_token,
      method: 'POST',
    });
    expect(notCompleted.status).toBe(409);
    expect(notCompleted.body.error.code).toBe('CONFLICT');
  });

  it('answers the same export again for the same Idempotency-Key', async () => {
    const send = () =>
      fetch(`${stack.gatewayUrl}/api/v1/exports/${jsonBatch.jobIds[1]}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ana.access_token}`, 'idempotency-key': 'export-once' },
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown }));

    const first = await send();
    expect(first.status).toBe(202);
    expect(await send()).toEqual(first);
  });

  it('answers the same batch again for the same Idempotency-Key', async () => {
    const body = {
      profile: 'meeting',
      items: [{ transcript: asPlainText(VENDOR_MEETING), filename: 'again.txt' }],
    };
    const send = () =>
      fetch(`${stack.gatewayUrl}/api/v1/jobs/batch`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ana.access_token}`,
          'content-type': 'application/json',
          'idempotency-key': 'batch-once',
        },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown }));

    const first = await send();
    const again = await send();
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
  });
});
