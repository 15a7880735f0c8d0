// Where the local stack listens (written by `scripts/stack.sh up`) and clients for its parts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { PooledKubeConfig } from '../../src/kubernetes/pooled-kubeconfig';

export interface StackEndpoints {
  portOffset: number;
  kubeconfig: string;
  etcd: string;
  kubeApiserver: string;
  temporal: string;
  temporalUi: string;
  prometheus: string;
  envoyListener: string;
  envoyStats: string;
  clusterProxy: string;
  loadtester: string;
}

/** The stack's runtime folder: PERCH_RUN, else `.stack` in this checkout. */
export function runDir(): string {
  return process.env.PERCH_RUN ?? join(__dirname, '..', '..', '..', '.stack');
}

export function stack(): StackEndpoints {
  try {
    return JSON.parse(readFileSync(join(runDir(), 'endpoints.json'), 'utf8')) as StackEndpoints;
  } catch {
    throw new Error(`the local stack is not up (no ${runDir()}/endpoints.json): run ./scripts/stack.sh up`);
  }
}

export function kubeConfig(): k8s.KubeConfig {
  const kc = new PooledKubeConfig();
  kc.loadFromFile(stack().kubeconfig);
  return kc;
}

/** Polls `probe` until it returns a value other than undefined; fails naming `what` on timeout. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A Prometheus instant query; returns the single sample's value, or undefined when there is none. */
export async function promQuery(query: string): Promise<number | undefined> {
  const res = await fetch(`${stack().prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  if (!res.ok) throw new Error(`prometheus ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  const sample = body.data.result[0];
  if (!sample) return undefined;
  const value = Number(sample.value[1]);
  return Number.isNaN(value) ? undefined : value;
}
