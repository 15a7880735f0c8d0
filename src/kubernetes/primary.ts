// The primary Deployment as Flagger derives it from the target: same pods, told apart by the
// `-primary` selector label value, reading the `-primary` copies of the tracked configs.
import type * as k8s from '@kubernetes/client-node';
import { PRIMARY_SUFFIX, rewriteConfigRefs } from './config-refs';
import { copiedAnnotations, withoutToolkitKeys } from './metadata';
import { flaggerId } from './revision';
import { SELECTOR_LABELS, type SelectorLabel, primaryLabelValue, withSelectorValue } from './selector';

export const FLAGGER_ID_ANNOTATION = 'flagger-id';

export interface PrimaryInput {
  target: k8s.V1Deployment;
  selector: SelectorLabel;
  /** Keys (`configmap/<name>`, `secret/<name>`) of the configs the primary reads as `-primary` copies. */
  tracked: ReadonlySet<string>;
  revision: string;
}

export const primaryName = (targetName: string): string => `${targetName}${PRIMARY_SUFFIX}`;

/** The primary's pod template for the target's current template. */
export function primaryTemplate({ target, selector, tracked, revision }: PrimaryInput): k8s.V1PodTemplateSpec {
  const template = target.spec?.template ?? {};
  const spec = rewriteConfigRefs(template.spec ?? { containers: [] }, tracked);
  suffixSelectorTerms(spec, target.metadata?.name ?? '');
  const annotations = withoutToolkitKeys(template.metadata?.annotations);
  annotations[FLAGGER_ID_ANNOTATION] = flaggerId(revision);
  return {
    metadata: {
      labels: withSelectorValue(template.metadata?.labels, selector.key, primaryLabelValue(selector.value)),
      annotations,
    },
    spec,
  };
}

/** The Deployment-level fields Flagger copies from the target on creation and on every promotion. */
export function copiedSpecFields(target: k8s.V1Deployment): Pick<k8s.V1DeploymentSpec,
  'progressDeadlineSeconds' | 'minReadySeconds' | 'revisionHistoryLimit' | 'strategy'> {
  const s = target.spec;
  return {
    progressDeadlineSeconds: s?.progressDeadlineSeconds,
    minReadySeconds: s?.minReadySeconds,
    revisionHistoryLimit: s?.revisionHistoryLimit,
    strategy: s?.strategy,
  };
}

/** Flagger copies no target labels by default (`-include-label-prefix` empty), only the selector. */
export function primaryLabels(selector: SelectorLabel): Record<string, string> {
  return { [selector.key]: primaryLabelValue(selector.value) };
}

/** A new primary Deployment, owned by the Canary. */
export function newPrimaryDeployment(input: PrimaryInput & { replicas: number; owner: k8s.V1OwnerReference }): k8s.V1Deployment {
  const { target, selector } = input;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: primaryName(target.metadata?.name ?? ''),
      namespace: target.metadata?.namespace,
      labels: primaryLabels(selector),
      annotations: copiedAnnotations(target.metadata?.annotations),
      ownerReferences: [input.owner],
    },
    spec: {
      ...copiedSpecFields(target),
      replicas: input.replicas,
      selector: { matchLabels: { [selector.key]: primaryLabelValue(selector.value) } },
      template: primaryTemplate(input),
    },
  };
}

/**
 * Anti-affinity and topology-spread selectors that name the target's pods (a selector label whose
 * value is the target's name) are pointed at the primary's pods, as Flagger does.
 */
function suffixSelectorTerms(spec: k8s.V1PodSpec, targetName: string): void {
  const selectors: (k8s.V1LabelSelector | undefined)[] = [
    ...(spec.topologySpreadConstraints ?? []).map((t) => t.labelSelector),
    ...(spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm.labelSelector),
    ...(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.labelSelector),
  ];
  for (const sel of selectors) {
    if (!sel) continue;
    for (const expr of sel.matchExpressions ?? []) {
      if (!SELECTOR_LABELS.includes(expr.key)) continue;
      const i = (expr.values ?? []).indexOf(targetName);
      if (i >= 0 && expr.values) expr.values[i] = primaryName(targetName);
    }
    for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
      if (SELECTOR_LABELS.includes(key) && value === targetName && sel.matchLabels) sel.matchLabels[key] = primaryName(targetName);
    }
  }
}
