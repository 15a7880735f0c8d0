// The bench's Kubernetes chores: fresh namespaces, objects applied many at a time, image changes.
import * as k8s from '@kubernetes/client-node';
import { apply } from '../support/manifests';
import { eventually } from '../support/stack';

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export async function applyAll(kc: k8s.KubeConfig, objects: readonly k8s.KubernetesObject[], limit = 16): Promise<void> {
  await pool(objects, limit, (obj) => apply(kc, [obj]));
}

/** Deletes `name` if it exists and waits until it is gone, so the bench starts from nothing. */
export async function deleteNamespace(kc: k8s.KubeConfig, name: string, timeoutMs = 600_000): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.deleteNamespace({ name }).catch(() => undefined);
  await eventually(`namespace ${name} deleted`, timeoutMs, () =>
    core.readNamespace({ name }).then(
      () => undefined,
      () => true,
    ),
  );
}

export async function freshNamespace(kc: k8s.KubeConfig, name: string): Promise<void> {
  await deleteNamespace(kc, name);
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name } } });
}

/** Sets the first container's image, as `kubectl set image` does; answers when the API accepted it. */
export async function setImage(kc: k8s.KubeConfig, namespace: string, name: string, image: string): Promise<number> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const d = await apps.readNamespacedDeployment({ name, namespace });
  const container = d.spec?.template.spec?.containers[0]?.name ?? '';
  await apps.patchNamespacedDeployment(
    { name, namespace, body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );
  return Date.now();
}

/** Deletes what a run cut short left behind (namespaces `bench-*`, kwok nodes `bench-kwok-*`): its Canaries would load the stack. */
export async function clearLeftovers(kc: k8s.KubeConfig): Promise<string[]> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter((n) => n.startsWith('bench-'));
  const nodes = (await core.listNode()).items.map((n) => n.metadata?.name ?? '').filter((n) => n.startsWith('bench-kwok-'));
  await Promise.all(namespaces.map((n) => deleteNamespace(kc, n)));
  for (const name of nodes) await core.deleteNode({ name }).catch(() => undefined);
  return [...namespaces, ...nodes];
}
