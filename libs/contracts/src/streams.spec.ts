import { rpcStreamOf, Streams } from './streams';

describe('stream names', () => {
  it('routes an RPC pattern to its service request stream', () => {
    expect(rpcStreamOf('jobs.create')).toBe('rpc:jobs');
  });

  it('refuses an RPC pattern without a service part', () => {
    expect(() => rpcStreamOf('create')).toThrow(/<service>\.<verb>/);
  });

  it('names dead-letter streams after the stream they came from', () => {
    expect(Streams.deadLetter(Streams.events('jobs'))).toBe('dlq:events:jobs');
  });
});
