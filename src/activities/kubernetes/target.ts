// Reading the target (a Deployment or a DaemonSet), and the errors that no retry can fix when it is unusable.
import type * as k8s from '@kubernetes/client-node';
import { type ApplicationFailure } from '@temporalio/common';
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { type SelectorLabel, missingSelectorLabel, selectorLabelOf } from '../../kubernetes/selector';
import { type TargetFlags } from '../../kubernetes/target-flags';
import { type Workload, type WorkloadKind, podTemplateOf, workloadKind } from '../../kubernetes/workload';
import { failure } from '../errors';

/** What the Kubernetes activities work with: the clients, and Flagger's flags that shape targets. */
export interface KubeTargets {
  kube: KubeClients;
  flags: TargetFlags;
}

/** The Canary must be fixed, not retried. */
export const invalidTarget = (message: string): ApplicationFailure => failure('InvalidTarget', message);

export function readDeployment(kube: KubeClients, namespace: string, name: string): Promise<k8s.V1Deployment | undefined> {
  return readOptional(() => kube.apps.readNamespacedDeployment({ name, namespace }));
}

export function readWorkload(kube: KubeClients, namespace: string, name: string, kind: WorkloadKind): Promise<Workload | undefined> {
  return kind === 'DaemonSet'
    ? readOptional(() => kube.apps.readNamespacedDaemonSet({ name, namespace }))
    : readDeployment(kube, namespace, name);
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
