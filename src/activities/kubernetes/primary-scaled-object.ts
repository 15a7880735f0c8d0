// The primary's KEDA ScaledObject, a copy of the target's scaling the primary instead (Flagger's
// pkg/canary/scaled_object_reconciler.go): created at initialisation, brought in line with the
// target's on promotion. The target's own ScaledObject is paused while the target is at zero, so
// KEDA does not scale the idle canary back up.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients, mergePatch, readOptional } from '../../kubernetes/client';
import { withoutToolkitKeys } from '../../kubernetes/metadata';
import { primaryName } from '../../kubernetes/primary';
import { invalidTarget } from './target';

export const KEDA = { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' } as const;
/** KEDA holds a ScaledObject's target at this many replicas while the annotation is set. */
export const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

interface ScaleTrigger {
  type: string;
  name?: string;
  metadata: Record<string, string>;
  [field: string]: unknown;
}

export interface ScaledObjectSpec {
  scaleTargetRef: { name: string; kind?: string; apiVersion?: string; envSourceContainerName?: string };
  pollingInterval?: number;
  cooldownPeriod?: number;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  idleReplicaCount?: number;
  advanced?: { horizontalPodAutoscalerConfig?: { name?: string; [field: string]: unknown }; [field: string]: unknown };
  fallback?: Record<string, unknown>;
  triggers: ScaleTrigger[];
}

export interface ScaledObject {
  apiVersion?: string;
  kind?: string;
  metadata: k8s.V1ObjectMeta;
  spec: ScaledObjectSpec;
}

const at = (namespace: string, name: string) => ({ ...KEDA, namespace, name });

export function readScaledObject(kube: KubeClients, namespace: string, name: string): Promise<ScaledObject | undefined> {
  return readOptional(async () => (await kube.custom.getNamespacedCustomObject(at(namespace, name))) as ScaledObject);
}

/** The ScaledObject `spec.autoscalerRef` names, or an InvalidTarget failure when it is missing. */
export async function requireTargetScaledObject(kube: KubeClients, settings: CanarySettings): Promise<ScaledObject> {
  const name = settings.autoscalerRef?.name ?? '';
  // A cluster without KEDA's API answers 404 as well.
  const so = await readScaledObject(kube, settings.namespace, name);
  if (so === undefined) {
    throw invalidTarget(
      `ScaledObject ${name}.${settings.namespace} not found: spec.autoscalerRef must name an existing KEDA ScaledObject (keda.sh/v1alpha1, KEDA installed)`,
    );
  }
  return so;
}

/**
 * The primary ScaledObject's spec: the target's, scaling the primary; each trigger's `query` is
 * the one `primaryScalerQueries` gives for the trigger's name, or else the target's with the
 * target's name (and its `-canary` Service's) replaced by the primary's; replica bounds from
 * `primaryScalerReplicas` when given.
 */
export function primaryScaledObjectSpec(settings: CanarySettings, target: ScaledObjectSpec): ScaledObjectSpec {
  const spec = structuredClone(target);
  const targetName = settings.targetRef.name;
  const queries = settings.autoscalerRef?.primaryScalerQueries;
  for (const trigger of spec.triggers) {
    if (queries !== undefined) {
      const query = trigger.name === undefined ? undefined : queries[trigger.name];
      if (query !== undefined) trigger.metadata.query = query;
    } else if (trigger.metadata.query !== undefined) {
      trigger.metadata.query = primaryQuery(trigger.metadata.query, targetName);
    }
  }
  const hpaName = spec.advanced?.horizontalPodAutoscalerConfig?.name;
  if (hpaName && spec.advanced?.horizontalPodAutoscalerConfig) spec.advanced.horizontalPodAutoscalerConfig.name = `${hpaName}-primary`;
  const replicas = settings.autoscalerRef?.primaryScalerReplicas;
  return {
    scaleTargetRef: {
      name: primaryName(targetName),
      ...(spec.scaleTargetRef.kind !== undefined && { kind: spec.scaleTargetRef.kind }),
      ...(spec.scaleTargetRef.apiVersion !== undefined && { apiVersion: spec.scaleTargetRef.apiVersion }),
      ...(spec.scaleTargetRef.envSourceContainerName !== undefined && { envSourceContainerName: spec.scaleTargetRef.envSourceContainerName }),
    },
    pollingInterval: spec.pollingInterval,
    cooldownPeriod: spec.cooldownPeriod,
    minReplicaCount: replicas?.minReplicas ?? spec.minReplicaCount,
    maxReplicaCount: replicas?.maxReplicas ?? spec.maxReplicaCount,
    idleReplicaCount: spec.idleReplicaCount,
    advanced: spec.advanced,
    fallback: spec.fallback,
    triggers: spec.triggers,
  };
}

/** `podinfo` and `podinfo-canary` become `podinfo-primary`, and nothing becomes `podinfo-primary-primary`. */
export function primaryQuery(query: string, targetName: string): string {
  const primary = primaryName(targetName);
  return query
    .split(`${targetName}-canary`)
    .map((part) => part.split(targetName).join(primary))
    .join(primary);
}

/**
 * Creates the primary ScaledObject when missing (labels and annotations of the target's, without
 * Flux's keys and without a pause). With `sync` (promotion) an existing one gets the spec when it differs.
 */
export async function reconcilePrimaryScaledObject(
  kube: KubeClients,
  settings: CanarySettings,
  target: ScaledObject,
  owner: k8s.V1OwnerReference | undefined,
  sync: boolean,
): Promise<void> {
  const { namespace } = settings;
  const name = `${settings.autoscalerRef?.name ?? ''}-primary`;
  const spec = primaryScaledObjectSpec(settings, target.spec);
  const live = await readScaledObject(kube, namespace, name);
  if (live === undefined) {
    const annotations = withoutToolkitKeys(target.metadata.annotations);
    delete annotations[PAUSED_REPLICAS_ANNOTATION];
    const metadata: k8s.V1ObjectMeta = {
      name,
      namespace,
      labels: withoutToolkitKeys(target.metadata.labels),
      annotations,
      ...(owner && { ownerReferences: [owner] }),
    };
    await kube.custom.createNamespacedCustomObject({
      ...KEDA,
      namespace,
      body: { apiVersion: `${KEDA.group}/${KEDA.version}`, kind: 'ScaledObject', metadata, spec },
    });
    return;
  }
  if (!sync || canonicalJson(live.spec) === canonicalJson(spec)) return;
  await kube.custom.replaceNamespacedCustomObject({ ...at(namespace, name), body: { ...live, spec } });
}

/** Pauses (at zero replicas) or resumes a ScaledObject; writes nothing when it already is. */
export async function pauseScaledObject(kube: KubeClients, namespace: string, name: string, paused: boolean): Promise<void> {
  const so = await readScaledObject(kube, namespace, name);
  if (so === undefined) return;
  const current = so.metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION];
  if (paused ? current === '0' : current === undefined) return;
  const body = { metadata: { annotations: { [PAUSED_REPLICAS_ANNOTATION]: paused ? '0' : null } } };
  await kube.custom.patchNamespacedCustomObject({ ...at(namespace, name), body }, mergePatch());
}
