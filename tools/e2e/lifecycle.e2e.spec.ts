import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { ArtifactView, JobView, TokenPair } from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { GatewayClient } from './test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { asWebVtt, VENDOR_MEETING, type Turn } from './test-support/transcripts';

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const DAY_MS = 86_400_000;

interface ExportManifest {
  readonly user_id: string;
  readonly files: readonly {
    readonly path: string;
    readonly sha256: string;
    readonly size: number;
    readonly artifact_id?: string;
    readonly kind?: string;
  }[];
}

/**
 * The data lifecycle through the gateway, with every service and the worker as processes:
 * deleting a job (404 everywhere, its download URL dead, its blobs gone), deleting a batch,
 * `GET /me/export` as a ZIP whose manifest matches its files, the retention sweep expiring a
 * transcript (run as its operational command with an injected clock), and a purge deleting every
 * blob of the user while their unexpired access token answers 401.
 */
describe('the data lifecycle through the gateway', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  /** Signed in once: a second magic link for the same address would race the first in the mailbox. */
  let ana: TokenPair;

  /** A meeting no other job holds, so its blobs are the job's alone. */
  const uniqueMeeting = (): string =>
    asWebVtt([
      ...VENDOR_MEETING,
      {
        speaker: 'Nina',
        start: 200,
        end: 204,
        text: `Our reference for this call is ${randomUUID()}.`,
      } as Turn,
    ]);
  const completedJob = async (token: string, filename = 'vendor.vtt'): Promise<JobView> => {
    const jobId = await client.submit(token, { profile: 'meeting', transcript: uniqueMeeting(), filename });
    const job = await client.finished(jobId, token);
    expect(job.status).toBe('completed');
    return job;
  };
  const signedUrl = async (artifact: ArtifactView, token: string): Promise<string> => {
    const signed = await client.api<{ url: string }>(`/artifacts/${artifact.id}`, { token });
    expect(signed.status).toBe(200);
    return `${stack.gatewayUrl}${signed.body.url}`;
  };
  const blobFiles = async (): Promise<Set<string>> => {
    const entries = await readdir(stack.blobRoot, { recursive: true, withFileTypes: true }).catch(() => []);
    return new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
  };
  const sweepAsOf = async (at: Date) => {
    const { code, output } = await stack.runScript(
      'apps/artifacts/src/retention/retention-sweep.command.js',
      ['--as-of', at.toISOString()],
    );
    expect({ code, output }).toMatchObject({ code: 0 });
    return JSON.parse(output.split('\n').find((line) => line.startsWith('{')) ?? '{}') as {
      expired: number;
      blobsDeleted: number;
    };
  };

  beforeAll(async () => {
    stack = await startIdentityStack('lifecycle_e2e', {
      adminEmail: 'admin@lifecycle.test',
      withWorker: true,
      // Six users sign in (two requests each) from one address.
      gateway: { RATE_LIMIT_SIGN_IN: '40' },
      // Blobs of a deleted job go at once (the grace for just-written blobs is proven in artifacts' tests).
      env: { RETENTION_BLOB_GRACE_SECONDS: '0' },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@lifecycle.test');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deletes a job: 204, then 404 everywhere, its download URL stops working and its blobs are gone', async () => {
    const bob = await client.signIn('bob@lifecycle.test');
    const job = await completedJob(ana.access_token);
    const artifacts = await client.artifacts(job.id, ana.access_token);
    expect(artifacts.map((artifact) => artifact.kind).sort()).toEqual([
      'results_json',
      'results_md',
      'transcript',
    ]);
    const results = artifacts.find((artifact) => artifact.kind === 'results_md') as ArtifactView;
    const url = await signedUrl(results, ana.access_token);
    expect((await fetch(url)).status).toBe(200);
    const before = await blobFiles();
    const jobBlobs = [job.input_uri.split('/').at(-1), ...artifacts.map((artifact) => artifact.checksum)];
    for (const blob of jobBlobs) expect(before.has(blob as string)).toBe(true);

    expect((await client.api(`/jobs/${job.id}`, { token: bob.access_token, method: 'DELETE' })).status).toBe(
      404,
    );
    const deleted = await client.api(`/jobs/${job.id}`, { token: ana.access_token, method: 'DELETE' });
    expect(deleted.status).toBe(204);

    expect((await client.job(job.id, ana.access_token)).status).toBe(404);
    expect((await client.api(`/jobs/${job.id}/artifacts`, { token: ana.access_token })).status).toBe(404);
    expect((await client.api(`/jobs/${job.id}`, { token: ana.access_token, method: 'DELETE' })).status).toBe(
      404,
    );
    const listed = await client.api<{ items: JobView[] }>('/jobs', { token: ana.access_token });
    expect(listed.body.items.map((item) => item.id)).not.toContain(job.id);
    // Artifacts deletes them when it sees JobDeleted: the link dies, the blobs go.
    await pollUntil('the download URL to stop working', async () =>
      (await fetch(url)).status === 404 ? true : undefined,
    );
    expect((await client.api(`/artifacts/${results.id}`, { token: ana.access_token })).status).toBe(404);
    await pollUntil("the job's blobs to be deleted", async () => {
      const left = await blobFiles();
      return jobBlobs.every((blob) => !left.has(blob as string)) ? true : undefined;
    });
    expect((await client.api('/jobs/not-a-uuid', { token: ana.access_token, method: 'DELETE' })).status).toBe(
      400,
    );
  });

  it('deletes a batch and every job of it', async () => {
    const created = await client.api<{ batch_id: string; job_ids: string[] }>('/jobs/batch', {
      token: ana.access_token,
      method: 'POST',
      body: {
        profile: 'meeting',
        items: [
          { transcript: uniqueMeeting(), filename: 'one.vtt' },
          { transcript: uniqueMeeting(), filename: 'two.vtt' },
        ],
      },
    });
    expect(created.status).toBe(202);

    const deleted = await client.api(`/batches/${created.body.batch_id}`, {
      token: ana.access_token,
      method: 'DELETE',
    });

    expect(deleted.status).toBe(204);
    expect((await client.api(`/batches/${created.body.batch_id}`, { token: ana.access_token })).status).toBe(
      404,
    );
    for (const jobId of created.body.job_ids)
      expect((await client.job(jobId, ana.access_token)).status).toBe(404);
  });

  it("exports all of the user's data as one ZIP: account, jobs and their files, with checksums in the manifest", async () => {
    const cleo = await client.signIn('cleo@lifecycle.test');
    const jobs = [
      await completedJob(cleo.access_token, 'first.vtt'),
      await completedJob(cleo.access_token, 'second.vtt'),
    ];

    const response = await fetch(`${stack.gatewayUrl}/api/v1/me/export`, {
      headers: { authorization: `Bearer ${cleo.access_token}` },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const manifest = JSON.parse(
      Buffer.from(files['manifest.json'] as Uint8Array).toString('utf8'),
    ) as ExportManifest;
    expect(manifest.user_id).toBe(cleo.user.id);
    expect(Object.keys(files).sort()).toEqual(
      [...manifest.files.map((file) => file.path), 'manifest.json'].sort(),
    );
    for (const entry of manifest.files) {
      const content = files[entry.path] as Uint8Array;
      expect({ path: entry.path, sha256: sha256(content), size: content.length }).toEqual({
        path: entry.path,
        sha256: entry.sha256,
        size: entry.size,
      });
    }
    const account = JSON.parse(Buffer.from(files['account.json'] as Uint8Array).toString('utf8')) as {
      email: string;
    };
    expect(account.email).toBe('cleo@lifecycle.test');
    for (const job of jobs) {
      const exported = JSON.parse(
        Buffer.from(files[`jobs/${job.id}/job.json`] as Uint8Array).toString('utf8'),
      ) as JobView;
      expect(exported).toMatchObject({ id: job.id, status: 'completed', filename: job.filename });
      const artifacts = await client.artifacts(job.id, cleo.access_token);
      const exportedFiles = manifest.files.filter(
        (file) => file.path.startsWith(`jobs/${job.id}/`) && file.kind,
      );
      expect(exportedFiles.map((file) => file.kind).sort()).toEqual(
        ['results_json', 'results_md', 'transcript', 'upload'].sort(),
      );
      for (const artifact of artifacts) {
        expect(exportedFiles).toContainEqual(
          expect.objectContaining({
            artifact_id: artifact.id,
            sha256: artifact.checksum,
            size: artifact.size,
          }),
        );
      }
      const upload = exportedFiles.find((file) => file.kind === 'upload');
      expect(upload?.sha256).toBe(job.input_uri.split('/').at(-1));
    }
    expect((await fetch(`${stack.gatewayUrl}/api/v1/me/export`)).status).toBe(401);
  });

  it('expires a transcript under retention (the sweep run with an injected clock): the job says so and a prompt answers 410', async () => {
    const dana = await client.signIn('dana@lifecycle.test');
    const job = await completedJob(dana.access_token);
    const transcript = (await client.artifacts(job.id, dana.access_token)).find(
      (artifact) => artifact.kind === 'transcript',
    ) as ArtifactView;

    const early = await sweepAsOf(new Date(Date.now() + 29 * DAY_MS));
    expect(early.expired).toBe(0);
    const swept = await sweepAsOf(new Date(Date.now() + 31 * DAY_MS));
    expect(swept.expired).toBeGreaterThanOrEqual(2);

    const expired = await pollUntil('the job to record its transcript expired', async () => {
      const view = await client.job(job.id, dana.access_token);
      return view.body.transcript_expired_at ? view.body : undefined;
    });
    expect(Date.parse(expired.transcript_expired_at as string)).toBeGreaterThan(Date.now() + 30 * DAY_MS);
    expect((await client.api(`/artifacts/${transcript.id}`, { token: dana.access_token })).status).toBe(410);
    expect((await blobFiles()).has(transcript.checksum)).toBe(false);
    const kinds = (await client.artifacts(job.id, dana.access_token)).map((artifact) => artifact.kind).sort();
    expect(kinds).toEqual(['results_json', 'results_md']);
    const prompt = await client.api<{ error: { code: string } }>('/prompts', {
      token: dana.access_token,
      method: 'POST',
      body: { job_id: job.id, prompt: 'What did we decide about the vendor?' },
    });
    expect(prompt.status).toBe(410);
    expect(prompt.body.error.code).toBe('GONE');
  });

  it("purges a user: every blob of their jobs is deleted, others' stay, and their access token answers 401", async () => {
    const eve: TokenPair = await client.signIn('eve@lifecycle.test');
    const fred = await client.signIn('fred@lifecycle.test');
    const eveJobs = [await completedJob(eve.access_token), await completedJob(eve.access_token)];
    const fredJob = await completedJob(fred.access_token);
    const blobsOf = async (job: JobView, token: string) => [
      job.input_uri.split('/').at(-1) as string,
      ...(await client.artifacts(job.id, token)).map((artifact) => artifact.checksum),
    ];
    const eveBlobs = (await Promise.all(eveJobs.map((job) => blobsOf(job, eve.access_token)))).flat();
    const fredBlobs = await blobsOf(fredJob, fred.access_token);

    expect((await client.api('/me', { token: eve.access_token, method: 'DELETE' })).status).toBe(202);

    await pollUntil("every blob of the purged user's jobs to be deleted", async () => {
      const left = await blobFiles();
      return eveBlobs.every((blob) => !left.has(blob)) ? true : undefined;
    });
    const left = await blobFiles();
    for (const blob of fredBlobs) expect(left.has(blob)).toBe(true);
    for (const path of ['/me', '/jobs', `/jobs/${eveJobs[0]?.id}`, '/me/export']) {
      const answer = await client.api<{ error: { code: string } }>(path, { token: eve.access_token });
      expect({ path, status: answer.status, code: answer.body.error.code }).toEqual({
        path,
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
    expect((await client.job(fredJob.id, fred.access_token)).status).toBe(200);
  });
});
