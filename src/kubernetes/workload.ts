// The kinds of target Perch manages, as Flagger does: Deployments, and DaemonSets, which cannot be
// scaled and are "scaled to zero" by a node selector no node matches.
import type * as k8s from '@kubernetes/client-node';

export const WORKLOAD_KINDS = ['Deployment', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export type Workload = k8s.V1Deployment | k8s.V1DaemonSet;

/** Flagger's node selector of a DaemonSet at zero: no node carries the label, so no pod runs. */
export const SCALE_TO_ZERO_KEY = 'flagger.app/scale-to-zero';
export const SCALE_TO_ZERO_VALUE = 'true';

/** spec.targetRef.kind as a workload kind; a call recorded before targets had kinds means a Deployment. */
export const workloadKind = (kind: string | undefined): WorkloadKind => (kind === 'DaemonSet' ? 'DaemonSet' : 'Deployment');

/**
 * The pod template a revision and the primary are derived from. A DaemonSet's loses the
 * scale-to-zero node selector, so scaling it down and up is not a new revision (as in Flagger).
 */
export function podTemplateOf(kind: WorkloadKind, workload: Workload): k8s.V1PodTemplateSpec {
  const template = workload.spec?.template ?? {};
  if (kind !== 'DaemonSet' || template.spec?.nodeSelector?.[SCALE_TO_ZERO_KEY] === undefined) return template;
  const { [SCALE_TO_ZERO_KEY]: dropped, ...rest } = template.spec.nodeSelector;
  const { nodeSelector, ...spec } = template.spec;
  return { ...template, spec: Object.keys(rest).length > 0 ? { ...spec, nodeSelector: rest } : spec };
}

/** True while the DaemonSet carries the scale-to-zero node selector. */
export const daemonSetAtZero = (d: k8s.V1DaemonSet): boolean => d.spec?.template.spec?.nodeSelector?.[SCALE_TO_ZERO_KEY] !== undefined;

/**
 * A Deployment's spec.replicas; undefined for a DaemonSet, which has none. (The two specs are
 * assignable to each other, so the type alone cannot tell them apart.)
 */
export function specReplicas(w: Workload): number | undefined {
  const spec: k8s.V1DeploymentSpec | undefined = w.spec;
  return spec?.replicas;
}
