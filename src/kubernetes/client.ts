// The Kubernetes clients of a process, built once by its entry point from one KubeConfig and handed
// to whatever needs them, so every caller talks to the same cluster with the same credentials.
import * as k8s from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooled-kubeconfig';

/** KUBECONFIG (or ~/.kube/config) when set, else the in-cluster service account. Entry points only. */
export function kubeConfig(): k8s.KubeConfig {
  const kc = new PooledKubeConfig();
  kc.loadFromDefault();
  return kc;
}

/** Typed API clients of one KubeConfig; `config` also serves watches. */
export interface KubeClients {
  readonly config: k8s.KubeConfig;
  readonly apps: k8s.AppsV1Api;
  readonly core: k8s.CoreV1Api;
  readonly autoscaling: k8s.AutoscalingV2Api;
  readonly custom: k8s.CustomObjectsApi;
}

export function kubeClients(kc: k8s.KubeConfig): KubeClients {
  return {
    config: kc,
    apps: kc.makeApiClient(k8s.AppsV1Api),
    core: kc.makeApiClient(k8s.CoreV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
  };
}

/** JSON merge patch: maps merge, lists and scalars are replaced. */
export const mergePatch = (): ReturnType<typeof k8s.setHeaderOptions> => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** JSON patch (RFC 6902): a list of operations, `test` among them. */
export const jsonPatch = (): ReturnType<typeof k8s.setHeaderOptions> => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

/** The HTTP status of a failed API call, if it was one. */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof k8s.ApiException) return (err as k8s.ApiException<unknown>).code;
  return undefined;
}

export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;

/** Reads an object, answering undefined instead of throwing when it does not exist. */
export async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
