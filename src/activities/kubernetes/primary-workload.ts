// Writing the primary Deployment or DaemonSet: created once from the target at initialisation, then
// rewritten from the target on each promotion. Both compare before writing, so a repeat changes nothing.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients } from '../../kubernetes/client';
import { copiedAnnotations, keepLiveAnnotations } from '../../kubernetes/metadata';
import {
  type PrimaryInput,
  copiedSpecFields,
  newPrimaryDaemonSet,
  newPrimaryDeployment,
  primaryLabels,
  primaryTemplate,
} from '../../kubernetes/primary';
import { type Workload, type WorkloadKind, specReplicas } from '../../kubernetes/workload';

/** Creates the primary. An existing primary keeps running what was last promoted: not touched. */
export async function createPrimary(
  kube: KubeClients,
  kind: WorkloadKind,
  input: PrimaryInput & { replicas: number; owner: k8s.V1OwnerReference },
): Promise<void> {
  if (kind === 'DaemonSet') {
    const body = newPrimaryDaemonSet({ ...input, target: input.target as k8s.V1DaemonSet });
    await kube.apps.createNamespacedDaemonSet({ namespace: body.metadata?.namespace ?? '', body });
    return;
  }
  const body = newPrimaryDeployment({ ...input, target: input.target });
  await kube.apps.createNamespacedDeployment({ namespace: body.metadata?.namespace ?? '', body });
}

/**
 * Flagger's Promote: the target's template and rollout settings, on the primary's selector. Labels
 * of the target with an included prefix are synced; the primary's other labels stay. Answers
 * whether it wrote.
 */
export async function promoteWorkload(
  kube: KubeClients,
  settings: CanarySettings,
  kind: WorkloadKind,
  live: Workload,
  input: PrimaryInput,
): Promise<boolean> {
  const { target, selector } = input;
  const liveSpec = live.spec;
  if (liveSpec === undefined) throw new Error(`${kind.toLowerCase()} ${live.metadata?.name ?? ''} has no spec`);
  const want: Record<string, unknown> = {
    ...copiedSpecFields(kind, target),
    template: primaryTemplate({ ...input, kind }),
    labels: { ...(live.metadata?.labels ?? {}), ...primaryLabels(selector, target.metadata?.labels, input.flags) },
    annotations: keepLiveAnnotations(copiedAnnotations(target.metadata?.annotations), live.metadata?.annotations),
  };
  const have: Record<string, unknown> = {
    ...copiedSpecFields(kind, live),
    template: {
      metadata: { labels: liveSpec.template.metadata?.labels, annotations: liveSpec.template.metadata?.annotations },
      spec: liveSpec.template.spec,
    },
    labels: live.metadata?.labels,
    annotations: live.metadata?.annotations,
  };
  if (kind === 'Deployment') {
    const targetReplicas = specReplicas(target) ?? 0;
    const liveReplicas = specReplicas(live);
    // With an autoscaler it owns the replica count; without one the target's count applies.
    want.replicas = settings.autoscalerRef === undefined && targetReplicas > 0 ? targetReplicas : liveReplicas;
    have.replicas = liveReplicas;
  }
  if (canonicalJson(want) === canonicalJson(have)) return false;
  const { labels, annotations, ...spec } = want as { labels: Record<string, string>; annotations: Record<string, string> };
  const metadata = { ...live.metadata, labels, annotations };
  const name = live.metadata?.name ?? '';
  const namespace = live.metadata?.namespace ?? '';
  if (kind === 'DaemonSet') {
    const body = { ...live, metadata, spec: { ...liveSpec, ...spec } } as k8s.V1DaemonSet;
    await kube.apps.replaceNamespacedDaemonSet({ name, namespace, body });
  } else {
    const body = { ...live, metadata, spec: { ...liveSpec, ...spec } } as k8s.V1Deployment;
    await kube.apps.replaceNamespacedDeployment({ name, namespace, body });
  }
  return true;
}
