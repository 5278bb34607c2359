import { createScriptRipperClient, type ScriptRipperClient } from '@scriptripper/sdk';
import { apiErrorOf, apiErrorOfResponse } from './api-error';
import type {
  ApiTokenView,
  ArtifactView,
  AuditEntry,
  AuditQuery,
  BatchView,
  CreatedApiToken,
  CreatedWebhook,
  ExportView,
  JobStatus,
  JobView,
  Page,
  ProfileSummary,
  ProfileVersionDefinition,
  ProfileVersionView,
  ProfileView,
  PromptView,
  RelabelStatus,
  ResultsChanges,
  Scope,
  SignedDownload,
  UserView,
  WebhookDelivery,
  WebhookEventType,
  WebhookView,
} from './types';

/** What the API layer needs of the session: requests carrying a valid access token. */
export interface AuthorizedFetcher {
  authorizedFetch(path: string, init?: RequestInit): Promise<Response>;
  accessToken(): Promise<string | null>;
  readonly apiBase: string;
}

/** What every call of the typed client answers. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Every call of the HTTP API the console makes, through the typed SDK (@scriptripper/sdk,
 * generated from the gateway's OpenAPI document): each method's declared answer must accept
 * what the document says the route answers, so a change of the API fails the console's type
 * check. Requests go through the session (access token, one refresh and retry on 401).
 * Refusals throw ApiError with the API's own message, which the pages show as it is.
 */
export class ScriptRipperApi {
  private readonly client: ScriptRipperClient;

  constructor(private readonly session: AuthorizedFetcher) {
    this.client = createScriptRipperClient({
      // The console is served by the gateway: the API is on the page's own origin.
      baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
      fetch: (request) => this.send(request),
    });
  }

  get apiBase(): string {
    return this.session.apiBase;
  }

