import { ApiError, apiErrorOf } from './api-error';

export interface UploadFields {
  profile: string;
  profile_version?: number;
  meeting_date?: string;
}

export interface UploadProgress {
  /** Bytes of the request body sent so far, and of the whole body. */
  loaded: number;
  total: number;
}

/**
 * A multipart upload with progress: fetch reports no upload progress, XMLHttpRequest does.
 * One file goes to POST /jobs, several to POST /jobs/batch (one `file` part each).
 */
export function uploadTranscripts(
  url: string,
  token: string,
  fields: UploadFields,
  files: readonly File[],
  onProgress: (progress: UploadProgress) => void,
): Promise<{ job_id?: string; batch_id?: string; job_ids?: string[] }> {
  const form = new FormData();
  form.set('profile', fields.profile);
  if (fields.profile_version !== undefined) form.set('profile_version', String(fields.profile_version));
  if (fields.meeting_date) form.set('meeting_date', fields.meeting_date);
  for (const file of files) form.append('file', file, file.name);

  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    request.onload = () => {
      let body: unknown;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) {
        resolve(body as { job_id?: string; batch_id?: string; job_ids?: string[] });
      } else {
        reject(apiErrorOf(request.status, request.statusText, body));
      }
    };
    request.onerror = () =>
      reject(new ApiError(0, 'NETWORK', 'The upload could not reach the server. Check your connection.'));
    request.send(form);
  });
}

/**
 * How far each file of a multipart body is: the parts are sent in order, so the bytes sent
 * fill the files one after another (each part's few header bytes are ignored).
 */
export function perFileProgress(sizes: readonly number[], progress: UploadProgress): number[] {
  const totalFiles = sizes.reduce((sum, size) => sum + size, 0);
  const overhead = Math.max(0, progress.total - totalFiles);
  let remaining = Math.max(0, progress.loaded - overhead / 2);
  return sizes.map((size) => {
    if (size === 0) return remaining > 0 ? 1 : 0;
    const done = Math.min(size, remaining);
    remaining -= done;
    return done / size;
  });
}
