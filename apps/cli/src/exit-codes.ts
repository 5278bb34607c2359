/**
 * What `scriptripper` exits with, so scripts can tell failures apart. Documented in the
 * README's "Command line" section; keep the two in step.
 */
export const ExitCode = {
  ok: 0,
  /** Anything not covered below: a server error, an unexpected answer, a timeout. */
  failure: 1,
  /** Bad arguments or options, or the API refused the request as invalid (400). */
  usage: 2,
  /** No token, or the token was refused (401) or lacks a scope (403). */
  auth: 3,
  /** The job, batch, profile, prompt or export does not exist (for this user) (404). */
  notFound: 4,
  /** A job, prompt or export the command waited for ended failed or cancelled. */
  jobFailed: 5,
  /** A downloaded file's sha256 or size differs from its artifact's, or from the export's manifest. */
  checksumMismatch: 6,
  /** The request conflicts with the current state (409), or what it needs is gone (410). */
  conflict: 7,
  /** A rate limit, quota (429) or spend cap (402) was reached. */
  limited: 8,
  /** The gateway cannot be reached or is unavailable (503). */
  unavailable: 9,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of an API error, by its HTTP status (0 when the gateway was never reached). */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 0 || status === 502 || status === 503 || status === 504) return ExitCode.unavailable;
  if (status === 400 || status === 413 || status === 422) return ExitCode.usage;
  if (status === 401 || status === 403) return ExitCode.auth;
  if (status === 404) return ExitCode.notFound;
  if (status === 409 || status === 410) return ExitCode.conflict;
  if (status === 402 || status === 429) return ExitCode.limited;
  return ExitCode.failure;
}
