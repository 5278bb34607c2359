import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  freePort,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { DEV_SERVICES } from '../../dev/dev-services';
import { startMailSink, type MailSink } from '../../dev/mail-sink';
import {
  builtFile,
  pollUntil,
  startNode,
  statusOf,
  type NodeProcess,
} from '../../dev/test-support/node-processes';

/** The data services GET /audit fans out to; each runs its migrations first. */
const DATA_SERVICES = ['auth', 'profiles', 'jobs', 'artifacts'] as const;

export interface IdentityStackOptions {
  readonly adminEmail: string;
  /** Settings of the auth service beyond the ones the stack gives it. */
  readonly auth?: Readonly<Record<string, string>>;
  /** Settings of the gateway beyond the ones the stack gives it. */
  readonly gateway?: Readonly<Record<string, string>>;
  /** Settings of the jobs service beyond the ones the stack gives it. */
  readonly jobs?: Readonly<Record<string, string>>;
  /** Settings of the worker beyond the ones the stack gives it. */
  readonly worker?: Readonly<Record<string, string>>;
  /** Start the analysis worker too (the main job's flow). */
  readonly withWorker?: boolean;
  /** A Redis of the test's own (e.g. a throwaway redis-server it may flush); the shared one by default. */
  readonly redisUrl?: string;
  /** Settings of every process of the stack (services, migrations, scripts), e.g. `LOG_LEVEL`. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface IdentityStack {
  /** The gateway, as clients reach it. */
  readonly gatewayUrl: string;
  /** The folder the SMTP sink writes every mail into. */
  readonly mailFolder: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** Runs a one-off script from dist/ with the auth service's settings; answers its JSON line. */
  runAuthOperation(script: string): Promise<Record<string, unknown>>;
  /** The shared blob store's folder (every service's BLOB_ROOT). */
  readonly blobRoot: string;
  /** Runs a script from dist/ with the shared settings (and `args`); answers its exit code and output. */
  runScript(script: string, args?: readonly string[]): Promise<{ code: number | null; output: string }>;
  /** Kills the running process of a service (SIGKILL by default, as a crash) and waits for its exit. */
  kill(service: string, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts a new process of a service, with the same settings as before (plus `settings`, which
   * later restarts keep; not for auth or the gateway), and waits until it is ready.
   */
  start(service: string, settings?: Readonly<Record<string, string>>): Promise<void>;
  /** Every line the processes of `service` wrote to stdout and stderr so far (restarts included). */
  output(service: string): readonly string[];
  /** The base URL of a service's own HTTP port (`/health/*`, and `/metrics` but for the gateway's). */
  url(service: string): string;
  /** The URL of a service's Prometheus metrics (the gateway's are on a port of their own). */
  metricsUrl(service: string): string;
  stop(): Promise<void>;
}

/**
 * auth, profiles, jobs, artifacts and the gateway, each its own process from dist/ as in
 * production, on a database and Redis key prefix of their own (one prefix for all, so they
 * find each other's streams), with a real SMTP sink writing mail into a temp folder.
 */
export async function startIdentityStack(
  name: string,
  options: IdentityStackOptions,
): Promise<IdentityStack> {
  const processes: NodeProcess[] = [];
  /** The current process of each long-running service. */
  const running = new Map<string, NodeProcess>();
  /** Every process each service ran, for its output. */
  const launched = new Map<string, NodeProcess[]>();
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const keyPrefix = testKeyPrefix(name);
  let database: TestDatabase | undefined;
  let folder: string | undefined;
  let mailSink: MailSink | undefined;

  const stop = async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await mailSink?.stop();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    if (folder) await rm(folder, { recursive: true, force: true });
  };

