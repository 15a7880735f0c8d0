// Reading Canaries in tests.
import * as k8s from '@kubernetes/client-node';
import { type Canary, CANARY_PLURAL, type CanaryPhase, FLAGGER_GROUP, FLAGGER_VERSION } from '../../src/api/canary';
import { eventually } from './stack';

export async function getCanary(kc: k8s.KubeConfig, namespace: string, name: string): Promise<Canary> {
  return (await kc.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
    group: FLAGGER_GROUP,
    version: FLAGGER_VERSION,
    plural: CANARY_PLURAL,
    namespace,
    name,
  })) as Canary;
}

export async function waitForPhase(kc: k8s.KubeConfig, namespace: string, name: string, phase: CanaryPhase, timeoutMs: number): Promise<Canary> {
  return eventually(`canary ${name}.${namespace} ${phase}`, timeoutMs, async () => {
    const c = await getCanary(kc, namespace, name);
    return c.status?.phase === phase ? c : undefined;
  });
}
