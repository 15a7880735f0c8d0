// Applying YAML manifests the way `kubectl apply --server-side` does.
import * as k8s from '@kubernetes/client-node';

export async function apply(kc: k8s.KubeConfig, objects: readonly k8s.KubernetesObject[]): Promise<void> {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    await client.patch(obj, undefined, undefined, 'perch-tests', true, k8s.PatchStrategy.ServerSideApply);
  }
}
