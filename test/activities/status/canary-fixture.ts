// A real Canary object for activity tests: the CRDs applied idempotently, then the seed Canary
// created in the test's namespace (tests need its uid: owner references and Events use it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, FLAGGER_GROUP, FLAGGER_VERSION } from '../../../src/api/canary';
import { seedCanary } from '../../api/fixtures';
import { stack } from '../../support/stack';

export const KUBECTL = '/root/.cache/perch/bin/k8s-v1.34.4/kubectl';
const repoRoot = join(__dirname, '..', '..', '..', '..');

export function kubectl(...args: string[]): string {
  return execFileSync(KUBECTL, args, { env: { ...process.env, KUBECONFIG: stack().kubeconfig }, encoding: 'utf8' });
}

export function applyCrds(): void {
  kubectl('apply', '-f', join(repoRoot, 'deploy', 'crds'));
  kubectl('wait', '--for=condition=Established', 'crd/canaries.flagger.app', '--timeout=30s');
}

/**
 * The seed Canary in `namespace`, after `edit`; returns it as stored (uid included). Every worker
 * and watcher the tests start watches its own namespace only, so nothing else writes to it.
 */
export async function createCanary(kc: k8s.KubeConfig, namespace: string, edit: (c: Canary) => void = () => undefined): Promise<Canary> {
  const canary = seedCanary();
  canary.metadata = { name: canary.metadata.name, namespace };
  edit(canary);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  return (await api.createNamespacedCustomObject({
    group: FLAGGER_GROUP,
    version: FLAGGER_VERSION,
    plural: CANARY_PLURAL,
    namespace,
    body: canary,
  })) as Canary;
}

export async function getCanary(kc: k8s.KubeConfig, namespace: string, name: string): Promise<Canary> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  return (await api.getNamespacedCustomObject({ group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace, name })) as Canary;
}

/** The Events on the Canary `podinfo` with this message. */
export async function eventsFor(kc: k8s.KubeConfig, namespace: string, message: string): Promise<k8s.CoreV1Event[]> {
  const list = await kc
    .makeApiClient(k8s.CoreV1Api)
    .listNamespacedEvent({ namespace, fieldSelector: 'involvedObject.kind=Canary,involvedObject.name=podinfo' });
  return list.items.filter((e) => e.message === message);
}

/**
 * The log lines `fn` writes to stdout. Anything else passes through: under `node --test` the test
 * runner reports to its parent over this same stdout.
 */
export async function captureStdout(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const capture = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    if (typeof chunk === 'string' && chunk.startsWith('{"level":')) {
      lines.push(...chunk.split('\n').filter((l) => l !== ''));
      return true;
    }
    return original(chunk, ...rest);
  };
  process.stdout.write = capture;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return lines;
}
