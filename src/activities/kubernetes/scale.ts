// Replica counts: scaling through the scale subresource (which an HPA also uses, so neither
// overwrites the other's unrelated fields), and how many replicas a canary run starts with.
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients, mergePatch, readOptional } from '../../kubernetes/client';
import { primaryName } from '../../kubernetes/primary';
import { readTargetHpa } from './primary-hpa';
import { invalidTarget, readDeployment, requireTarget } from './target';

export async function scaleDeployment(kube: KubeClients, input: { namespace: string; name: string; replicas: number }): Promise<void> {
  const { namespace, name, replicas } = input;
  const scale = await readOptional(() => kube.apps.readNamespacedDeploymentScale({ name, namespace }));
  if (scale === undefined) {
    // Nothing left to scale down; scaling up something that is gone cannot succeed by retrying.
    if (replicas === 0) return;
    throw invalidTarget(`Deployment ${name}.${namespace} not found: cannot scale it to ${replicas}`);
  }
  if (scale.spec?.replicas === replicas) return;
  await kube.apps.patchNamespacedDeploymentScale({ name, namespace, body: { spec: { replicas } } }, mergePatch());
}

/**
 * Flagger's scale-up of a new revision: the target's own count when it has one; else the
 * primary's (no autoscaler); else the HPA's minimum when above 1; else 1.
 */
export async function canaryReplicas(kube: KubeClients, input: { settings: CanarySettings }): Promise<number> {
  const { settings } = input;
  const target = await requireTarget(kube, settings);
  const own = target.deployment.spec?.replicas ?? 0;
  if (own > 0) return own;
  if (settings.autoscalerRef === undefined) {
    const primary = await readDeployment(kube, settings.namespace, primaryName(settings.targetRef.name));
    const count = primary?.spec?.replicas ?? 0;
    return count > 0 ? count : 1;
  }
  const hpa = await readTargetHpa(kube, settings);
  const min = hpa?.spec?.minReplicas ?? 1;
  return min > 1 ? min : 1;
}
