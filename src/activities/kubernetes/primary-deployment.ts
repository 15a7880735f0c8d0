// Writing the primary Deployment: created once from the target at initialisation, then rewritten
// from the target on each promotion. Both compare before writing, so a repeat changes nothing.
import type * as k8s from '@kubernetes/client-node';
import { type CanarySettings } from '../../api/canary-settings';
import { canonicalJson } from '../../kubernetes/canonical-json';
import { type KubeClients } from '../../kubernetes/client';
import { copiedAnnotations, keepLiveAnnotations } from '../../kubernetes/metadata';
import { type PrimaryInput, copiedSpecFields, newPrimaryDeployment, primaryLabels, primaryTemplate } from '../../kubernetes/primary';

/** Creates the primary. An existing primary keeps running what was last promoted: not touched. */
export async function createPrimaryDeployment(kube: KubeClients, input: PrimaryInput & { replicas: number; owner: k8s.V1OwnerReference }): Promise<void> {
  const body = newPrimaryDeployment(input);
  await kube.apps.createNamespacedDeployment({ namespace: body.metadata?.namespace ?? '', body });
}

/** Flagger's Promote: the target's template and rollout settings, on the primary's selector. */
export async function promoteDeployment(kube: KubeClients, settings: CanarySettings, live: k8s.V1Deployment, input: PrimaryInput): Promise<boolean> {
  const { target, selector } = input;
  const liveSpec = live.spec;
  if (liveSpec === undefined) throw new Error(`deployment ${live.metadata?.name ?? ''} has no spec`);
  const targetReplicas = target.spec?.replicas ?? 0;
  const want = {
    ...copiedSpecFields(target),
    // With an autoscaler the HPA owns the replica count; without one the target's count applies.
    replicas: settings.autoscalerRef === undefined && targetReplicas > 0 ? targetReplicas : liveSpec.replicas,
    template: primaryTemplate(input),
    labels: { ...(live.metadata?.labels ?? {}), ...primaryLabels(selector) },
    annotations: keepLiveAnnotations(copiedAnnotations(target.metadata?.annotations), live.metadata?.annotations),
  };
  const have = {
    ...copiedSpecFields(live), replicas: liveSpec.replicas,
    template: { metadata: { labels: liveSpec.template.metadata?.labels, annotations: liveSpec.template.metadata?.annotations }, spec: liveSpec.template.spec },
    labels: live.metadata?.labels, annotations: live.metadata?.annotations,
  };
  if (canonicalJson(want) === canonicalJson(have)) return false;
  const { labels, annotations, ...spec } = want;
  const body: k8s.V1Deployment = { ...live, metadata: { ...live.metadata, labels, annotations }, spec: { ...liveSpec, ...spec } };
  await kube.apps.replaceNamespacedDeployment({ name: live.metadata?.name ?? '', namespace: live.metadata?.namespace ?? '', body });
  return true;
}
