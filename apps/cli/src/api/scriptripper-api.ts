import type { Scope, SpeakerRenames } from '@scriptripper/contracts';
import type { ApiSchema } from '@scriptripper/sdk';
import { ApiClient } from './api-client';

export type UserView = ApiSchema<'UserViewDto'>;
export type SessionTokens = ApiSchema<'SessionTokensDto'>;
export type CreatedApiToken = ApiSchema<'CreatedApiTokenDto'>;
export type ProfilePage = ApiSchema<'ProfilePageDto'>;
export type ProfileSummary = ApiSchema<'ProfileSummaryDto'>;
export type ProfileView = ApiSchema<'ProfileViewDto'>;
export type ProfileVersionView = ApiSchema<'ProfileVersionViewDto'>;
export type CreatedBatch = ApiSchema<'CreatedBatchDto'>;
export type BatchView = ApiSchema<'BatchViewDto'>;
export type BatchPage = ApiSchema<'BatchPageDto'>;
export type JobView = ApiSchema<'JobViewDto'>;
export type JobPage = ApiSchema<'JobPageDto'>;
export type JobStatus = JobView['status'];
export type RerunCreated = ApiSchema<'RerunCreatedDto'>;
export type RelabelAccepted = ApiSchema<'RelabelAcceptedDto'>;
export type ResultsChanges = ApiSchema<'ResultsChangesDto'>;
export type ArtifactView = ApiSchema<'ArtifactViewDto'>;
export type SignedDownload = ApiSchema<'SignedDownloadDto'>;
export type CreatedPrompt = ApiSchema<'CreatedPromptDto'>;
export type PromptView = ApiSchema<'PromptViewDto'>;
export type CreatedExport = ApiSchema<'CreatedExportDto'>;
export type ExportView = ApiSchema<'ExportViewDto'>;

/**
 * The routes of the gateway the CLI uses, through the SDK generated from the gateway's OpenAPI
 * document, so a renamed route or field fails the CLI's type check rather than its users.
 */
export class ScriptRipperApi {
  constructor(readonly client: ApiClient) {}

  get baseUrl(): string {
    return this.client.baseUrl;
  }

  async me(): Promise<UserView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/me'));
  }

  async requestMagicLink(email: string): Promise<unknown> {
    return dataOf(await this.client.anonymous.POST('/api/v1/auth/magic-link', { body: { email } }));
  }

  /** The token of a magic link (the console's link carries it), POSTed: tokens in the body, as an API client. */
  async verifyMagicLink(token: string): Promise<SessionTokens> {
    return dataOf(await this.client.anonymous.POST('/api/v1/auth/magic-link/verify', { body: { token } }));
  }

  async signOut(accessToken: string, refreshToken: string): Promise<void> {
    await this.client.anonymous.POST('/api/v1/auth/sign-out', {
      body: { refresh_token: refreshToken },
      headers: { authorization: `Bearer ${accessToken}` },
    });
  }

  async createApiToken(
    accessToken: string,
    name: string,
    scopes: readonly Scope[],
  ): Promise<CreatedApiToken> {
    return dataOf(
      await this.client.anonymous.POST('/api/v1/tokens', {
        body: { name, scopes: [...scopes] },
        headers: { authorization: `Bearer ${accessToken}` },
      }),
    );
  }

  async profiles(cursor?: string): Promise<ProfilePage> {
    return dataOf(
      await this.client.signedIn.GET('/api/v1/profiles', { params: { query: { limit: 100, cursor } } }),
    );
  }

  async profile(key: string): Promise<ProfileView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/profiles/{key}', { params: { path: { key } } }));
  }

  async profileVersion(key: string, version: number): Promise<ProfileVersionView> {
    return dataOf(
      await this.client.signedIn.GET('/api/v1/profiles/{key}/versions/{version}', {
        params: { path: { key, version } },
      }),
    );
  }

  /**
   * Multipart: the transcripts as `files` parts and the other fields as text parts (built by the
   * caller). The SDK types the JSON form of this body; a FormData is sent as it is.
   */
  async submitBatch(form: FormData): Promise<CreatedBatch> {
    return dataOf(await this.client.signedIn.POST('/api/v1/jobs/batch', { body: form as never }));
  }

  async batch(id: string): Promise<BatchView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/batches/{id}', { params: { path: { id } } }));
  }

  async batches(query: { limit?: number; cursor?: string }): Promise<BatchPage> {
    return dataOf(await this.client.signedIn.GET('/api/v1/batches', { params: { query } }));
  }

  async deleteBatch(id: string): Promise<void> {
    await this.client.signedIn.DELETE('/api/v1/batches/{id}', { params: { path: { id } } });
  }

  async jobs(query: { status?: JobStatus; limit?: number; cursor?: string }): Promise<JobPage> {
    return dataOf(await this.client.signedIn.GET('/api/v1/jobs', { params: { query } }));
  }

  async job(id: string): Promise<JobView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
  }

  async deleteJob(id: string): Promise<void> {
    await this.client.signedIn.DELETE('/api/v1/jobs/{id}', { params: { path: { id } } });
  }

  async rerun(id: string, profileVersion?: number): Promise<RerunCreated> {
    return dataOf(
      await this.client.signedIn.POST('/api/v1/jobs/{id}/rerun', {
        params: { path: { id } },
        body: profileVersion === undefined ? {} : { profile_version: profileVersion },
      }),
    );
  }

  async relabelSpeakers(id: string, rename: SpeakerRenames): Promise<RelabelAccepted> {
    return dataOf(
      await this.client.signedIn.POST('/api/v1/jobs/{id}/speakers', {
        params: { path: { id } },
        body: { rename: { ...rename } },
      }),
    );
  }

  async changes(id: string): Promise<ResultsChanges> {
    return dataOf(await this.client.signedIn.GET('/api/v1/jobs/{id}/changes', { params: { path: { id } } }));
  }

  async artifacts(jobId: string): Promise<readonly ArtifactView[]> {
    const page = dataOf(
      await this.client.signedIn.GET('/api/v1/jobs/{id}/artifacts', { params: { path: { id: jobId } } }),
    );
    return page.items;
  }

  async signArtifact(id: string): Promise<SignedDownload> {
    return dataOf(await this.client.signedIn.GET('/api/v1/artifacts/{id}', { params: { path: { id } } }));
  }

  async createPrompt(jobId: string, prompt: string): Promise<CreatedPrompt> {
    return dataOf(await this.client.signedIn.POST('/api/v1/prompts', { body: { job_id: jobId, prompt } }));
  }

  async prompt(id: string): Promise<PromptView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/prompts/{id}', { params: { path: { id } } }));
  }

  async requestExport(subjectId: string): Promise<CreatedExport> {
    return dataOf(
      await this.client.signedIn.POST('/api/v1/exports/{id}', { params: { path: { id: subjectId } } }),
    );
  }

  async export(id: string): Promise<ExportView> {
    return dataOf(await this.client.signedIn.GET('/api/v1/exports/{id}', { params: { path: { id } } }));
  }
}

/**
 * The data of a call. ApiClient's fetch throws for every refusal, so an answer here is a
 * success; its data is what the document promises for it.
 */
function dataOf<Data>(result: { data?: Data; response: Response }): Data {
  return result.data as Data;
}
