// A Kubernetes watch on one Deployment that survives the watch's own ends: the client closes a
// quiet watch after 30 s and the server expires old resourceVersions (410 Gone), so each end
// re-lists and watches again from the listed version. Every state seen is handed to `onState`.
import * as k8s from '@kubernetes/client-node';
import { type KubeClients } from '../../kubernetes/client';

export interface DeploymentWatch {
  stop(): void;
}

/** `onState` gets the Deployment as listed or as a watch event carries it (raw JSON), or undefined once deleted. */
export function watchDeployment(kube: KubeClients, namespace: string, name: string, onState: (d: k8s.V1Deployment | undefined) => void): DeploymentWatch {
  let stopped = false;
  let current: AbortController | undefined;
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`;
  const fieldSelector = `metadata.name=${name}`;

  const once = async (): Promise<void> => {
    const list = await kube.apps.listNamespacedDeployment({ namespace, fieldSelector });
    if (stopped) return;
    onState(list.items[0]);
    await new Promise<void>((resolve) => {
      new k8s.Watch(kube.config).watch(path, { fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type: string, obj: unknown) => {
          if (type === 'ADDED' || type === 'MODIFIED') onState(obj as k8s.V1Deployment);
          else if (type === 'DELETED') onState(undefined);
          else if (type === 'ERROR') current?.abort(); // e.g. 410 Gone: list again
        },
        () => resolve(),
      ).then((controller) => {
        current = controller;
        if (stopped) controller.abort();
      }, () => resolve());
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
