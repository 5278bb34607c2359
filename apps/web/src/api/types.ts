// The shapes of the HTTP API the console reads, as the gateway's DTOs describe them
// (apps/gateway/src/**/*.dto.ts). Snake case, as on the wire.

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface JobMetrics {
  duration_ms: number | null;
  words: number | null;
  segments: number | null;
  speakers: number | null;
  tokens: number | null;
  dropped_items?: number;
  input_tokens?: number;
  output_tokens?: number;
  provider?: string;
  model?: string | null;
}

export interface JobView {
  id: string;
  user_id: string;
  profile_id: string;
  profile_key: string;
  profile_version: number;
  status: JobStatus;
  input_uri: string;
  format: string | null;
  filename: string | null;
  meeting_date: string | null;
  attempts: number;
  metrics: JobMetrics | null;
  cost: number;
  provider?: string | null;
  error: { code: string; message: string; retryable: boolean } | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  batch_id?: string | null;
  rerun_of?: string | null;
}

export interface JobStatusEvent {
  job_id: string;
  status: JobStatus;
  attempt: number;
  at: string;
}

export interface ArtifactView {
  id: string;
  job_id: string;
  kind: string;
  uri: string;
  checksum: string;
  size: number;
  content_type: string;
  filename: string;
  created_at: string;
}

export interface SignedDownload {
  url: string;
  expires_at: string;
}

export const BATCH_STATUSES = ['running', 'completed', 'partially_failed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface BatchView {
  id: string;
  user_id: string;
  profile_key: string;
  profile_version: number;
  status: BatchStatus;
  counts: {
    total: number;
    queued: number;
    running: number;
    completed: number;
    failed: number;
    cancelled: number;
  };
  items: { job_id: string; filename: string | null; status: JobStatus }[];
  created_at: string;
}

export interface ExportView {
  id: string;
  subject_type: 'job' | 'batch';
  subject_id: string;
  status: 'pending' | 'completed' | 'failed';
  artifacts: ArtifactView[];
  error: { code: string; message: string } | null;
  created_at: string;
  completed_at: string | null;
}

export type ProfileVersionStatus = 'draft' | 'active' | 'deprecated';

export interface ProfileSummary {
  id: string;
  key: string;
  name: string;
  description: string | null;
  default_version: number;
  created_at: string;
  updated_at: string;
}

export interface ProfileVersionDefinition {
  prompts: Record<string, unknown>;
  parameters: Record<string, unknown>;
  output_schema: Record<string, unknown>;
  template: string;
}

export interface ProfileVersionView extends ProfileVersionDefinition {
  key: string;
  version: number;
  status: ProfileVersionStatus;
  is_default: boolean;
  created_at: string;
}

export interface ProfileView extends ProfileSummary {
  versions: { version: number; status: ProfileVersionStatus; created_at: string }[];
  default: ProfileVersionView;
}

export interface PromptView {
  id: string;
  job_id: string;
  prompt: string;
  status: 'pending' | 'answered' | 'failed';
  result_artifact_id: string | null;
  json_artifact_id: string | null;
  provider: string | null;
  tokens: number | null;
  cost: number;
  created_at: string;
  answered_at: string | null;
  error: { code: string; message: string } | null;
}

export interface PromptCitation {
  quote: string;
  speaker: string;
  start_ms: number;
}

/** The JSON artifact of an answered prompt. */
export interface PromptAnswerDocument {
  prompt_id: string;
  job_id: string;
  prompt: string;
  answer_markdown: string;
  citations: PromptCitation[];
  provider: string;
  model: string | null;
}

export interface SectionChanges {
  section: string;
  added: unknown[];
  removed: unknown[];
  changed: { before: unknown; after: unknown }[];
  unchanged: number;
}

export interface ResultsChanges {
  job_id: string;
  rerun_of: string;
  profile: { key: string; from_version: number; to_version: number };
  summary_changed: boolean;
  sections: SectionChanges[];
}

export interface RelabelStatus {
  id: string;
  job_id: string;
  status: 'pending' | 'applied' | 'failed';
  error: { code: string; message: string } | null;
}

export const ALL_SCOPES = [
  'jobs:read',
  'jobs:write',
  'account:admin',
  'profiles:admin',
  'users:admin',
  'audit:read',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The token that made this one, when a token (with account:admin) made it. */
  parent_token_id?: string | null;
}

export interface CreatedApiToken extends ApiTokenView {
  token: string;
}

export const WEBHOOK_EVENT_TYPES = ['job.completed', 'job.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  created_at: string;
}

export interface CreatedWebhook extends WebhookView {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  job_id: string;
  status: string;
  next_attempt_at: string | null;
  created_at: string;
  attempts: {
    attempt: number;
    attempted_at: string;
    status_code: number | null;
    duration_ms: number;
    error: string | null;
    next_attempt_at: string | null;
  }[];
}

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'user';
  created_at: string;
  updated_at: string;
}

export interface AuditEntry {
  service: string;
  position: number;
  stream_id: string;
  stream_type: string;
  version: number;
  type: string;
  actor: { id: string; role: string };
  correlation_id: string;
  causation_id: string | null;
  recorded_at: string;
  hash: string;
}

export interface AuditQuery {
  actor_id?: string;
  type?: string;
  correlation_id?: string;
  from?: string;
  to?: string;
}
