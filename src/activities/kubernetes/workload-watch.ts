// A Kubernetes watch on one Deployment or DaemonSet that survives the watch's own ends: the client
// closes a quiet watch after 30 s and the server expires old resourceVersions (410 Gone), so each
// end re-lists and watches again from the listed version. Every state seen is handed to `onState`.
import * as k8s from '@kubernetes/client-node';
import { type KubeClients } from '../../kubernetes/client';
import { type Workload, type WorkloadKind } from '../../kubernetes/workload';

export interface WorkloadWatch {
  stop(): void;
}

/** `onState` gets the object as listed or as a watch event carries it (raw JSON), or undefined once deleted. */
export function watchWorkload(
  kube: KubeClients,
  kind: WorkloadKind,
  namespace: string,
  name: string,
  onState: (w: Workload | undefined) => void,
): WorkloadWatch {
  let stopped = false;
  let current: AbortController | undefined;
  const plural = kind === 'DaemonSet' ? 'daemonsets' : 'deployments';
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  const fieldSelector = `metadata.name=${name}`;
  const list = (): Promise<k8s.KubernetesListObject<Workload>> =>
    kind === 'DaemonSet'
      ? kube.apps.listNamespacedDaemonSet({ namespace, fieldSelector })
      : kube.apps.listNamespacedDeployment({ namespace, fieldSelector });

  const once = async (): Promise<void> => {
    const listed = await list();
    if (stopped) return;
    onState(listed.items[0]);
    await new Promise<void>((resolve) => {
      new k8s.Watch(kube.config)
        .watch(
          path,
          { fieldSelector, resourceVersion: listed.metadata?.resourceVersion, allowWatchBookmarks: true },
          (type: string, obj: unknown) => {
            if (type === 'ADDED' || type === 'MODIFIED') onState(obj as Workload);
            else if (type === 'DELETED') onState(undefined);
            else if (type === 'ERROR') current?.abort(); // e.g. 410 Gone: list again
          },
          () => resolve(),
        )
        .then(
          (controller) => {
            current = controller;
            if (stopped) controller.abort();
          },
          () => resolve(),
        );
    });
  };

  void (async () => {
    while (!stopped) {
      try {
        await once();
      } catch {
        // API unreachable for a moment: the caller's timeout bounds the wait, so just try again.
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 500));
    }
  })();

  return {
    stop() {
      stopped = true;
      current?.abort();
    },
  };
}
