import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync } from 'fflate';
import type {
  ArtifactView,
  ExportView,
  JobStatus,
  JobView,
  PromptView,
  ResultsChanges,
} from '@scriptripper/contracts';

/** A request as the fake gateway received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

interface StoredArtifact {
  readonly view: ArtifactView;
  readonly bytes: Buffer;
}

interface FakeJob {
  view: JobView;
  /** The statuses the next reads go through, one per read; the last one stays. */
  readonly upcoming: JobStatus[];
  readonly artifacts: StoredArtifact[];
}

interface Answer {
  readonly status: number;
  readonly json?: unknown;
  readonly bytes?: Buffer;
}

type Override = (request: RecordedRequest) => Answer | undefined;

const error = (status: number, code: string, message: string): Answer => ({
  status,
  json: { error: { code, message, retryable: false } },
});

export const sha256 = (bytes: Buffer | Uint8Array | string) =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * A local HTTP server answering like the gateway's `/api/v1` for the routes the CLI uses,
 * with the one error shape, bearer tokens, batches whose jobs move on as they are read,
 * artifacts with real sha256 checksums behind signed URLs, prompts and export ZIPs with a
 * manifest. Tests change its behaviour through its fields (corrupt a download, fail a job,
 * override a route).
 */
export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  /** Tokens the gateway accepts. */
  readonly tokens = new Set<string>(['srt_good']);
  readonly jobs = new Map<string, FakeJob>();
  readonly batches = new Map<string, { id: string; job_ids: string[]; created_at: string }>();
  readonly prompts = new Map<string, { view: PromptView; reads: number }>();
  readonly exports = new Map<string, { view: ExportView; reads: number }>();
  /** Jobs of a new batch go queued, running, then this (per file name, else completed). */
  readonly outcomeByFilename = new Map<string, JobStatus>();
  /** Answered before the built-in routes when it answers something. */
  override: Override | undefined;
  /** Downloads of artifacts of these kinds serve other bytes than recorded (a corrupted blob). */
  readonly corruptKinds = new Set<string>();
  /** Corrupts the manifest of the next export's ZIP. */
  tamperExportManifest = false;
  private server: Server | undefined;
  private baseUrl = '';

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Requests to one route, e.g. `POST /api/v1/jobs/batch`. */
  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /** A completed job with three artifacts, as a finished analysis leaves it. */
  addCompletedJob(filename = 'standup.vtt', content = 'WEBVTT\n'): FakeJob {
    const job = this.newJob(filename, content, null);
    job.upcoming.splice(0, job.upcoming.length, 'completed');
    job.view = { ...job.view, status: 'completed' };
    return job;
  }

  private newJob(filename: string, content: string, batchId: string | null): FakeJob {
    const id = randomUUID();
    const now = new Date().toISOString();
    const view: JobView = {
      id,
      user_id: 'user-1',
      profile_id: 'profile-1',
      profile_key: 'meeting',
      profile_version: 1,
      status: 'queued',
      input_uri: `blob://sha256/${sha256(content)}`,
      format: null,
      filename,
      meeting_date: null,
      attempts: 1,
      metrics: null,
      cost: 0,
      error: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
      batch_id: batchId,
    };
    const outputs: [ArtifactView['kind'], string, string][] = [
      ['transcript', 'transcript.json', JSON.stringify({ filename, content })],
      ['results_json', 'results.json', JSON.stringify({ summary: `about ${filename}` })],
      ['results_md', 'results.md', `# ${filename}\n`],
    ];
    const artifacts = outputs.map(([kind, name, text]) => this.artifact(id, kind, name, text));
    const outcome = this.outcomeByFilename.get(filename) ?? 'completed';
    const job: FakeJob = { view, upcoming: ['queued', 'running', outcome], artifacts };
    this.jobs.set(id, job);
    return job;
  }

  private artifact(jobId: string, kind: ArtifactView['kind'], filename: string, text: string | Buffer) {
    const bytes = Buffer.from(text);
    const view: ArtifactView = {
      id: randomUUID(),
      job_id: jobId,
      kind,
      uri: `blob://sha256/${sha256(bytes)}`,
      checksum: sha256(bytes),
      size: bytes.length,
      content_type: 'application/octet-stream',
      filename,
      created_at: new Date().toISOString(),
    };
    return { view, bytes };
  }

  /** The job as a read sees it: each read moves it one status on. */
  private read(job: FakeJob): JobView {
    const next = job.upcoming.length > 1 ? job.upcoming.shift() : job.upcoming[0];
    if (next && next !== job.view.status) {
      job.view = {
        ...job.view,
        status: next,
        completed_at: next === 'completed' ? new Date().toISOString() : null,
        error:
          next === 'failed'
            ? { code: 'TRANSCRIPT_EMPTY', message: 'no speech in it', retryable: false }
            : null,
      };
    }
    return job.view;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', this.baseUrl);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: Buffer.concat(chunks),
    };
    this.requests.push(recorded);
    let answer: Answer;
    try {
      answer = this.override?.(recorded) ?? (await this.route(recorded));
    } catch (failure) {
      answer = error(500, 'INTERNAL', (failure as Error).message);
    }
    if (answer.bytes) {
      response.writeHead(answer.status, { 'content-type': 'application/octet-stream' });
      response.end(answer.bytes);
    } else if (answer.json === undefined) {
      response.writeHead(answer.status);
      response.end();
    } else {
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
    }
  }

  private async route(request: RecordedRequest): Promise<Answer> {
    const { method, path } = request;
    const download = /^\/api\/v1\/downloads\/([^/]+)$/.exec(path);
    if (method === 'GET' && download) return this.serveDownload(download[1] ?? '', request.query);
    if (path === '/api/v1/auth/magic-link' && method === 'POST')
      return { status: 202, json: { accepted: true } };
    if (path === '/api/v1/auth/magic-link/verify' && method === 'POST') return this.verifyMagicLink(request);
    if (path === '/api/v1/auth/sign-out' && method === 'POST') return { status: 204 };

    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return error(401, 'UNAUTHORIZED', 'Invalid or expired token');
    const body = () => JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;

    if (path === '/api/v1/me' && method === 'GET') {
      return { status: 200, json: { id: 'user-1', email: 'ana@example.test', name: null, role: 'user' } };
    }
    if (path === '/api/v1/tokens' && method === 'POST') {
      const created = `srt_${randomUUID()}`;
      this.tokens.add(created);
      return { status: 201, json: { id: randomUUID(), ...body(), token: created } };
    }
    if (path === '/api/v1/profiles' && method === 'GET') {
      return {
        status: 200,
        json: {
          items: [
            { id: 'p1', key: 'meeting', name: 'Meeting', description: null, default_version: 2 },
            { id: 'p2', key: 'talk', name: 'Talk', description: null, default_version: 1 },
          ],
          next_cursor: null,
        },
      };
    }
    const profile = /^\/api\/v1\/profiles\/([^/]+)(?:\/versions\/(\d+))?$/.exec(path);
    if (profile && method === 'GET') return this.profile(profile[1] ?? '', profile[2]);
    if (path === '/api/v1/jobs/batch' && method === 'POST') return this.createBatch(request);
    const batch = /^\/api\/v1\/batches\/([^/]+)$/.exec(path);
    if (batch && method === 'GET') return this.readBatch(batch[1] ?? '');
    if (batch && method === 'DELETE') return this.deleteBatch(batch[1] ?? '');
    if (path === '/api/v1/batches' && method === 'GET') {
      const items = [...this.batches.keys()].map((id) => this.readBatch(id).json);
      return { status: 200, json: { items, next_cursor: null } };
    }
    if (path === '/api/v1/jobs' && method === 'GET') {
      const items = [...this.jobs.values()].map((job) => job.view);
      return { status: 200, json: { items, next_cursor: null } };
    }
    const job = /^\/api\/v1\/jobs\/([^/]+)(?:\/(artifacts|rerun|changes|speakers))?$/.exec(path);
    if (job) return this.jobRoute(method, job[1] ?? '', job[2], body);
    const artifact = /^\/api\/v1\/artifacts\/([^/]+)$/.exec(path);
    if (artifact && method === 'GET') return this.signArtifact(artifact[1] ?? '');
    if (path === '/api/v1/prompts' && method === 'POST') return this.createPrompt(body());
    const prompt = /^\/api\/v1\/prompts\/([^/]+)$/.exec(path);
    if (prompt && method === 'GET') return this.readPrompt(prompt[1] ?? '');
    const exportPath = /^\/api\/v1\/exports\/([^/]+)$/.exec(path);
    if (exportPath && method === 'POST') return this.createExport(exportPath[1] ?? '');
    if (exportPath && method === 'GET') return this.readExport(exportPath[1] ?? '');
    return error(404, 'NOT_FOUND', `Cannot ${method} ${path}`);
  }

  private verifyMagicLink(request: RecordedRequest): Answer {
    const { token } = JSON.parse(request.body.toString('utf8')) as { token?: string };
    if (token !== 'link-secret')
      return error(401, 'UNAUTHORIZED', 'This sign-in link is invalid or has expired');
    this.tokens.add('jwt-session');
    return {
      status: 200,
      json: {
        token_type: 'Bearer',
        access_token: 'jwt-session',
        expires_in: 900,
        refresh_token: 'refresh-1',
        user: { id: 'user-1', email: 'ana@example.test' },
      },
    };
  }

  private profile(key: string, version: string | undefined): Answer {
    if (key !== 'meeting') return error(404, 'NOT_FOUND', `No profile ${key}`);
    const definition = {
      key,
      version: Number(version ?? 2),
      status: 'active',
      is_default: version === undefined || version === '2',
      prompts: { summary: 'Summarise' },
      parameters: {},
      output_schema: { type: 'object', properties: { summary: {}, tasks: {} } },
      template: '# {{title}}',
      created_at: '2026-11-01T00:00:00.000Z',
    };
    if (version !== undefined) {
      return Number(version) > 2
        ? error(404, 'NOT_FOUND', `No version ${version} of ${key}`)
        : { status: 200, json: definition };
    }
    return {
      status: 200,
      json: {
        id: 'p1',
        key,
        name: 'Meeting',
        description: 'Decisions and tasks',
        default_version: 2,
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-01T00:00:00.000Z',
        versions: [
          { version: 1, status: 'deprecated', created_at: '2026-11-01T00:00:00.000Z' },
          { version: 2, status: 'active', created_at: '2026-11-02T00:00:00.000Z' },
        ],
        default: definition,
      },
    };
  }

  private async createBatch(request: RecordedRequest): Promise<Answer> {
    const form = await new Response(request.body, {
      headers: { 'content-type': request.headers['content-type'] ?? '' },
    }).formData();
    if (form.get('profile') !== 'meeting')
      return error(404, 'NOT_FOUND', `No profile ${String(form.get('profile'))}`);
    const files = form.getAll('file').filter((part) => typeof part !== 'string') as unknown as {
      name: string;
      text(): Promise<string>;
    }[];
    if (files.length === 0) return error(400, 'VALIDATION_FAILED', 'a batch needs at least one file');
    const id = randomUUID();
    const jobIds: string[] = [];
    for (const file of files) jobIds.push(this.newJob(file.name, await file.text(), id).view.id);
    this.batches.set(id, { id, job_ids: jobIds, created_at: new Date().toISOString() });
    return { status: 202, json: { batch_id: id, job_ids: jobIds } };
  }

  private readBatch(id: string): Answer {
    const batch = this.batches.get(id);
    if (!batch) return error(404, 'NOT_FOUND', `No batch ${id}`);
    const items = batch.job_ids.map((jobId) => {
      const job = this.jobs.get(jobId) as FakeJob;
      return { job_id: jobId, filename: job.view.filename, status: this.read(job).status };
    });
    const count = (status: JobStatus) => items.filter((item) => item.status === status).length;
    const running = count('queued') + count('running') > 0;
    return {
      status: 200,
      json: {
        id,
        profile_key: 'meeting',
        profile_version: 1,
        status: running ? 'running' : count('completed') === items.length ? 'completed' : 'partially_failed',
        counts: {
          total: items.length,
          queued: count('queued'),
          running: count('running'),
          completed: count('completed'),
          failed: count('failed'),
          cancelled: count('cancelled'),
        },
        items,
        created_at: batch.created_at,
      },
    };
  }

  private deleteBatch(id: string): Answer {
    const batch = this.batches.get(id);
    if (!batch) return error(404, 'NOT_FOUND', `No batch ${id}`);
    for (const jobId of batch.job_ids) this.jobs.delete(jobId);
    this.batches.delete(id);
    return { status: 204 };
  }

  private jobRoute(
    method: string,
    id: string,
    sub: string | undefined,
    body: () => Record<string, unknown>,
  ): Answer {
    const job = this.jobs.get(id);
    if (!job) return error(404, 'NOT_FOUND', `No job ${id}`);
    if (method === 'GET' && sub === undefined) return { status: 200, json: this.read(job) };
    if (method === 'DELETE' && sub === undefined) {
      this.jobs.delete(id);
      return { status: 204 };
    }
    if (method === 'GET' && sub === 'artifacts') {
      return {
        status: 200,
        json: { items: job.artifacts.map((artifact) => artifact.view), next_cursor: null },
      };
    }
    if (method === 'POST' && sub === 'rerun') {
      if (job.view.status !== 'completed') return error(409, 'CONFLICT', 'Only a finished job can be re-run');
      const rerun = this.newJob(job.view.filename ?? 'rerun', 'again', null);
      const version = body()['profile_version'];
      rerun.view = {
        ...rerun.view,
        rerun_of: id,
        profile_version: typeof version === 'number' ? version : 1,
      };
      return { status: 202, json: { job_id: rerun.view.id } };
    }
    if (method === 'POST' && sub === 'speakers') {
      const rename = body()['rename'];
      if (typeof rename !== 'object' || rename === null)
        return error(400, 'VALIDATION_FAILED', 'rename must be an object');
      return { status: 202, json: { job_id: id, relabel_id: randomUUID() } };
    }
    if (method === 'GET' && sub === 'changes') {
      const changes: ResultsChanges = {
        job_id: id,
        rerun_of: job.view.rerun_of ?? '',
        profile: { key: 'meeting', from_version: 1, to_version: job.view.profile_version },
        summary_changed: true,
        sections: [
          { section: 'tasks', added: [{ text: 'Send the notes' }], removed: [], changed: [], unchanged: 2 },
        ],
      };
      return { status: 200, json: changes };
    }
    return error(404, 'NOT_FOUND', `Cannot ${method} this`);
  }

  private findArtifact(id: string): StoredArtifact | undefined {
    for (const job of this.jobs.values()) {
      const found = job.artifacts.find((artifact) => artifact.view.id === id);
      if (found) return found;
    }
    for (const { artifacts } of this.exportArtifacts.values()) {
      const found = artifacts.find((artifact) => artifact.view.id === id);
      if (found) return found;
    }
    return undefined;
  }

  private signArtifact(id: string): Answer {
    if (!this.findArtifact(id)) return error(404, 'NOT_FOUND', `No artifact ${id}`);
    return {
      status: 200,
      json: {
        url: `/api/v1/downloads/${id}?exp=9999999999&kid=k1&sig=${sha256(id)}`,
        expires_at: '2099-01-01T00:00:00Z',
      },
    };
  }

  private serveDownload(id: string, query: URLSearchParams): Answer {
    const artifact = this.findArtifact(id);
    if (!artifact || query.get('sig') !== sha256(id)) return error(404, 'NOT_FOUND', 'No such download');
    const corrupted = this.corruptKinds.has(artifact.view.kind);
    return { status: 200, bytes: corrupted ? Buffer.from('not what was recorded') : artifact.bytes };
  }

  /** Artifacts of an export live beside the jobs', under the export's id. */
  private readonly exportArtifacts = new Map<string, { artifacts: StoredArtifact[] }>();

  private createPrompt(body: Record<string, unknown>): Answer {
    const job = this.jobs.get(String(body['job_id']));
    if (!job) return error(404, 'NOT_FOUND', `No job ${String(body['job_id'])}`);
    if (job.view.status !== 'completed') return error(409, 'CONFLICT', 'The job is not completed');
    const id = randomUUID();
    const view: PromptView = {
      id,
      job_id: job.view.id,
      prompt: String(body['prompt']),
      status: 'pending',
      result_artifact_id: null,
      json_artifact_id: null,
      provider: null,
      tokens: null,
      cost: 0,
      created_at: new Date().toISOString(),
      answered_at: null,
      error: null,
    };
    this.prompts.set(id, { view, reads: 0 });
    return { status: 202, json: { prompt_id: id } };
  }

  private readPrompt(id: string): Answer {
    const prompt = this.prompts.get(id);
    if (!prompt) return error(404, 'NOT_FOUND', `No prompt ${id}`);
    prompt.reads += 1;
    if (prompt.reads >= 2 && prompt.view.status === 'pending') {
      const job = this.jobs.get(prompt.view.job_id) as FakeJob;
      const answer = this.artifact(
        job.view.id,
        `prompt:${id}`,
        `prompt-${id}.md`,
        `Ana at 00:00:01: "we ship on Friday"\n`,
      );
      job.artifacts.push(answer);
      prompt.view = {
        ...prompt.view,
        status: 'answered',
        result_artifact_id: answer.view.id,
        answered_at: new Date().toISOString(),
      };
    }
    return { status: 200, json: prompt.view };
  }

  private createExport(subjectId: string): Answer {
    const job = this.jobs.get(subjectId);
    const batch = this.batches.get(subjectId);
    if (!job && !batch) return error(404, 'NOT_FOUND', `No job or batch ${subjectId}`);
    const id = randomUUID();
    const files: Record<string, Uint8Array> = {
      'standup/results.md': Buffer.from('# standup\n'),
      'standup/results.json': Buffer.from('{"summary":"s"}'),
    };
    const manifest = {
      files: Object.entries(files).map(([path, bytes]) => ({
        path,
        sha256: sha256(bytes),
        size: bytes.length,
      })),
    };
    if (this.tamperExportManifest && manifest.files[0])
      manifest.files[0] = { ...manifest.files[0], sha256: sha256('other') };
    const zip = Buffer.from(
      zipSync(
        { ...files, 'manifest.json': Buffer.from(JSON.stringify(manifest)) },
        { mtime: new Date('2000-01-01T00:00:00Z') },
      ),
    );
    const artifacts = [
      this.artifact(id, 'export_zip', 'export.zip', zip),
      this.artifact(
        id,
        'export_json',
        'export.json',
        JSON.stringify({
          format: 'scriptripper-export',
          manifest,
          files: Object.entries(files).map(([path, bytes]) => ({
            path,
            content: Buffer.from(bytes).toString('utf8'),
          })),
        }),
      ),
    ];
    this.exportArtifacts.set(id, { artifacts });
    const view: ExportView = {
      id,
      subject_type: job ? 'job' : 'batch',
      subject_id: subjectId,
      status: 'pending',
      artifacts: [],
      error: null,
      created_at: new Date().toISOString(),
      completed_at: null,
    };
    this.exports.set(id, { view, reads: 0 });
    return { status: 202, json: { export_id: id } };
  }

  private readExport(id: string): Answer {
    const stored = this.exports.get(id);
    if (!stored) return error(404, 'NOT_FOUND', `No export ${id}`);
    stored.reads += 1;
    if (stored.reads >= 2 && stored.view.status === 'pending') {
      const artifacts = this.exportArtifacts.get(id)?.artifacts ?? [];
      stored.view = {
        ...stored.view,
        status: 'completed',
        artifacts: artifacts.map((artifact) => artifact.view),
      };
    }
    return { status: 200, json: stored.view };
  }
}