  // Jobs
  listJobs(query: {
    status?: JobStatus;
    profile?: string;
    batch_id?: string;
    created_from?: string;
    created_to?: string;
    cursor?: string;
    limit?: number;
  }): Promise<Page<JobView>> {
    return this.call(this.client.GET('/api/v1/jobs', { params: { query } }));
  }
  getJob(id: string): Promise<JobView> {
    return this.call(this.client.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
  }
  cancelJob(id: string): Promise<JobView> {
    return this.call(this.client.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } } }));
  }
  deleteJob(id: string): Promise<void> {
    return this.none(this.client.DELETE('/api/v1/jobs/{id}', { params: { path: { id } } }));
  }
  rerunJob(id: string, profileVersion?: number): Promise<{ job_id: string }> {
    return this.call(
      this.client.POST('/api/v1/jobs/{id}/rerun', {
        params: { path: { id } },
        body: profileVersion === undefined ? {} : { profile_version: profileVersion },
      }),
    );
  }
  changesOf(id: string): Promise<ResultsChanges> {
    return this.call(this.client.GET('/api/v1/jobs/{id}/changes', { params: { path: { id } } }));
  }
  relabelSpeakers(
    id: string,
    rename: Record<string, string>,
  ): Promise<{ job_id: string; relabel_id: string }> {
    return this.call(
      this.client.POST('/api/v1/jobs/{id}/speakers', { params: { path: { id } }, body: { rename } }),
    );
  }
  relabelStatus(id: string, relabelId: string): Promise<RelabelStatus> {
    return this.call(
      this.client.GET('/api/v1/jobs/{id}/speakers/{relabel_id}', {
        params: { path: { id, relabel_id: relabelId } },
      }),
    );
  }
  async artifactsOf(id: string): Promise<{ items: ArtifactView[] }> {
    const list = await this.call(
      this.client.GET('/api/v1/jobs/{id}/artifacts', { params: { path: { id } } }),
    );
    return { items: list.items.map(artifactOf) };
  }
  signArtifact(id: string): Promise<SignedDownload> {
    return this.call(this.client.GET('/api/v1/artifacts/{id}', { params: { path: { id } } }));
  }
  /** An artifact's content as JSON, through its signed URL (which needs no token). */
  async artifactJson<T>(artifactId: string): Promise<T> {
    const signed = await this.signArtifact(artifactId);
    const response = await fetch(signed.url, { credentials: 'same-origin' });
    if (!response.ok) throw await apiErrorOfResponse(response);
    return (await response.json()) as T;
  }

  // Prompts
  ask(jobId: string, prompt: string): Promise<{ prompt_id: string }> {
    return this.call(this.client.POST('/api/v1/prompts', { body: { job_id: jobId, prompt } }));
  }
  getPrompt(id: string): Promise<PromptView> {
    return this.call(this.client.GET('/api/v1/prompts/{id}', { params: { path: { id } } }));
  }
  promptsOf(id: string): Promise<Page<PromptView>> {
    return this.call(
      this.client.GET('/api/v1/jobs/{id}/prompts', { params: { path: { id }, query: { limit: 100 } } }),
    );
  }

  // Batches and exports
  listBatches(cursor?: string): Promise<Page<BatchView>> {
    return this.call(
      this.client.GET('/api/v1/batches', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } }),
    );
  }
  getBatch(id: string): Promise<BatchView> {
    return this.call(this.client.GET('/api/v1/batches/{id}', { params: { path: { id } } }));
  }
  deleteBatch(id: string): Promise<void> {
    return this.none(this.client.DELETE('/api/v1/batches/{id}', { params: { path: { id } } }));
  }
  requestExport(id: string): Promise<{ export_id: string }> {
    return this.call(this.client.POST('/api/v1/exports/{id}', { params: { path: { id } } }));
  }
  async getExport(id: string): Promise<ExportView> {
    const view = await this.call(this.client.GET('/api/v1/exports/{id}', { params: { path: { id } } }));
    return { ...view, artifacts: view.artifacts.map(artifactOf) };
  }

  // Profiles
  listProfiles(): Promise<Page<ProfileSummary>> {
    return this.call(this.client.GET('/api/v1/profiles', { params: { query: { limit: 100 } } }));
  }
  getProfile(key: string): Promise<ProfileView> {
    return this.call(this.client.GET('/api/v1/profiles/{key}', { params: { path: { key } } }));
  }
  getProfileVersion(key: string, version: number): Promise<ProfileVersionView> {
    return this.call(
      this.client.GET('/api/v1/profiles/{key}/versions/{version}', { params: { path: { key, version } } }),
    );
  }
  publishVersion(
    key: string,
    definition: ProfileVersionDefinition & { status?: 'active' | 'draft' },
  ): Promise<ProfileVersionView> {
    return this.call(
      this.client.POST('/api/v1/profiles/{key}/versions', {
        params: { path: { key } },
        body: { ...definition, status: definition.status ?? 'active' },
      }),
    );
  }
  setDefaultVersion(key: string, version: number): Promise<ProfileView> {
    return this.call(
      this.client.POST('/api/v1/profiles/{key}/default', { params: { path: { key } }, body: { version } }),
    );
  }
  deprecateVersion(key: string, version: number): Promise<ProfileView> {
    return this.call(
      this.client.POST('/api/v1/profiles/{key}/versions/{version}/deprecate', {
        params: { path: { key, version } },
      }),
    );
  }

  // Settings
  listTokens(): Promise<Page<ApiTokenView>> {
    return this.call(this.client.GET('/api/v1/tokens', { params: { query: { limit: 100 } } }));
  }
  createToken(body: { name: string; scopes: Scope[]; expires_at?: string }): Promise<CreatedApiToken> {
    return this.call(this.client.POST('/api/v1/tokens', { body }));
  }
  revokeToken(id: string): Promise<void> {
    return this.none(this.client.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
  }
  listWebhooks(): Promise<Page<WebhookView>> {
    return this.call(this.client.GET('/api/v1/webhooks', { params: { query: { limit: 100 } } }));
  }
  createWebhook(body: { url: string; events: WebhookEventType[] }): Promise<CreatedWebhook> {
    return this.call(this.client.POST('/api/v1/webhooks', { body }));
  }
  deleteWebhook(id: string): Promise<void> {
    return this.none(this.client.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
  }
  deliveriesOf(id: string): Promise<Page<WebhookDelivery>> {
    return this.call(
      this.client.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 20 } } }),
    );
  }
  /** All of my data as one ZIP, streamed by the gateway. */
  async exportMyData(): Promise<Blob> {
    const answer = await this.client.GET('/api/v1/me/export', { parseAs: 'blob' });
    if (!answer.response.ok || answer.data === undefined) throw this.refusal(answer);
    return answer.data as Blob;
  }
  deleteMyAccount(): Promise<{ accepted: true }> {
    return this.call(this.client.DELETE('/api/v1/me'));
  }

  // Admin
  listUsers(cursor?: string): Promise<Page<UserView>> {
    return this.call(
      this.client.GET('/api/v1/admin/users', {
        params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    );
  }
  changeRole(id: string, role: 'admin' | 'user'): Promise<UserView> {
    return this.call(
      this.client.PATCH('/api/v1/admin/users/{id}/role', { params: { path: { id } }, body: { role } }),
    );
  }
  audit(query: AuditQuery & { cursor?: string; limit?: number }): Promise<Page<AuditEntry>> {
    return this.call(this.client.GET('/api/v1/audit', { params: { query } }));
  }
  /** Every service's hash chains verified: `ok`, and each service's outcome. */
  verifyAudit(): Promise<unknown> {
    return this.call(this.client.GET('/api/v1/audit/verify'));
  }

  /** The typed client's requests, sent through the session (token, refresh, retry). */
  private async send(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = `${url.pathname.replace(/^\/api\/v1/, '')}${url.search}`;
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    return this.session.authorizedFetch(path, {
      method: request.method,
      headers: request.headers,
      ...(body ? { body } : {}),
    });
  }

  private async call<T>(pending: Promise<Answer<T>>): Promise<T> {
    const answer = await pending;
    if (!answer.response.ok || answer.data === undefined) throw this.refusal(answer);
    return answer.data;
  }

  private async none(pending: Promise<Answer<unknown>>): Promise<void> {
    const answer = await pending;
    if (!answer.response.ok) throw this.refusal(answer);
  }

  private refusal(answer: Answer<unknown>) {
    return apiErrorOf(answer.response.status, answer.response.statusText, answer.error);
  }
}

/** The document types an artifact's kind loosely (a known kind or `prompt:<id>`): it is a string. */
function artifactOf<A extends { kind: unknown }>(artifact: A): Omit<A, 'kind'> & { kind: string } {
  return { ...artifact, kind: String(artifact.kind) };
}
