// Reading the target Deployment, and the errors that no retry can fix when it is unusable.
import type * as k8s from '@kubernetes/client-node';
import { type ApplicationFailure } from '@temporalio/common';
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients, readOptional } from '../../kubernetes/client';
import { type SelectorLabel, missingSelectorLabel, selectorLabelOf } from '../../kubernetes/selector';
import { failure } from '../errors';

/** The Canary must be fixed, not retried. */
export const invalidTarget = (message: string): ApplicationFailure => failure('InvalidTarget', message);

export function readDeployment(kube: KubeClients, namespace: string, name: string): Promise<k8s.V1Deployment | undefined> {
  return readOptional(() => kube.apps.readNamespacedDeployment({ name, namespace }));
}

export interface Target {
  deployment: k8s.V1Deployment;
  selector: SelectorLabel;
  template: k8s.V1PodTemplateSpec;
}

/** The target Deployment and its selector label, or an InvalidTarget failure saying what is wrong. */
export async function requireTarget(kube: KubeClients, settings: CanarySettings): Promise<Target> {
  const { namespace, targetRef } = settings;
  if (targetRef.kind !== 'Deployment') {
    throw invalidTarget(`spec.targetRef.kind ${targetRef.kind} is not supported: Perch manages Deployment targets only`);
  }
  const deployment = await readDeployment(kube, namespace, targetRef.name);
  if (deployment === undefined) {
    throw invalidTarget(`Deployment ${targetRef.name}.${namespace} not found: spec.targetRef must name an existing Deployment in namespace ${namespace}`);
  }
  const selector = selectorLabelOf(deployment);
  if (selector === undefined) throw invalidTarget(missingSelectorLabel(targetRef.name, namespace));
  return { deployment, selector, template: deployment.spec?.template ?? {} };
}
