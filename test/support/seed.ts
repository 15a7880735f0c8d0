// The seed walkthrough's resources (src/demo/seed-manifests.ts), applied unchanged except for one
// documented test override: the analysis interval and the metric intervals are shortened so a
// rollout takes seconds, not minutes. Everything else (weights, threshold, webhooks) is the seed's own.
import type * as k8s from '@kubernetes/client-node';
import { type Canary } from '../../src/api/canary';
import { seedCanary, seedManifests, SEED_NAMESPACE, TEST_INTERVALS } from '../../src/demo/seed-manifests';
import { apply } from './manifests';

export { type IntervalOverride, seedCanary, seedHost, seedManifests, SEED_NAMESPACE, TEST_INTERVALS } from '../../src/demo/seed-manifests';

/** `editTarget` changes the podinfo Deployment before it is applied (a test's documented override). */
export async function applySeed(
  kc: k8s.KubeConfig,
  namespace = SEED_NAMESPACE,
  canary: Canary = seedCanary(TEST_INTERVALS, namespace),
  editTarget: (deployment: k8s.V1Deployment) => void = () => undefined,
): Promise<void> {
  const objects = seedManifests('podinfo.yaml', namespace);
  for (const o of objects) if (o.kind === 'Deployment') editTarget(o);
  await apply(kc, objects);
  await apply(kc, [canary as unknown as k8s.KubernetesObject]);
  await apply(kc, seedManifests('podinfo-ingress.yaml', namespace));
}
