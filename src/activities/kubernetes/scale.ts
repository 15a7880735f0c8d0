// Replica counts: scaling through the scale subresource (which an HPA also uses, so neither
// overwrites the other's unrelated fields), a DaemonSet "scaled" by Flagger's node selector, and
// how many replicas a canary run starts with.
import { type AutoscalerRef } from '../../api/canary';
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients, mergePatch, readOptional } from '../../kubernetes/client';
import { primaryName } from '../../kubernetes/primary';
import { SCALE_TO_ZERO_KEY, SCALE_TO_ZERO_VALUE, daemonSetAtZero, specReplicas } from '../../kubernetes/workload';
import { holdTargetScaler, readTargetScaler, targetMinimum } from './primary-scaler';
import { type KubeTargets, invalidTarget, readDeployment, requireTarget, resolveWorkload } from './target';

export interface ScaleInput {
  namespace: string;
  name: string;
  replicas: number;
  /** spec.targetRef.kind; when absent, resolveWorkload finds it. */
  kind?: string;
  /** spec.autoscalerRef (the Canary's when absent): a KEDA ScaledObject is paused at zero and resumed before scaling up. */
  autoscalerRef?: AutoscalerRef;
}

export async function scaleDeployment(deps: KubeTargets, input: ScaleInput): Promise<void> {
  const { kube } = deps;
  const { namespace, name, replicas } = input;
  const found = await resolveWorkload(deps, namespace, name, input.kind);
  const autoscalerRef = input.autoscalerRef ?? found.autoscalerRef;
  if (replicas > 0) await holdTargetScaler(kube, namespace, autoscalerRef, false);
  if (found.kind === 'DaemonSet') await scaleDaemonSet(kube, namespace, name, replicas > 0);
  else await scaleReplicas(kube, namespace, name, replicas);
  if (replicas === 0) await holdTargetScaler(kube, namespace, autoscalerRef, true);
}

async function scaleReplicas(kube: KubeClients, namespace: string, name: string, replicas: number): Promise<void> {
  const scale = await readOptional(() => kube.apps.readNamespacedDeploymentScale({ name, namespace }));
  if (scale === undefined) {
    // Nothing left to scale down; scaling up something that is gone cannot succeed by retrying.
    if (replicas === 0) return;
    throw invalidTarget(`Deployment ${name}.${namespace} not found: cannot scale it to ${replicas}`);
  }
  if (scale.spec?.replicas === replicas) return;
  await kube.apps.patchNamespacedDeploymentScale({ name, namespace, body: { spec: { replicas } } }, mergePatch());
}

/** Flagger's DaemonSet at zero: a node selector no node matches; removing it runs the pods again. */
async function scaleDaemonSet(kube: KubeClients, namespace: string, name: string, up: boolean): Promise<void> {
  const ds = await readOptional(() => kube.apps.readNamespacedDaemonSet({ name, namespace }));
  if (ds === undefined) {
    if (!up) return;
    throw invalidTarget(`DaemonSet ${name}.${namespace} not found: cannot scale it up`);
  }
  if (daemonSetAtZero(ds) !== up) return;
  // A merge patch: null removes the key, the rest of the node selector stays.
  const body = { spec: { template: { spec: { nodeSelector: { [SCALE_TO_ZERO_KEY]: up ? null : SCALE_TO_ZERO_VALUE } } } } };
  await kube.apps.patchNamespacedDaemonSet({ name, namespace, body }, mergePatch());
}

/**
 * Flagger's scale-up of a new revision: the target's own count when it has one; else the
 * primary's (no autoscaler); else the autoscaler's minimum when above 1; else 1. A DaemonSet runs
 * one pod per node whatever this says.
 */
export async function canaryReplicas(deps: KubeTargets, input: { settings: CanarySettings }): Promise<number> {
  const { settings } = input;
  const target = await requireTarget(deps, settings);
  if (target.kind === 'DaemonSet') return 1;
  const own = specReplicas(target.workload) ?? 0;
  if (own > 0) return own;
  const scaler = await readTargetScaler(deps.kube, settings);
  if (scaler === undefined) {
    const primary = await readDeployment(deps.kube, settings.namespace, primaryName(settings.targetRef.name));
    const count = primary?.spec?.replicas ?? 0;
    return count > 0 ? count : 1;
  }
  const min = targetMinimum(scaler);
  return min > 1 ? min : 1;
}
