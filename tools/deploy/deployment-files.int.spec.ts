import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { builtFile, workspaceRoot } from '../dev/test-support/node-processes';
import {
  composeConfig,
  kubectlBinaries,
  renderKustomization,
  requiredSettingsOf,
  schemaProblemsOf,
  type KubeObject,
} from './deployment-checks';

/**
 * docker/ and k8s/ checked without a container engine or a cluster: the compose file through
 * Debian's docker-compose, every kustomize overlay rendered by kubectl and each object validated
 * against the Kubernetes schemas, and both held to what the apps need to start (their built
 * commands and required settings, as the e2e tests run them).
 */

const APPS = ['gateway', 'auth', 'profiles', 'jobs', 'artifacts', 'worker'] as const;
const DATA_SERVICES = ['auth', 'profiles', 'jobs', 'artifacts'];
const BLOB_USERS = ['gateway', 'worker', 'artifacts'];
const OVERLAYS = ['k8s/overlays/dev', 'k8s/overlays/prod', 'k8s/overlays/prod-keda'];

/** Settings docker/.env supplies (the example names them; values here are placeholders). */
const COMPOSE_SECRETS = {
  POSTGRES_PASSWORD: 'placeholder',
  ADMIN_EMAIL: 'admin@example.com',
  AUTH_KEY_ENCRYPTION_KEY: 'placeholder',
  JOBS_KEY_ENCRYPTION_KEY: 'placeholder',
  DOWNLOAD_SIGNING_KEY: 'placeholder',
};

/** Settings the image itself sets (`ENV` of the Dockerfile's runtime stage). */
const IMAGE_ENV = new Set(
  [
    ...readFileSync(join(workspaceRoot, 'docker/Dockerfile'), 'utf8').matchAll(
      /^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]*)=/gm,
    ),
  ].map((match) => match[1] ?? ''),
);

const requiredSettings = new Map<string, string[]>();
function requiredOf(app: string): string[] {
  let settings = requiredSettings.get(app);
  if (!settings) {
    settings = requiredSettingsOf(builtFile(`apps/${app}/src/main.js`));
    requiredSettings.set(app, settings);
  }
  return settings;
}

interface ComposeService {
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: Array<{ source: string; target: string } | string>;
  read_only?: boolean;
  cap_drop?: string[];
}

