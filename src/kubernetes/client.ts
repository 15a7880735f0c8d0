// One KubeConfig per process and typed API clients built from it. Activities and the watcher share
// these, so every caller talks to the same cluster with the same credentials.
import * as k8s from '@kubernetes/client-node';

let cached: k8s.KubeConfig | undefined;

/** KUBECONFIG (or ~/.kube/config) when set, else the in-cluster service account; loaded once. */
export function kubeConfig(): k8s.KubeConfig {
  if (cached === undefined) {
    const kc = new k8s.KubeConfig();
    kc.loadFromDefault();
    cached = kc;
  }
  return cached;
}

// API clients are cheap wrappers, but building them once keeps hot paths (readiness polls) lean.
const clients = new Map<unknown, unknown>();

function client<T extends k8s.ApiType>(api: k8s.ApiConstructor<T>): T {
  let c = clients.get(api) as T | undefined;
  if (c === undefined) {
    c = kubeConfig().makeApiClient(api);
    clients.set(api, c);
  }
  return c;
}

export const appsApi = (): k8s.AppsV1Api => client(k8s.AppsV1Api);
export const coreApi = (): k8s.CoreV1Api => client(k8s.CoreV1Api);
export const autoscalingApi = (): k8s.AutoscalingV2Api => client(k8s.AutoscalingV2Api);
export const customObjectsApi = (): k8s.CustomObjectsApi => client(k8s.CustomObjectsApi);

/** JSON merge patch: maps merge, lists and scalars are replaced. */
export const mergePatch = (): ReturnType<typeof k8s.setHeaderOptions> =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed API call, if it was one. */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof k8s.ApiException) return (err as k8s.ApiException<unknown>).code;
  return undefined;
}

export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;
export const isAlreadyExists = (err: unknown): boolean => statusCode(err) === 409;

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