  try {
    database = await createTestDatabase(name);
    folder = await mkdtemp(join(tmpdir(), `sr-${name}-`));
    const mailFolder = join(folder, 'mail');
    const blobRoot = join(folder, 'blobs');
    mailSink = await startMailSink(mailFolder);
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

    const shared = {
      PATH: process.env['PATH'],
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      BLOB_ROOT: blobRoot,
      ...options.env,
    };
    // Each service's own settings and secrets as the dev launcher gives them (tools/dev/dev-services.ts).
    const ownSettings = (name: string): NodeJS.ProcessEnv => {
      const service = DEV_SERVICES.find((candidate) => candidate.name === name);
      return {
        ...service?.env,
        ...Object.fromEntries(
          (service?.generatedSecrets ?? []).map((secret) => [secret, randomBytes(32).toString('base64')]),
        ),
      };
    };
    const authEnv = {
      ...shared,
      ...ownSettings('auth'),
      ADMIN_EMAIL: options.adminEmail,
      PUBLIC_BASE_URL: gatewayUrl,
      SMTP_URL: mailSink.url,
      ...options.auth,
    };
    const extraSettings: Readonly<Record<string, Readonly<Record<string, string>> | undefined>> = {
      jobs: options.jobs,
      worker: options.worker,
    };
    // Made once, so a restarted service gets the very settings (and secrets) it had.
    const otherEnvs = new Map(
      ['profiles', 'jobs', 'artifacts', 'worker'].map((name) => [
        name,
        { ...shared, ...ownSettings(name), ...extraSettings[name] },
      ]),
    );
    const envOf = (service: string): NodeJS.ProcessEnv =>
      service === 'auth'
        ? authEnv
        : service === 'gateway'
          ? { ...shared, ...ownSettings('gateway'), PUBLIC_BASE_URL: gatewayUrl, ...options.gateway }
          : (otherEnvs.get(service) ?? { ...shared, ...ownSettings(service) });

    const runScript = async (
      script: string,
      env: NodeJS.ProcessEnv = shared,
      args: readonly string[] = [],
    ) => {
      const child = startNode(builtFile(script), env, args);
      processes.push(child);
      const { code } = await child.exited;
      return { code, output: child.lines.join('\n') };
    };

    for (const service of DATA_SERVICES) {
      const { code, output } = await runScript(`apps/${service}/src/migrate.js`, envOf(service));
      if (code !== 0) throw new Error(`${service} migrations failed:\n${output}`);
    }

    // A service keeps its settings and port across restarts, as a restarted pod would.
    const ports = new Map<string, number>();
    const gatewayMetricsPort = await freePort();
    const launch = async (service: string): Promise<string> => {
      const port = ports.get(service) ?? (service === 'gateway' ? gatewayPort : await freePort());
      ports.set(service, port);
      const child = startNode(builtFile(`apps/${service}/src/main.js`), {
        ...envOf(service),
        HTTP_PORT: String(port),
        ...(service === 'gateway' ? { METRICS_PORT: String(gatewayMetricsPort) } : {}),
      });
      processes.push(child);
      running.set(service, child);
      launched.set(service, [...(launched.get(service) ?? []), child]);
      return `http://127.0.0.1:${port}`;
    };
    const ready = (url: string) =>
      pollUntil(`${url} ready`, async () =>
        (await statusOf(`${url}/health/ready`)) === 200 ? true : undefined,
      );

    const urls: string[] = [];
    for (const service of [...DATA_SERVICES, 'gateway', ...(options.withWorker ? ['worker'] : [])]) {
      urls.push(await launch(service));
    }
    for (const url of urls) await ready(url);

    return {
      gatewayUrl,
      mailFolder,
      redisUrl,
      keyPrefix,
      blobRoot,
      runScript: (script, args) => runScript(script, shared, args),
      async runAuthOperation(script) {
        const { code, output } = await runScript(script, authEnv);
        const answer = output.split('\n').find((line) => line.startsWith('{'));
        if (code !== 0 || !answer) throw new Error(`${script} failed (exit ${code}):\n${output}`);
        return JSON.parse(answer) as Record<string, unknown>;
      },
      async kill(service, signal = 'SIGKILL') {
        const child = running.get(service);
        if (!child) throw new Error(`no ${service} process in this stack`);
        running.delete(service);
        child.child.kill(signal);
        await child.exited;
      },
      async start(service, settings) {
        if (running.has(service)) throw new Error(`${service} is running already`);
        if (settings) {
          const before = otherEnvs.get(service);
          if (!before) throw new Error(`${service} takes no extra settings on a restart`);
          otherEnvs.set(service, { ...before, ...settings });
        }
        await ready(await launch(service));
      },
      output: (service) => (launched.get(service) ?? []).flatMap((child) => child.lines),
      url(service) {
        const port = ports.get(service);
        if (port === undefined) throw new Error(`no ${service} process in this stack`);
        return `http://127.0.0.1:${port}`;
      },
      metricsUrl(service) {
        return service === 'gateway'
          ? `http://127.0.0.1:${gatewayMetricsPort}/metrics`
          : `http://127.0.0.1:${ports.get(service) ?? 0}/metrics`;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
