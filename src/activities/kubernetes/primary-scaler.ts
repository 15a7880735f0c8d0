// The target's autoscaler named by `spec.autoscalerRef` (an HPA or a KEDA ScaledObject) and the
// primary's copy of it, whichever kind it is.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients } from '../../kubernetes/client';
import { primaryHpaSpec, reconcilePrimaryHpa, requireTargetHpa } from './primary-hpa';
import {
  type ScaledObject,
  pauseScaledObject,
  primaryScaledObjectSpec,
  reconcilePrimaryScaledObject,
  requireTargetScaledObject,
} from './primary-scaled-object';
import { invalidTarget } from './target';

export type TargetScaler =
  { kind: 'HorizontalPodAutoscaler'; hpa: k8s.V2HorizontalPodAutoscaler } | { kind: 'ScaledObject'; scaledObject: ScaledObject };

/** The autoscaler `spec.autoscalerRef` names, or undefined when the Canary has none. */
export async function readTargetScaler(kube: KubeClients, settings: CanarySettings): Promise<TargetScaler | undefined> {
  const ref = settings.autoscalerRef;
  if (ref === undefined) return undefined;
  if (ref.kind === 'HorizontalPodAutoscaler') return { kind: ref.kind, hpa: await requireTargetHpa(kube, settings) };
  if (ref.kind === 'ScaledObject') return { kind: ref.kind, scaledObject: await requireTargetScaledObject(kube, settings) };
  throw invalidTarget(`spec.autoscalerRef.kind ${String(ref.kind)} is not supported: HorizontalPodAutoscaler or ScaledObject`);
}

/** Creates the primary's copy when missing; with `sync` (promotion) brings an existing one in line. */
export async function reconcilePrimaryScaler(
  kube: KubeClients,
  settings: CanarySettings,
  scaler: TargetScaler,
  owner: k8s.V1OwnerReference | undefined,
  sync: boolean,
): Promise<void> {
  if (scaler.kind === 'HorizontalPodAutoscaler') await reconcilePrimaryHpa(kube, settings, scaler.hpa, owner, sync);
  else await reconcilePrimaryScaledObject(kube, settings, scaler.scaledObject, owner, sync);
}

/** The replica bounds the primary's copy will keep it within. */
export function primaryBounds(settings: CanarySettings, scaler: TargetScaler): { min: number; max: number } {
  if (scaler.kind === 'HorizontalPodAutoscaler') {
    const spec = primaryHpaSpec(settings, scaler.hpa);
    return { min: spec.minReplicas ?? 1, max: spec.maxReplicas };
  }
  // KEDA's defaults: down to zero, up to 100.
  const spec = primaryScaledObjectSpec(settings, scaler.scaledObject.spec);
  return { min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100 };
}

/** The minimum the target's own autoscaler would hold it at: Flagger's scale-up count when above 1. */
export function targetMinimum(scaler: TargetScaler): number {
  return scaler.kind === 'HorizontalPodAutoscaler' ? (scaler.hpa.spec?.minReplicas ?? 1) : (scaler.scaledObject.spec.minReplicaCount ?? 0);
}

/**
 * KEDA would scale the target back up from zero: its ScaledObject is paused while the target is at
 * zero, and resumed before it scales up, as Flagger does. HPAs stop at zero replicas by themselves.
 */
export async function holdTargetScaler(
  kube: KubeClients,
  namespace: string,
  ref: { kind: string; name: string } | undefined,
  atZero: boolean,
): Promise<void> {
  if (ref?.kind === 'ScaledObject') await pauseScaledObject(kube, namespace, ref.name, atZero);
}
