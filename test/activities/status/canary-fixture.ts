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
 * The seed Canary in `namespace`, after `edit`; returns it as stored (uid included). Resolves once
 * its status has been quiet for a while: a Perch controller running against the shared stack
 * reacts to every new Canary (here: "target not found", written about a second later) and would
 * otherwise race the test's own status writes.
 */
export async function createCanary(kc: k8s.KubeConfig, namespace: string, edit: (c: Canary) => void = () => undefined): Promise<Canary> {
  const canary = seedCanary();
  canary.metadata = { name: canary.metadata.name, namespace };
  edit(canary);
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  await api.createNamespacedCustomObject({ group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace, body: canary });
  return settled(kc, namespace, canary.metadata.name, QUIET_MS);
}

const QUIET_MS = 3000;

async function settled(kc: k8s.KubeConfig, namespace: string, name: string, quietMs: number): Promise<Canary> {
  let last = await getCanary(kc, namespace, name);
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await getCanary(kc, namespace, name);
    if (now.metadata.resourceVersion !== last.metadata.resourceVersion) since = Date.now();
    last = now;
  }
  return last;
}

export async function getCanary(kc: k8s.KubeConfig, namespace: string, name: string): Promise<Canary> {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  return (await api.getNamespacedCustomObject({ group: FLAGGER_GROUP, version: FLAGGER_VERSION, plural: CANARY_PLURAL, namespace, name })) as Canary;
}
