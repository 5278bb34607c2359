import { resolveServerOptions } from './redis-streams.options';

const minimal = {
  redisUrl: 'redis://localhost',
  keyPrefix: 'sr:',
  service: 'jobs',
  streams: ['events:jobs'],
};

describe('resolveServerOptions', () => {
  it('fills defaults and always consumes the service rpc stream', () => {
    const options = resolveServerOptions(minimal);
    expect(options.streams).toEqual(['events:jobs', 'rpc:jobs']);
    expect(options).toMatchObject({ claimIdleMs: 30_000, maxDeliveries: 5, concurrency: 10 });
    expect(options.retryBackoff.maxMs).toBeLessThan(options.claimIdleMs);
    expect(options.consumer).toMatch(/-\d+-[0-9a-f]{8}$/);
  });

  it('gives each instance its own consumer name', () => {
    expect(resolveServerOptions(minimal).consumer).not.toBe(resolveServerOptions(minimal).consumer);
  });

  it('refuses a retry backoff cap at or above the claim idle time', () => {
    expect(() =>
      resolveServerOptions({ ...minimal, claimIdleMs: 1_000, retryBackoff: { maxMs: 1_000 } }),
    ).toThrow('retryBackoff.maxMs must be below claimIdleMs');
  });

  it('names every bad setting at once', () => {
    expect(() =>
      resolveServerOptions({ ...minimal, service: 'Jobs!', concurrency: 0, streams: ['nocolon'] }),
    ).toThrow(/service "Jobs!".*stream "nocolon".*concurrency must be a positive integer/);
  });

  it('refuses to retire consumers sooner than a live one can be idle', () => {
    expect(() => resolveServerOptions({ ...minimal, retireConsumersAfterMs: 1_000 })).toThrow(
      'retireConsumersAfterMs must exceed',
    );
  });
});
