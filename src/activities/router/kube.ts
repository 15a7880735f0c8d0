// The Kubernetes client these activities share, plus readable errors. A stop-gap until the
// project-wide client (src/kubernetes/client.ts) lands: kept tiny so swapping it is trivial.
import * as k8s from '@kubernetes/client-node';

let config: k8s.KubeConfig | undefined;

/** KUBECONFIG, else ~/.kube/config, else the in-cluster service account; loaded once per worker. */
export function kubeConfig(): k8s.KubeConfig {
  if (!config) {
    config = new k8s.KubeConfig();
    config.loadFromDefault();
  }
  return config;
}

export const customObjects = (): k8s.CustomObjectsApi => kubeConfig().makeApiClient(k8s.CustomObjectsApi);
export const coreV1 = (): k8s.CoreV1Api => kubeConfig().makeApiClient(k8s.CoreV1Api);

export const mergePatch = (): ReturnType<typeof k8s.setHeaderOptions> =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed API call, or undefined for transport errors. */
export function apiStatus(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? (err as k8s.ApiException<unknown>).code : undefined;
}

/**
 * The API server's own message ("httpproxies.projectcontour.io \"x\" not found") rather than the
 * client's multi-line dump of code, body and headers, which reads badly in Events and logs.
 */
export function apiMessage(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    const body: unknown = (err as k8s.ApiException<unknown>).body;
    const parsed = typeof body === 'string' ? safeParse(body) : body;
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
    return `HTTP ${(err as k8s.ApiException<unknown>).code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
