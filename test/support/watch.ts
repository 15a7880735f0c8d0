// Every version of one object as the API server hands them out, through a watch: a test that must
// see each step of a change (each weight of a promotion) is told of each one, not sampled.
import * as k8s from '@kubernetes/client-node';

export interface Observation {
  /** Stops watching. */
  stop(): void;
}

/**
 * Calls `seen` with every version of the object named `name` under the collection at `path` (e.g.
 * `/apis/projectcontour.io/v1/namespaces/ns/httpproxies`), from its current one on, until stopped.
 * A watch the server closes (its timeout) is opened again from the last version seen.
 */
export async function observe<T extends { metadata?: { resourceVersion?: string } }>(
  kc: k8s.KubeConfig,
  path: string,
  name: string,
  seen: (obj: T) => void,
): Promise<Observation> {
  let stopped = false;
  let controller: AbortController | undefined;
  let resourceVersion: string | undefined;
  const open = async (): Promise<void> => {
    controller = await new k8s.Watch(kc).watch(
      path,
      { fieldSelector: `metadata.name=${name}`, ...(resourceVersion && { resourceVersion }) },
      (type: string, obj: T) => {
        if (type === 'ADDED' || type === 'MODIFIED') {
          resourceVersion = obj.metadata?.resourceVersion;
          seen(obj);
        }
      },
      () => {
        if (!stopped) void open();
      },
    );
  };
  await open();
  return {
    stop: () => {
      stopped = true;
      controller?.abort();
    },
  };
}
