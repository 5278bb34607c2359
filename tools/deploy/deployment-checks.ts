import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { workspaceRoot } from '../dev/test-support/node-processes';

/**
 * What the suite uses to check docker/ and k8s/ without a container engine or a cluster:
 * Debian's docker-compose, `kubectl kustomize`, and the Kubernetes JSON schemas of
 * `kubernetes-models` (pinned in package.json).
 */

/** A rendered Kubernetes object, as plain data. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** Every object kind the manifests may hold, with the schema that validates it. */
const MODELS: Readonly<Record<string, new (data: never) => { validate(): void }>> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** Schema problems of one object; an unknown kind is a problem too (nothing goes unchecked). */
export function schemaProblemsOf(object: KubeObject): string | null {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object as never).validate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The kubectl binaries to render with: Debian's 1.20 (kustomize v2) first, then any other. */
export function kubectlBinaries(): string[] {
  const candidates = [
    process.env['KUBECTL'],
    join(workspaceRoot, '.tools/kubernetes-client/usr/bin/kubectl'),
    'kubectl',
  ].filter((candidate): candidate is string => Boolean(candidate));
  const usable = candidates.filter(
    (binary) => spawnSync(binary, ['version', '--client'], { encoding: 'utf8' }).status === 0,
  );
  return [...new Set(usable)];
}

/** `kubectl kustomize <folder>` parsed into objects; throws with kubectl's message when it fails. */
export function renderKustomization(kubectl: string, folder: string): KubeObject[] {
  const result = spawnSync(kubectl, ['kustomize', join(workspaceRoot, folder)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${kubectl} kustomize ${folder} failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** `docker-compose config` of a file with the given environment: its exit code, output and errors. */
export function composeConfig(file: string, env: Readonly<Record<string, string>>) {
  const result = spawnSync('docker-compose', ['-f', file, 'config'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  if (result.error) throw new Error(`docker-compose is missing: run tools/deploy/install-tools.sh`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The settings an app cannot start without: its built main started with an empty environment
 * exits naming every missing variable (see libs/config).
 */
export function requiredSettingsOf(mainFile: string): string[] {
  if (!existsSync(mainFile)) throw new Error(`${mainFile} is not built`);
  const result = spawnSync(process.execPath, [mainFile], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
    timeout: 30_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (!output.includes('Invalid configuration')) {
    throw new Error(`${mainFile} started without any settings, or failed otherwise:\n${output}`);
  }
  return [...output.matchAll(/^\s+- ([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] ?? '');
}
