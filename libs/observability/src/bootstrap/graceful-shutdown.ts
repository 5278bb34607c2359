import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface GracefulShutdownOptions {
  /** SHUTDOWN_GRACE_MS: how long draining may take before the process gives up and exits 1. */
  readonly graceMs: number;
  readonly log: (message: string) => void;
  readonly warn: (message: string) => void;
  /** Exits the process (tests replace it). */
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/** Paths that still answer while draining: liveness (the process is fine) and metrics. */
const ALWAYS_SERVED = ['/health/live', '/metrics'];

/**
 * Replaces Nest's shutdown hooks (which re-raise the signal, so the process never exits 0) with
 * a drain in the order that loses nothing, on SIGTERM or SIGINT:
 * 1. readiness answers 503 at once, so the load balancer stops sending; any other new request
 *    gets a retryable 503 in the common error shape (`Connection: close`);
 * 2. the Streams consumers stop reading and finish their running handlers and acks (what
 *    arrives afterwards stays in the group for another instance), while HTTP requests in flight go on;
 * 3. Nest closes the app: module hooks, the HTTP server once its requests in flight are
 *    answered, then the clients, the ORM and the outbox relay;
 * 4. exit 0, or exit 1 when the grace period ran out first or a step failed.
 */
export function installGracefulShutdown(app: NestFastifyApplication, options: GracefulShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (!draining) return done();
      const path = request.url.split('?')[0] ?? '';
      if (ALWAYS_SERVED.includes(path)) return done();
      void reply
        .code(503)
        .header('connection', 'close')
        .send(
          path === '/health/ready'
            ? { status: 'shutting_down' }
            : {
                error: {
                  code: 'UNAVAILABLE',
                  message: 'This instance is shutting down; retry.',
                  retryable: true,
                },
              },
        );
    });

  // A response finished while draining closes its connection: a keep-alive socket still busy
  // when the server closes would otherwise hold the close (and the pod) until the client's
  // keep-alive ends, up to Fastify's 72 s, past the grace period.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      if (draining) void reply.header('connection', 'close');
      done(null, payload);
    });

  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    options.log(`${signal}: draining (at most ${options.graceMs} ms): no new work, finishing what runs`);
    const deadline = setTimeout(() => {
      options.warn(`shutdown grace period of ${options.graceMs} ms is over with work unfinished; exiting`);
      exit(1);
    }, options.graceMs);
    drain(app).then(
      () => {
        clearTimeout(deadline);
        options.log('drained; exiting');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        options.warn(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal while draining (Ctrl-C twice, a launcher forwarding it) is
  // ignored rather than killing the process with work in flight; the grace period bounds the wait.
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
}

/** A connected microservice as Nest keeps it; terminated first, `close()` stops only its server. */
interface ConnectedMicroservice {
  setIsTerminated?(terminated: boolean): void;
  close(): Promise<unknown>;
}

async function drain(app: INestApplication): Promise<void> {
  const microservices = app.getMicroservices() as unknown as ConnectedMicroservice[];
  // Marked terminated, a microservice's close() closes its transport server and not the whole
  // app (which is what NestApplication.dispose does too); the app's own close comes next.
  await Promise.all(
    microservices.map(async (microservice) => {
      microservice.setIsTerminated?.(true);
      await microservice.close();
    }),
  );
  await app.close();
}
