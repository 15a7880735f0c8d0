// Reading the target (a Deployment or a DaemonSet), and the errors that no retry can fix when it is unusable.
import type * as k8s from '@kubernetes/client-node';
import { type ApplicationFailure } from '@temporalio/common';
import { type AutoscalerRef } from '../../api/canary';
import { type CanarySettings } from '../../api/canary-settings';
import { type CanaryLister } from '../../kubernetes/canary-cache';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { primaryName } from '../../kubernetes/primary';
import { type SelectorLabel, missingSelectorLabel, selectorLabelOf } from '../../kubernetes/selector';
import { type TargetFlags } from '../../kubernetes/target-flags';
import { type Workload, type WorkloadKind, podTemplateOf, workloadKind } from '../../kubernetes/workload';
import { failure } from '../errors';

/** What the Kubernetes activities work with: the clients, and Flagger's flags that shape targets. */
export interface KubeTargets {
  kube: KubeClients;
  flags: TargetFlags;
  /** The worker's Canaries, for the kind of a workload named without one (resolveWorkload). */
  canaries: CanaryLister;
}

/** A workload named by an activity's input: a Canary's target or its primary. */
export interface WorkloadRef {
  kind: WorkloadKind;
  /** The Canary's spec.autoscalerRef, when the Canary is known. */
  autoscalerRef?: AutoscalerRef;
}

/**
 * The kind of the workload `name` (a target, or a primary `<target>-primary`) when the input names
 * none: the kind the Canary that targets it says; without such a Canary in the worker's cache
 * (created a moment ago), the kind that exists, a Deployment first.
 */
export async function resolveWorkload(deps: KubeTargets, namespace: string, name: string, kind: string | undefined): Promise<WorkloadRef> {
  const canary = deps.canaries.list(namespace).find((c) => c.spec.targetRef.name === name || primaryName(c.spec.targetRef.name) === name);
  const autoscalerRef = canary?.spec.autoscalerRef;
  const known = kind ?? canary?.spec.targetRef.kind;
  if (known !== undefined) return { kind: workloadKind(known), ...(autoscalerRef && { autoscalerRef }) };
  if ((await readDeployment(deps.kube, namespace, name)) !== undefined) return { kind: 'Deployment' };
  const ds = await readOptional(() => deps.kube.apps.readNamespacedDaemonSet({ name, namespace }));
  return { kind: ds === undefined ? 'Deployment' : 'DaemonSet' };
}

/** The Canary must be fixed, not retried. */
export const invalidTarget = (message: string): ApplicationFailure => failure('InvalidTarget', message);

export function readDeployment(kube: KubeClients, namespace: string, name: string): Promise<k8s.V1Deployment | undefined> {
  return readOptional(() => kube.apps.readNamespacedDeployment({ name, namespace }));
}

export function readWorkload(kube: KubeClients, namespace: string, name: string, kind: WorkloadKind): Promise<Workload | undefined> {
  return kind === 'DaemonSet' ? readOptional(() => kube.apps.readNamespacedDaemonSet({ name, namespace })) : readDeployment(kube, namespace, name);
}

export interface Target {
  kind: WorkloadKind;
  workload: Workload;
  selector: SelectorLabel;
  /** The pod template revisions and the primary are derived from (podTemplateOf). */
  template: k8s.V1PodTemplateSpec;
}

/** The target and its selector label, or an InvalidTarget failure saying what is wrong. */
export async function requireTarget(deps: KubeTargets, settings: CanarySettings): Promise<Target> {
  const { namespace, targetRef } = settings;
  if (targetRef.kind !== 'Deployment' && targetRef.kind !== 'DaemonSet') {
    throw invalidTarget(`spec.targetRef.kind ${targetRef.kind} is not supported: Perch manages Deployment and DaemonSet targets`);
  }
  const kind = workloadKind(targetRef.kind);
  const workload = await readWorkload(deps.kube, namespace, targetRef.name, kind);
  if (workload === undefined) {
    throw invalidTarget(`${kind} ${targetRef.name}.${namespace} not found: spec.targetRef must name an existing ${kind} in namespace ${namespace}`);
  }
  const selector = selectorLabelOf(workload, deps.flags.selectorLabels);
  if (selector === undefined) throw invalidTarget(missingSelectorLabel(targetRef.name, namespace, deps.flags.selectorLabels, kind));
  return { kind, workload, selector, template: podTemplateOf(kind, workload) };
}
