import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type {
  ArtifactView,
  BatchView,
  JobView,
  Page,
  PageRequest,
  PromptView,
  UserView,
  WebhookView,
} from '@scriptripper/contracts';
import { BatchesRpc, JobsRpc, LifecycleRpc, PromptsRpc, WebhooksRpc } from '@scriptripper/contracts';
import type { BlobStore } from '@scriptripper/blob-store';
import type { CallContext, ServiceCaller } from '../http/service-caller';
import { ZipStreamWriter } from './zip-stream-writer';

/** One file of the export as the manifest lists it. */
export interface ExportedFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly artifact_id?: string;
  readonly kind?: string;
}

export interface ExportManifest {
  readonly format: 'scriptripper-user-export';
  readonly version: 1;
  readonly user_id: string;
  readonly exported_at: string;
  /** Every other file of the ZIP, in the order written. */
  readonly files: readonly ExportedFile[];
}

const PAGE = 100;

/**
 * All of a user's data as one ZIP, streamed while it is gathered: `account.json` (auth),
 * `batches.json` and `webhooks.json` (jobs), per job `jobs/<id>/job.json`, `prompts.json` and every
 * kept artifact's content as `jobs/<id>/<kind>/<filename>` (the upload included, read from the
 * blob store and verified against its sha256 while streamed), and last `manifest.json` with the
 * sha256 and size of every file. Lists are read page by page, blobs chunk by chunk, so the
 * gateway holds only one page and one chunk at a time.
 */
export class UserDataExport {
  private readonly files: ExportedFile[] = [];

  constructor(
    private readonly services: ServiceCaller,
    private readonly blobs: BlobStore,
    private readonly caller: CallContext,
    private readonly zip: ZipStreamWriter,
    private readonly exportedAt: Date,
  ) {}

  async write(account: UserView): Promise<void> {
    await this.addJson('account.json', account);
    await this.addJson('batches.json', await this.all<BatchView>(BatchesRpc.list, {}));
    await this.addJson('webhooks.json', await this.all<WebhookView>(WebhooksRpc.list, {}));
    const artifactsByJob = await this.artifactsByJob();
    for await (const job of this.pages<JobView>(JobsRpc.list, {})) {
      await this.writeJob(job, artifactsByJob.get(job.id) ?? []);
      artifactsByJob.delete(job.id);
    }
    const manifest: ExportManifest = {
      format: 'scriptripper-user-export',
      version: 1,
      user_id: account.id,
      exported_at: this.exportedAt.toISOString(),
      files: this.files,
    };
    await this.zip.addFile('manifest.json', jsonOf(manifest));
    this.zip.end();
  }

  private async writeJob(job: JobView, artifacts: readonly ArtifactView[]): Promise<void> {
    const folder = `jobs/${job.id}`;
    await this.addJson(`${folder}/job.json`, job);
    await this.addJson(
      `${folder}/prompts.json`,
      await this.all<PromptView>(PromptsRpc.listForJob, { job_id: job.id }),
    );
    for (const artifact of artifacts) {
      const path = `${folder}/${artifact.kind.replace(/[^A-Za-z0-9_-]/g, '-')}/${artifact.filename}`;
      const counted = new CountingDigest();
      await this.zip.addFile(path, (await this.blobs.openReadStream(artifact.checksum)).pipe(counted));
      this.files.push({ path, ...counted.result(), artifact_id: artifact.id, kind: artifact.kind });
    }
  }

  /** The caller's kept artifacts, by job: one list read before the jobs, so each job's files follow it. */
  private async artifactsByJob(): Promise<Map<string, ArtifactView[]>> {
    const byJob = new Map<string, ArtifactView[]>();
    for await (const artifact of this.pages<ArtifactView>(LifecycleRpc.listUserArtifacts, {})) {
      byJob.set(artifact.job_id, [...(byJob.get(artifact.job_id) ?? []), artifact]);
    }
    return byJob;
  }

  private async addJson(path: string, value: unknown): Promise<void> {
    const content = jsonOf(value);
    await this.zip.addFile(path, content);
    this.files.push({
      path,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
    });
  }

  private async all<T>(pattern: string, request: Record<string, unknown>): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this.pages<T>(pattern, request)) items.push(item);
    return items;
  }

  private async *pages<T>(pattern: string, request: Record<string, unknown>): AsyncGenerator<T> {
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.services.call<Page<T>>(
        pattern,
        { ...request, limit: PAGE, ...(cursor ? { cursor } : {}) } satisfies PageRequest,
        this.caller,
      );
      yield* page.items;
      cursor = page.next_cursor;
    } while (cursor);
  }
}

function jsonOf(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

/** Passes bytes through while counting them and hashing them, for the manifest. */
class CountingDigest extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  result(): { sha256: string; size: number } {
    return { sha256: this.hash.digest('hex'), size: this.size };
  }
}
