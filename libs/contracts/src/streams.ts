import type { ServiceName } from './actor';

/**
 * Stream names, before the deployment's key prefix (which the transport adds).
 * - `events:<service>`: a service's domain events, published only by its outbox relay;
 * - `rpc:<service>`: requests to a service; replies go to the caller's own reply stream;
 * - `work:analysis`: analysis jobs for the worker pool;
 * - `dlq:<stream>`: messages that failed their retries, with the error.
 */
export const Streams = {
  events: (service: ServiceName) => `events:${service}`,
  rpc: (service: ServiceName) => `rpc:${service}`,
  analysisWork: 'work:analysis',
  deadLetter: (stream: string) => `dlq:${stream}`,
} as const;

/** `jobs.create` -> `rpc:jobs`: RPC patterns are `<service>.<verb>`. */
export function rpcStreamOf(pattern: string): string {
  const service = pattern.split('.', 1)[0];
  if (!service || service === pattern) {
    throw new Error(`RPC pattern "${pattern}" must look like "<service>.<verb>"`);
  }
  return `rpc:${service}`;
}
