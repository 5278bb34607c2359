import type {
  ArtifactView,
  BatchView,
  CreatePromptResponse,
  CreatedApiToken,
  ExportView,
  JobStatus,
  JobView,
  Page,
  ProfileSummary,
  ProfileVersionView,
  ProfileView,
  PromptView,
  RelabelSpeakersResponse,
  RerunJobResponse,
  ResultsChanges,
  Scope,
  SignedDownload,
  SpeakerRenames,
  TokenPair,
  UserView,
} from '@scriptripper/contracts';
import { ApiClient } from './api-client';

/** `POST /jobs/batch` -> 202. */
export interface CreatedBatch {
  readonly batch_id: string;
  readonly job_ids: readonly string[];
}

/** The routes of the gateway the CLI uses, typed by the contracts. */
export class ScriptRipperApi {
  constructor(readonly client: ApiClient) {}

  get baseUrl(): string {
    return this.client.baseUrl;
  }

  me(): Promise<UserView> {
    return this.client.get('/me');
  }

  requestMagicLink(email: string): Promise<unknown> {
    return this.client.post('/auth/magic-link', { json: { email }, anonymous: true });
  }

  verifyMagicLink(token: string): Promise<TokenPair> {
    return this.client.post('/auth/magic-link/verify', { json: { token }, anonymous: true });
  }

  signOut(accessToken: string, refreshToken: string): Promise<void> {
    return this.client.post('/auth/sign-out', {
      json: { refresh_token: refreshToken },
      anonymous: true,
      headers: { authorization: `Bearer ${accessToken}` },
    });
  }

  createApiToken(accessToken: string, name: string, scopes: readonly Scope[]): Promise<CreatedApiToken> {
    return this.client.post('/tokens', {
      json: { name, scopes },
      anonymous: true,
      headers: { authorization: `Bearer ${accessToken}` },
    });
  }

  profiles(cursor?: string): Promise<Page<ProfileSummary>> {
    return this.client.get('/profiles', { limit: 100, cursor });
  }

  profile(key: string): Promise<ProfileView> {
    return this.client.get(`/profiles/${encodeURIComponent(key)}`);
  }

  profileVersion(key: string, version: number): Promise<ProfileVersionView> {
    return this.client.get(`/profiles/${encodeURIComponent(key)}/versions/${version}`);
  }

  submitBatch(form: FormData): Promise<CreatedBatch> {
    return this.client.post('/jobs/batch', { form });
  }

  batch(id: string): Promise<BatchView> {
    return this.client.get(`/batches/${encodeURIComponent(id)}`);
  }

  batches(query: { limit?: number; cursor?: string }): Promise<Page<BatchView>> {
    return this.client.get('/batches', query);
  }

  deleteBatch(id: string): Promise<void> {
    return this.client.delete(`/batches/${encodeURIComponent(id)}`);
  }

  jobs(query: { status?: JobStatus; limit?: number; cursor?: string }): Promise<Page<JobView>> {
    return this.client.get('/jobs', query);
  }

  job(id: string): Promise<JobView> {
    return this.client.get(`/jobs/${encodeURIComponent(id)}`);
  }

  deleteJob(id: string): Promise<void> {
    return this.client.delete(`/jobs/${encodeURIComponent(id)}`);
  }

  rerun(id: string, profileVersion?: number): Promise<RerunJobResponse> {
    return this.client.post(`/jobs/${encodeURIComponent(id)}/rerun`, {
      json: profileVersion === undefined ? {} : { profile_version: profileVersion },
    });
  }

  relabelSpeakers(id: string, rename: SpeakerRenames): Promise<RelabelSpeakersResponse> {
    return this.client.post(`/jobs/${encodeURIComponent(id)}/speakers`, { json: { rename } });
  }

  changes(id: string): Promise<ResultsChanges> {
    return this.client.get(`/jobs/${encodeURIComponent(id)}/changes`);
  }

  async artifacts(jobId: string): Promise<readonly ArtifactView[]> {
    const page = await this.client.get<Page<ArtifactView>>(`/jobs/${encodeURIComponent(jobId)}/artifacts`);
    return page.items;
  }

  signArtifact(id: string): Promise<SignedDownload> {
    return this.client.get(`/artifacts/${encodeURIComponent(id)}`);
  }

  createPrompt(jobId: string, prompt: string): Promise<CreatePromptResponse> {
    return this.client.post('/prompts', { json: { job_id: jobId, prompt } });
  }

  prompt(id: string): Promise<PromptView> {
    return this.client.get(`/prompts/${encodeURIComponent(id)}`);
  }

  requestExport(subjectId: string): Promise<{ export_id: string }> {
    return this.client.post(`/exports/${encodeURIComponent(subjectId)}`);
  }

  export(id: string): Promise<ExportView> {
    return this.client.get(`/exports/${encodeURIComponent(id)}`);
  }
}
