import { ApiError, apiErrorOfResponse } from './api-error';
import { SseParser } from './sse-parser';
import type { AuthorizedFetcher } from './scriptripper-api';
import type { JobStatusEvent } from './types';

export type JobEventsState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/**
 * Follows `GET /jobs/events`, one stream of all the signed-in person's jobs. Read with fetch
 * streaming rather than EventSource, which cannot send the Authorization header. Reconnects
 * with a growing pause; a refusal (4xx: a gateway without the stream, a token without the
 * scope) gives up: the pages then poll instead.
 */
export function followJobEvents(
  session: AuthorizedFetcher,
  onStatus: (event: JobStatusEvent) => void,
  onState: (state: JobEventsState) => void,
): () => void {
  const controller = new AbortController();
  let pause = 1_000;

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await session.authorizedFetch('/jobs/events', {
          headers: { Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          const error = await apiErrorOfResponse(response);
          // A refusal will not change by asking again (a gateway without the stream answers 400
          // or 404, as /jobs/{id} with a non-UUID id): poll instead.
          if (response.status >= 400 && response.status < 500) {
            onState('unavailable');
            return;
          }
          throw error;
        }
        onState('live');
        pause = 1_000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (event.event !== 'status') continue;
            const status = parseStatus(event.data);
            if (status) onStatus(status);
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) {
          onState('unavailable');
          return;
        }
      }
      if (controller.signal.aborted) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 30_000);
    }
  };
  onState('connecting');
  void run();
  return () => controller.abort();
}

export function parseStatus(data: string): JobStatusEvent | undefined {
  try {
    const value = JSON.parse(data) as Partial<JobStatusEvent>;
    if (typeof value.job_id === 'string' && typeof value.status === 'string') return value as JobStatusEvent;
  } catch {
    // A malformed event is skipped; the next one (or a refetch) brings the truth.
  }
  return undefined;
}
