import Redis from 'ioredis';

export type ConnectionRole = 'commands' | 'blocking';

/** Reconnect quickly at first, then every 2 s at most, forever: Redis restarts are survived. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), 2_000);
}

/**
 * One connection per role. Blocking reads (XREADGROUP/XREAD BLOCK) get their own, because
 * a blocked connection serves nothing else; the client-side blocking timeout makes a read
 * stuck on a dead socket fail instead of hanging. Commands fail fast while Redis is away
 * (the callers retry or report), instead of queueing without bound.
 */
export function createRedisConnection(redisUrl: string, name: string, role: ConnectionRole): Redis {
  return new Redis(redisUrl, {
    lazyConnect: true,
    protocol: 2,
    connectionName: name.replace(/[^\w:.-]/g, '_'),
    retryStrategy: reconnectDelay,
    maxRetriesPerRequest: role === 'blocking' ? null : 1,
    ...(role === 'blocking' ? { blockingTimeout: 1, blockingTimeoutGrace: 5_000 } : {}),
  });
}

/** Connects, or does nothing when already connected or connecting. */
export async function ensureConnected(redis: Redis): Promise<void> {
  if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
}

/** Closes politely, falling back to a hard disconnect when Redis does not answer. */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOGROUP');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `work` at most `ms`; true when it finished in time. Leaves no timer behind. */
export async function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.resolve(work).then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
