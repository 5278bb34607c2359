import { createHash } from 'node:crypto';
import type {
  ArtifactKind,
  ArtifactView,
  AuditEntry,
  JobView,
  Page,
  TokenPair,
} from '@scriptripper/contracts';
import { pollUntil } from '../../dev/test-support/node-processes';
import { magicLinkFor } from './mailbox';

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

export interface RequestOptions {
  readonly token?: string;
  readonly method?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as multipart/form-data instead. */
  readonly form?: FormData;
  readonly requestId?: string;
}

/** An artifact with the bytes its signed download URL gave, and their sha256. */
export interface DownloadedArtifact {
  readonly artifact: ArtifactView;
  readonly bytes: Buffer;
  readonly sha256: string;
}

export const TERMINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];

/** The gateway's HTTP API as a client uses it, for the job flows of the e2e tests. */
export class GatewayClient {
  constructor(
    private readonly gatewayUrl: string,
    private readonly mailFolder: string,
  ) {}

  async api<T = unknown>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const body = options.form ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    const response = await fetch(`${this.gatewayUrl}/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Signs in by magic link, reading the link from the SMTP sink's folder. */
  async signIn(email: string): Promise<TokenPair> {
    const asked = await this.api('/auth/magic-link', { method: 'POST', body: { email } });
    if (asked.status !== 202) throw new Error(`magic link for ${email} answered ${asked.status}`);
    const link = await magicLinkFor(this.mailFolder, email);
    const verified = await this.api<TokenPair>(`/auth/magic-link/verify${link.search}`);
    if (verified.status !== 200) throw new Error(`sign-in of ${email} answered ${verified.status}`);
    return verified.body;
  }

  /** POST /jobs as JSON; answers the new job's id. */
  async submit(token: string, body: Record<string, unknown>, requestId?: string): Promise<string> {
    const created = await this.api<{ job_id: string }>('/jobs', {
      token,
      method: 'POST',
      body,
      ...(requestId ? { requestId } : {}),
    });
    if (created.status !== 202) {
      throw new Error(`POST /jobs answered ${created.status}: ${JSON.stringify(created.body)}`);
    }
    return created.body.job_id;
  }

  job(jobId: string, token: string): Promise<Answer<JobView>> {
    return this.api<JobView>(`/jobs/${jobId}`, { token });
  }

  /** Polls the job until it is completed, failed or cancelled. */
  finished(jobId: string, token: string, timeoutMs = 90_000): Promise<JobView> {
    return pollUntil(
      `job ${jobId} to end`,
      async () => {
        const job = await this.job(jobId, token);
        return TERMINAL_STATUSES.includes(job.body.status) ? job.body : undefined;
      },
      timeoutMs,
    );
  }

  async artifacts(jobId: string, token: string): Promise<ArtifactView[]> {
    const listed = await this.api<{ items: ArtifactView[] }>(`/jobs/${jobId}/artifacts`, { token });
    if (listed.status !== 200) throw new Error(`artifacts of ${jobId} answered ${listed.status}`);
    return listed.body.items;
  }

  /** Every audit entry matching the filter (e.g. `{ type: 'JobCompleted' }`), page by page; admins only. */
  async auditEntries(token: string, filter: Readonly<Record<string, string>>): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ ...filter, limit: '100', ...(cursor ? { cursor } : {}) });
      const page: Answer<Page<AuditEntry>> = await this.api<Page<AuditEntry>>(`/audit?${query}`, { token });
      if (page.status !== 200) throw new Error(`GET /audit answered ${page.status}`);
      entries.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    return entries;
  }

  /** Every artifact of the job, downloaded through its signed URL, by kind. */
  async download(jobId: string, token: string): Promise<Map<ArtifactKind, DownloadedArtifact>> {
    const downloaded = new Map<ArtifactKind, DownloadedArtifact>();
    for (const artifact of await this.artifacts(jobId, token)) {
      const signed = await this.api<{ url: string }>(`/artifacts/${artifact.id}`, { token });
      if (signed.status !== 200) throw new Error(`artifact ${artifact.id} answered ${signed.status}`);
      const response = await fetch(`${this.gatewayUrl}${signed.body.url}`);
      if (response.status !== 200) throw new Error(`download of ${artifact.id} answered ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      downloaded.set(artifact.kind, {
        artifact,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
    return downloaded;
  }
}

/** Every `evidence[].quote` anywhere in an analysis result. */
export function evidenceQuotesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(evidenceQuotesOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'evidence' && Array.isArray(inner)
      ? inner.flatMap((item: unknown) =>
          typeof item === 'object' && item !== null && typeof (item as { quote?: unknown }).quote === 'string'
            ? [(item as { quote: string }).quote]
            : [],
        )
      : evidenceQuotesOf(inner),
  );
}
