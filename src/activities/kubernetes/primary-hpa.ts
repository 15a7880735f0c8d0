// The primary's HorizontalPodAutoscaler, a copy of the target's scaling the primary instead.
// Flagger creates it at initialisation and brings it in line with the target's only on promotion,
// so an HPA edit reaches the primary together with the release that carries it.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { withoutToolkitKeys } from '../../kubernetes/metadata';
import { primaryName } from '../../kubernetes/primary';
import { invalidTarget } from './target';

/** The target's HPA named by `spec.autoscalerRef` (of kind HorizontalPodAutoscaler). */
export async function requireTargetHpa(kube: KubeClients, settings: CanarySettings): Promise<k8s.V2HorizontalPodAutoscaler> {
  const ref = { name: settings.autoscalerRef?.name ?? '' };
  // autoscaling/v2beta2, which Flagger's docs still name, is gone; v2 serves the same object.
  const hpa = await readOptional(() => kube.autoscaling.readNamespacedHorizontalPodAutoscaler({ name: ref.name, namespace: settings.namespace }));
  if (hpa === undefined) {
    throw invalidTarget(
      `HorizontalPodAutoscaler ${ref.name}.${settings.namespace} not found: spec.autoscalerRef must name an existing HorizontalPodAutoscaler`,
    );
  }
  return hpa;
}

/** The primary HPA's spec: the target's, retargeted, with `primaryScalerReplicas` applied. */
export function primaryHpaSpec(settings: CanarySettings, target: k8s.V2HorizontalPodAutoscaler): k8s.V2HorizontalPodAutoscalerSpec {
  const spec = target.spec;
  const override = settings.autoscalerRef?.primaryScalerReplicas;
  return {
    scaleTargetRef: {
      apiVersion: spec?.scaleTargetRef.apiVersion ?? 'apps/v1',
      kind: spec?.scaleTargetRef.kind ?? 'Deployment',
      name: primaryName(settings.targetRef.name),
    },
    minReplicas: override?.minReplicas ?? spec?.minReplicas,
    maxReplicas: override?.maxReplicas ?? spec?.maxReplicas ?? 1,
    metrics: spec?.metrics,
    behavior: spec?.behavior,
  };
}

/**
 * Creates the primary HPA when missing. With `sync` (promotion) an existing one gets the target's
 * min/max/metrics/behavior when they differ; without it an existing one is left alone.
 */
export async function reconcilePrimaryHpa(
  kube: KubeClients,
  settings: CanarySettings,
  target: k8s.V2HorizontalPodAutoscaler,
  owner: k8s.V1OwnerReference | undefined,
  sync: boolean,
): Promise<void> {
  const namespace = settings.namespace;
  const name = `${settings.autoscalerRef?.name ?? ''}-primary`;
  const want = primaryHpaSpec(settings, target);
  const live = await readOptional(() => kube.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }));
  if (live === undefined) {
    const metadata: k8s.V1ObjectMeta = {
      name,
      namespace,
      labels: withoutToolkitKeys(target.metadata?.labels),
      ...(owner && { ownerReferences: [owner] }),
    };
    await kube.autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: want },
    });
    return;
  }
  if (!sync || live.spec === undefined) return;
  const scaling = (s: k8s.V2HorizontalPodAutoscalerSpec): string =>
    canonicalJson({ min: s.minReplicas ?? 1, max: s.maxReplicas, metrics: s.metrics ?? [], behavior: s.behavior });
  if (scaling(live.spec) === scaling(want)) return;
  const body = {
    ...live,
    spec: { ...live.spec, minReplicas: want.minReplicas, maxReplicas: want.maxReplicas, metrics: want.metrics, behavior: want.behavior },
  };
  await kube.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name, namespace, body });
}
