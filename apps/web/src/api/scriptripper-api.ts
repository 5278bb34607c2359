import { apiErrorOfResponse } from './api-error';
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
} from './types';

/** What the API layer needs of the session: requests carrying a valid access token. */
export interface AuthorizedFetcher {
  authorizedFetch(path: string, init?: RequestInit): Promise<Response>;
  accessToken(): Promise<string | null>;
  readonly apiBase: string;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const id = (value: string) => encodeURIComponent(value);

/**
 * Every call of the HTTP API the console makes, typed. Refusals throw ApiError with the API's
 * own message, which the pages show as it is.
 */
export class ScriptRipperApi {
  constructor(private readonly session: AuthorizedFetcher) {}

  get apiBase(): string {
    return this.session.apiBase;
  }

  // Jobs
  listJobs(query: { status?: JobStatus; cursor?: string; limit?: number }) {
    return this.get<Page<JobView>>(withQuery('/jobs', query));
  }
  getJob(jobId: string) {
    return this.get<JobView>(`/jobs/${id(jobId)}`);
  }
  cancelJob(jobId: string) {
    return this.send<JobView>('POST', `/jobs/${id(jobId)}/cancel`);
  }
  deleteJob(jobId: string) {
    return this.send<void>('DELETE', `/jobs/${id(jobId)}`);
  }
  rerunJob(jobId: string, profileVersion?: number) {
    return this.send<{ job_id: string }>(
      'POST',
      `/jobs/${id(jobId)}/rerun`,
      profileVersion === undefined ? {} : { profile_version: profileVersion },
    );
  }
  changesOf(jobId: string) {
    return this.get<ResultsChanges>(`/jobs/${id(jobId)}/changes`);
  }
  relabelSpeakers(jobId: string, rename: Record<string, string>) {
    return this.send<{ job_id: string; relabel_id: string }>('POST', `/jobs/${id(jobId)}/speakers`, {
      rename,
    });
  }
  relabelStatus(jobId: string, relabelId: string) {
    return this.get<RelabelStatus>(`/jobs/${id(jobId)}/speakers/${id(relabelId)}`);
  }
  artifactsOf(jobId: string) {
    return this.get<Page<ArtifactView>>(`/jobs/${id(jobId)}/artifacts`);
  }
  signArtifact(artifactId: string) {
    return this.get<SignedDownload>(`/artifacts/${id(artifactId)}`);
  }
  /** An artifact's content as JSON, through its signed URL (which needs no token). */
  async artifactJson<T>(artifactId: string): Promise<T> {
    const signed = await this.signArtifact(artifactId);
    const response = await fetch(signed.url, { credentials: 'same-origin' });
    if (!response.ok) throw await apiErrorOfResponse(response);
    return (await response.json()) as T;
  }

  // Prompts
  ask(jobId: string, prompt: string) {
    return this.send<{ prompt_id: string }>('POST', '/prompts', { job_id: jobId, prompt });
  }
  getPrompt(promptId: string) {
    return this.get<PromptView>(`/prompts/${id(promptId)}`);
  }
  promptsOf(jobId: string) {
    return this.get<Page<PromptView>>(withQuery(`/jobs/${id(jobId)}/prompts`, { limit: 100 }));
  }

  // Batches and exports
  listBatches(cursor?: string) {
    return this.get<Page<BatchView>>(withQuery('/batches', { cursor, limit: 20 }));
  }
  getBatch(batchId: string) {
    return this.get<BatchView>(`/batches/${id(batchId)}`);
  }
  deleteBatch(batchId: string) {
    return this.send<void>('DELETE', `/batches/${id(batchId)}`);
  }
  requestExport(subjectId: string) {
    return this.send<{ export_id: string }>('POST', `/exports/${id(subjectId)}`);
  }
  getExport(exportId: string) {
    return this.get<ExportView>(`/exports/${id(exportId)}`);
  }

  // Profiles
  listProfiles() {
    return this.get<Page<ProfileSummary>>(withQuery('/profiles', { limit: 100 }));
  }
  getProfile(key: string) {
    return this.get<ProfileView>(`/profiles/${id(key)}`);
  }
  getProfileVersion(key: string, version: number) {
    return this.get<ProfileVersionView>(`/profiles/${id(key)}/versions/${version}`);
  }
  publishVersion(key: string, definition: ProfileVersionDefinition & { status?: 'active' | 'draft' }) {
    return this.send<ProfileVersionView>('POST', `/profiles/${id(key)}/versions`, definition);
  }
  setDefaultVersion(key: string, version: number) {
    return this.send<ProfileView>('POST', `/profiles/${id(key)}/default`, { version });
  }
  deprecateVersion(key: string, version: number) {
    return this.send<ProfileView>('POST', `/profiles/${id(key)}/versions/${version}/deprecate`);
  }

  // Settings
  listTokens() {
    return this.get<Page<ApiTokenView>>(withQuery('/tokens', { limit: 100 }));
  }
  createToken(body: { name: string; scopes: Scope[]; expires_at?: string }) {
    return this.send<CreatedApiToken>('POST', '/tokens', body);
  }
  revokeToken(tokenId: string) {
    return this.send<void>('DELETE', `/tokens/${id(tokenId)}`);
  }
  listWebhooks() {
    return this.get<Page<{ id: string; url: string; events: WebhookEventType[]; created_at: string }>>(
      withQuery('/webhooks', { limit: 100 }),
    );
  }
  createWebhook(body: { url: string; events: WebhookEventType[] }) {
    return this.send<CreatedWebhook>('POST', '/webhooks', body);
  }
  deleteWebhook(webhookId: string) {
    return this.send<void>('DELETE', `/webhooks/${id(webhookId)}`);
  }
  deliveriesOf(webhookId: string) {
    return this.get<Page<WebhookDelivery>>(withQuery(`/webhooks/${id(webhookId)}/deliveries`, { limit: 20 }));
  }
  /** All of my data as one ZIP (streamed by the gateway; the token goes in the header, so fetched here). */
  async exportMyData(): Promise<Blob> {
    const response = await this.session.authorizedFetch('/me/export');
    if (!response.ok) throw await apiErrorOfResponse(response);
    return response.blob();
  }
  deleteMyAccount() {
    return this.send<{ accepted: true }>('DELETE', '/me');
  }

  // Admin
  listUsers(cursor?: string) {
    return this.get<Page<UserView>>(withQuery('/admin/users', { cursor, limit: 50 }));
  }
  changeRole(userId: string, role: 'admin' | 'user') {
    return this.send<UserView>('PATCH', `/admin/users/${id(userId)}/role`, { role });
  }
  audit(query: AuditQuery & { cursor?: string; limit?: number }) {
    return this.get<Page<AuditEntry>>(withQuery('/audit', { ...query }));
  }
  verifyAudit() {
    return this.get<unknown>('/audit/verify');
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.session.authorizedFetch(path);
    if (!response.ok) throw await apiErrorOfResponse(response);
    return (await response.json()) as T;
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.session.authorizedFetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await apiErrorOfResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
