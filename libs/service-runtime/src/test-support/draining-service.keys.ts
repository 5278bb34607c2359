// What the graceful-shutdown test and its fixture service share.
export const SLOW_STREAM = 'work:slow';
export const SLOW_WORK = 'SlowWork';

/** Keys under the service's prefix: what the test reads and sets. */
export const drainingKeys = {
  httpStarted: 'fixture:http-started',
  releaseHttp: 'fixture:release-http',
  releaseHandler: 'fixture:release-handler',
  started: (id: string) => `fixture:started:${id}`,
  finished: (id: string) => `fixture:finished:${id}`,
};
