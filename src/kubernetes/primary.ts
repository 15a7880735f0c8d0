// The primary Deployment or DaemonSet as Flagger derives it from the target: same pods, told apart by
// the `-primary` selector label value, reading the `-primary` copies of the tracked configs.
import type * as k8s from '@kubernetes/client-node';
import { PRIMARY_SUFFIX, rewriteConfigRefs } from './config-refs';
import { copiedAnnotations, withoutToolkitKeys } from './metadata';
import { flaggerId } from './revision';
import { type SelectorLabel, primaryLabelValue, withSelectorValue } from './selector';
import { DEFAULT_TARGET_FLAGS, type TargetFlags, includeByPrefix } from './target-flags';
import { type Workload, type WorkloadKind, podTemplateOf } from './workload';

export const FLAGGER_ID_ANNOTATION = 'flagger-id';

export interface PrimaryInput {
  target: Workload;
  /** The target's kind; a Deployment when not given. */
  kind?: WorkloadKind;
  selector: SelectorLabel;
  /** Keys (`configmap/<name>`, `secret/<name>`) of the configs the primary reads as `-primary` copies. */
  tracked: ReadonlySet<string>;
  revision: string;
  /** Flagger's flags: selector labels and included label prefixes; Flagger's defaults when not given. */
  flags?: TargetFlags;
}

export const primaryName = (targetName: string): string => `${targetName}${PRIMARY_SUFFIX}`;

/** The primary's pod template for the target's current template. */
export function primaryTemplate({
  target,
  kind = 'Deployment',
  selector,
  tracked,
  revision,
  flags = DEFAULT_TARGET_FLAGS,
}: PrimaryInput): k8s.V1PodTemplateSpec {
  const template = podTemplateOf(kind, target);
  const spec = rewriteConfigRefs(template.spec ?? { containers: [] }, tracked);
  suffixSelectorTerms(spec, target.metadata?.name ?? '', flags.selectorLabels);
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

/** The fields besides the template Flagger copies from the target on creation and on every promotion. */
export function copiedSpecFields(kind: WorkloadKind, target: Workload): Record<string, unknown> {
  if (kind === 'DaemonSet') {
    const s: k8s.V1DaemonSetSpec | undefined = target.spec;
    return { minReadySeconds: s?.minReadySeconds, revisionHistoryLimit: s?.revisionHistoryLimit, updateStrategy: s?.updateStrategy };
  }
  const s: k8s.V1DeploymentSpec | undefined = target.spec;
  return {
    progressDeadlineSeconds: s?.progressDeadlineSeconds,
    minReadySeconds: s?.minReadySeconds,
    revisionHistoryLimit: s?.revisionHistoryLimit,
    strategy: s?.strategy,
  };
}

/** The target's labels with an included prefix (`-include-label-prefix`, none by default), and the selector label. */
export function primaryLabels(
  selector: SelectorLabel,
  targetLabels?: Record<string, string>,
  flags: TargetFlags = DEFAULT_TARGET_FLAGS,
): Record<string, string> {
  return { ...includeByPrefix(targetLabels, flags.includeLabelPrefix), [selector.key]: primaryLabelValue(selector.value) };
}

/** A new primary Deployment, owned by the Canary. */
export function newPrimaryDeployment(
  input: PrimaryInput & { target: k8s.V1Deployment; replicas: number; owner: k8s.V1OwnerReference },
): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: primaryMetadata(input),
    spec: {
      ...copiedSpecFields('Deployment', input.target),
      replicas: input.replicas,
      selector: { matchLabels: { [input.selector.key]: primaryLabelValue(input.selector.value) } },
      template: primaryTemplate({ ...input, kind: 'Deployment' }),
    },
  };
}

/** A new primary DaemonSet, owned by the Canary: it runs on every node the target would. */
export function newPrimaryDaemonSet(input: PrimaryInput & { target: k8s.V1DaemonSet; owner: k8s.V1OwnerReference }): k8s.V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: primaryMetadata(input),
    spec: {
      ...copiedSpecFields('DaemonSet', input.target),
      selector: { matchLabels: { [input.selector.key]: primaryLabelValue(input.selector.value) } },
      template: primaryTemplate({ ...input, kind: 'DaemonSet' }),
    },
  };
}

function primaryMetadata(input: PrimaryInput & { owner: k8s.V1OwnerReference }): k8s.V1ObjectMeta {
  const { target, selector, flags } = input;
  return {
    name: primaryName(target.metadata?.name ?? ''),
    namespace: target.metadata?.namespace,
    labels: primaryLabels(selector, target.metadata?.labels, flags),
    annotations: copiedAnnotations(target.metadata?.annotations),
    ownerReferences: [input.owner],
  };
}

/**
 * Anti-affinity and topology-spread selectors that name the target's pods (a selector label whose
 * value is the target's name) are pointed at the primary's pods, as Flagger does.
 */
function suffixSelectorTerms(spec: k8s.V1PodSpec, targetName: string, selectorLabels: readonly string[]): void {
  const selectors: (k8s.V1LabelSelector | undefined)[] = [
    ...(spec.topologySpreadConstraints ?? []).map((t) => t.labelSelector),
    ...(spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm.labelSelector),
    ...(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.labelSelector),
  ];
  for (const sel of selectors) {
    if (!sel) continue;
    for (const expr of sel.matchExpressions ?? []) {
      if (!selectorLabels.includes(expr.key)) continue;
      const i = (expr.values ?? []).indexOf(targetName);
      if (i >= 0 && expr.values) expr.values[i] = primaryName(targetName);
    }
    for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
      if (selectorLabels.includes(key) && value === targetName && sel.matchLabels) sel.matchLabels[key] = primaryName(targetName);
    }
  }
}
