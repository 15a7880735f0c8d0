// One readiness observation of a Deployment or a DaemonSet, with Flagger's waiting messages.
import type * as k8s from '@kubernetes/client-node';
import { type KubeClients } from '../../kubernetes/client';
import { type Readiness, evaluateDaemonSetReadiness, evaluateReadiness, newReplicaSetOf } from '../../kubernetes/readiness';
import { type WorkloadKind } from '../../kubernetes/workload';
import { type KubeTargets, readWorkload, resolveWorkload } from './target';

export type { Readiness } from '../../kubernetes/readiness';

export interface ReadinessInput {
  namespace: string;
  name: string;
  /** spec.targetRef.kind (the primary is of the target's kind); when absent, resolveWorkload finds it. */
  kind?: string;
  /** Percent of updated replicas that must be available (Deployments only, as in Flagger). */
  readyThreshold: number;
  /** The Canary's progressDeadlineSeconds, for Flagger's "stuck without minimum replicas" rule. */
  progressDeadlineSeconds?: number;
}

export const notFound = (namespace: string, name: string, kind: WorkloadKind = 'Deployment'): Readiness => ({
  ready: false,
  message: `${kind.toLowerCase()} ${name}.${namespace} get query error: not found`,
  deadlineExceeded: false,
  available: 0,
  desired: 0,
});

/** The verdict on one observation of the workload, as the watch in waitForReady sees it too. */
export function readinessOf(kind: WorkloadKind, input: ReadinessInput, w: k8s.V1Deployment | k8s.V1DaemonSet, updatedAvailable?: number): Readiness {
  if (kind === 'DaemonSet') return evaluateDaemonSetReadiness(w as k8s.V1DaemonSet);
  return evaluateReadiness(w, input.readyThreshold, {
    ...options(input),
    ...(updatedAvailable !== undefined && { updatedAvailable }),
  });
}

/**
 * Reads the workload once. A Deployment that is not ready has its available count taken from its
 * updated ReplicaSet, so "N of M updated replicas are available" counts no old pod.
 */
export async function deploymentReadiness(deps: KubeTargets, input: ReadinessInput): Promise<Readiness> {
  const { kube } = deps;
  const { kind } = await resolveWorkload(deps, input.namespace, input.name, input.kind);
  const w = await readWorkload(kube, input.namespace, input.name, kind);
  if (w === undefined) return notFound(input.namespace, input.name, kind);
  const first = readinessOf(kind, input, w);
  if (kind === 'DaemonSet' || first.ready) return first;
  return readinessOf(kind, input, w, await updatedAvailable(kube, w));
}

/** Available pods of the Deployment's ReplicaSet for its current template; 0 before it exists. */
async function updatedAvailable(kube: KubeClients, d: k8s.V1Deployment): Promise<number> {
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return 0;
  const labelSelector = Object.entries(d.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const sets = await kube.apps.listNamespacedReplicaSet({ namespace: d.metadata?.namespace ?? '', labelSelector });
  return newReplicaSetOf(d, sets.items)?.status?.availableReplicas ?? 0;
}

export const options = (input: ReadinessInput): { progressDeadlineSeconds?: number } =>
  input.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: input.progressDeadlineSeconds };