describe('docker/compose.yml', () => {
  const composeFile = join(workspaceRoot, 'docker/compose.yml');
  let services: Record<string, ComposeService>;

  beforeAll(() => {
    const result = composeConfig(composeFile, COMPOSE_SECRETS);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    services = (parse(result.stdout) as { services: Record<string, ComposeService> }).services;
  });

  it('is refused while a secret is missing, naming it (nothing is baked in)', () => {
    const { DOWNLOAD_SIGNING_KEY: _missing, ...withoutOne } = COMPOSE_SECRETS;
    const result = composeConfig(composeFile, withoutOne);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/DOWNLOAD_SIGNING_KEY/);
  });

  it('is refused with an unknown key or a reference to a service that does not exist (the validator bites)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sr-compose-'));
    try {
      const source = readFileSync(composeFile, 'utf8');
      const unknownKey = join(folder, 'unknown-key.yml');
      writeFileSync(
        unknownKey,
        source.replace(/^ {2}profiles:\n/m, '  profiles:\n    restart_policy: always\n'),
      );
      expect(composeConfig(unknownKey, COMPOSE_SECRETS).stderr).toMatch(/restart_policy/);

      const badReference = join(folder, 'bad-reference.yml');
      writeFileSync(
        badReference,
        source.replace(/^ {6}postgres:\n {8}condition/m, '      postgress:\n        condition'),
      );
      const result = composeConfig(badReference, COMPOSE_SECRETS);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/postgress/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs every app with the command the tests run, after migrations, with health checks', () => {
    const appServices = Object.entries(services).filter(([name]) =>
      APPS.some((app) => name === app || name.startsWith(`${app}-`)),
    );
    expect(appServices.map(([name]) => name).sort()).toEqual(
      ['artifacts', 'auth', 'gateway', 'jobs', 'profiles', 'worker-1', 'worker-2'].sort(),
    );
    for (const [name, service] of appServices) {
      const app = name.replace(/-\d+$/, '');
      expect(service.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
      expect(builtFile(`apps/${app}/src/main.js`)).toBeTruthy();
      expect(service.depends_on?.['migrate']?.condition).toBe('service_completed_successfully');
      expect(service.depends_on?.['postgres']?.condition).toBe('service_healthy');
      expect(service.depends_on?.['redis']?.condition).toBe('service_healthy');
      expect(service.healthcheck?.test.join(' ')).toMatch(/health\/ready/);
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
    }
  });

  it('migrates every data service with its built migration job', () => {
    const command = ([] as string[]).concat(services['migrate']?.command ?? []).join(' ');
    for (const service of DATA_SERVICES) {
      expect(command).toContain(`node dist/apps/${service}/src/migrate.js`);
      expect(builtFile(`apps/${service}/src/migrate.js`)).toBeTruthy();
    }
  });

  it('gives every app the settings it cannot start without, and the blob volume to those that use it', () => {
    for (const [name, service] of Object.entries(services)) {
      const app = APPS.find((candidate) => name === candidate || name.startsWith(`${candidate}-`));
      if (!app) continue;
      const given = (setting: string) => Boolean(service.environment?.[setting]) || IMAGE_ENV.has(setting);
      expect({ name, missing: requiredOf(app).filter((setting) => !given(setting)) }).toEqual({
        name,
        missing: [],
      });
      const mounts = (service.volumes ?? []).map((volume) =>
        typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`,
      );
      expect({ name, blobs: mounts.some((mount) => mount.startsWith('blobs:/data/blobs')) }).toEqual({
        name,
        blobs: BLOB_USERS.includes(app),
      });
    }
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(workspaceRoot, 'docker/Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('builds once and ships a slim Node 20 runtime with production dependencies only, as a non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20[\w.-]*-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER (1000|node)/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*health\/ready/m);
    expect(runtime).not.toMatch(/npm ci(?! --omit=dev)/);
  });

  it('bakes in no secret: no ENV or ARG that looks like one', () => {
    const settings = [...dockerfile.matchAll(/^(?:ENV|ARG)\s+([\s\S]*?)(?<!\\)$/gm)].map((match) => match[1]);
    for (const setting of settings) expect(setting).not.toMatch(/KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL/);
  });

  it('keeps local state, secrets and build output out of the build context', () => {
    const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', 'dist', '.data', '.git', '**/.env'])
      expect(ignored).toContain(entry);
  });
});

describe('k8s/ overlays', () => {
  const binaries = kubectlBinaries();

  it('has a kubectl to render with (tools/deploy/install-tools.sh unpacks Debian kubectl 1.20)', () => {
    expect(binaries.length).toBeGreaterThan(0);
    expect(binaries.some((binary) => binary.includes('.tools/kubernetes-client'))).toBe(true);
  });

  it('refuses an object that breaks its schema (the validator bites)', () => {
    const broken: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: { replicas: 'two', selector: {}, template: { spec: { containers: [] } } },
    };
    expect(schemaProblemsOf(broken)).toMatch(/replicas/);
    expect(schemaProblemsOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toMatch(
      /no schema/,
    );
  });

  for (const overlay of OVERLAYS) {
    describe(overlay, () => {
      const renders = () =>
        binaries.map((binary) => ({ binary, objects: renderKustomization(binary, overlay) }));
      let rendered: Array<{ binary: string; objects: KubeObject[] }>;
      beforeAll(() => {
        rendered = renders();
      });
      const first = () => rendered[0]?.objects ?? [];
      const objectsOf = (kind: string) => first().filter((object) => object.kind === kind);

      it('renders the same objects with every kubectl, each valid against the Kubernetes schemas', () => {
        const names = rendered.map(({ objects }) =>
          objects
            .map((object) => `${object.kind}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`)
            .sort(),
        );
        for (const other of names.slice(1)) expect(other).toEqual(names[0]);
        for (const { objects } of rendered) {
          expect(objects.length).toBeGreaterThan(20);
          const problems = objects
            .map((object) => ({
              object: `${object.kind}/${object.metadata.name}`,
              problem: schemaProblemsOf(object),
            }))
            .filter(({ problem }) => problem !== null);
          expect(problems).toEqual([]);
        }
      });

      it('commits no Secret and takes every secret from the referenced Secret', () => {
        expect(objectsOf('Secret')).toEqual([]);
        const text = JSON.stringify(first());
        const secretNames = [...text.matchAll(/"secretKeyRef":\{[^}]*"name":"([^"]+)"/g)].map(
          (match) => match[1],
        );
        expect(new Set(secretNames)).toEqual(new Set(['scriptripper-secrets']));
      });

      it('runs each app hardened, probed and bounded, with the command and settings it needs', () => {
        const deployments = objectsOf('Deployment') as unknown as DeploymentShape[];
        expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...APPS].sort());
        const configMap = objectsOf('ConfigMap')[0] as unknown as { data: Record<string, string> };
        for (const deployment of deployments) {
          const app = deployment.metadata.name;
          const pod = deployment.spec.template.spec;
          expect(pod.securityContext.runAsNonRoot).toBe(true);
          const container = pod.containers[0] as ContainerShape;
          expect(container.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
          for (const box of [...pod.containers, ...(pod.initContainers ?? [])]) {
            expect(box.securityContext).toMatchObject({
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            });
            expect(box.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String) }));
            expect(box.resources.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
          }
          expect(container.startupProbe?.httpGet.path).toBe('/health/live');
          expect(container.readinessProbe?.httpGet.path).toBe('/health/ready');
          expect(container.livenessProbe?.httpGet.path).toBe('/health/live');
          const given = new Set([
            ...Object.keys(configMap.data),
            ...(container.env ?? []).map((variable) => variable.name),
          ]);
          expect({ app, missing: requiredOf(app).filter((setting) => !given.has(setting)) }).toEqual({
            app,
            missing: [],
          });
          const migrations = (pod.initContainers ?? []).map((init) => init.command?.join(' '));
          expect(migrations).toEqual(
            DATA_SERVICES.includes(app) ? [`node dist/apps/${app}/src/migrate.js`] : [],
          );
        }
      });

      it('scales gateway and workers, keeps one of each app up in a disruption, lets only the gateway in', () => {
        const scaled = [...objectsOf('HorizontalPodAutoscaler'), ...objectsOf('ScaledObject')].map(
          (object) => `${object.kind}/${object.metadata.name}`,
        );
        expect(scaled).toContain('HorizontalPodAutoscaler/gateway');
        expect(scaled.filter((name) => name.endsWith('/worker'))).toHaveLength(1);
        expect(
          objectsOf('PodDisruptionBudget')
            .map((pdb) => pdb.metadata.name)
            .sort(),
        ).toEqual([...APPS].sort());
        const policies = objectsOf('NetworkPolicy') as unknown as NetworkPolicyShape[];
        const denyAll = policies.find((policy) => Object.keys(policy.spec.podSelector).length === 0);
        expect(denyAll?.spec.ingress ?? []).toEqual([]);
        const fromOutside = policies.filter((policy) =>
          (policy.spec.ingress ?? []).some((rule) =>
            (rule.from ?? []).some((peer) =>
              JSON.stringify(peer.namespaceSelector ?? {}).includes('ingress'),
            ),
          ),
        );
        expect(
          fromOutside.map((policy) => policy.spec.podSelector.matchLabels?.['app.kubernetes.io/name']),
        ).toEqual(['gateway']);
        const ingress = objectsOf('Ingress')[0] as unknown as IngressShape;
        const backends = ingress.spec.rules.flatMap((rule) =>
          rule.http.paths.map((path) => path.backend.service.name),
        );
        expect(new Set(backends)).toEqual(new Set(['gateway']));
      });
    });
  }
});

interface ContainerShape {
  name: string;
  command?: string[];
  env?: Array<{ name: string }>;
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe?: { httpGet: { path: string } };
  readinessProbe?: { httpGet: { path: string } };
  livenessProbe?: { httpGet: { path: string } };
}
interface DeploymentShape {
  metadata: { name: string };
  spec: {
    template: {
      spec: {
        securityContext: { runAsNonRoot?: boolean };
        containers: ContainerShape[];
        initContainers?: ContainerShape[];
      };
    };
  };
}
interface NetworkPolicyShape {
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    ingress?: Array<{ from?: Array<{ namespaceSelector?: unknown }> }>;
  };
}
interface IngressShape {
  spec: { rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }> };
}
