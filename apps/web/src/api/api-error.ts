/** The API's one error shape: `{ error: { code, message, retryable } }`. */
export interface ErrorBody {
  code: string;
  message: string;
  retryable: boolean;
}

/** A refusal of the API, carrying its own message: the console shows it as the API wrote it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isErrorBody(value: unknown): value is { error: ErrorBody } {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ErrorBody).code === 'string' &&
    typeof (error as ErrorBody).message === 'string'
  );
}

/** The error of a refused response: the API's message when it sent one, else the HTTP status. */
export function apiErrorOf(status: number, statusText: string, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, body.error.retryable === true);
  }
  return new ApiError(status, `HTTP_${status}`, `The server answered ${status} ${statusText}`.trim());
}

export async function apiErrorOfResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return apiErrorOf(response.status, response.statusText, body);
}

/** What to tell a person about any error. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError)
    return 'The server could not be reached. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}
