// One readiness observation of a Deployment, with Flagger's waiting messages.
import { type Readiness, evaluateReadiness } from '../../kubernetes/readiness';
import { type KubeClients } from '../../kubernetes/client';
import { readDeployment } from './target';

export type { Readiness } from '../../kubernetes/readiness';

export interface ReadinessInput {
  namespace: string;
  name: string;
  /** Percent of updated replicas that must be available. */
  readyThreshold: number;
  /** The Canary's progressDeadlineSeconds, for Flagger's "stuck without minimum replicas" rule. */
  progressDeadlineSeconds?: number;
}

export const notFound = (namespace: string, name: string): Readiness =>
  ({ ready: false, message: `deployment ${name}.${namespace} get query error: not found`, deadlineExceeded: false, available: 0, desired: 0 });

export async function deploymentReadiness(kube: KubeClients, input: ReadinessInput): Promise<Readiness> {
  const d = await readDeployment(kube, input.namespace, input.name);
  if (d === undefined) return notFound(input.namespace, input.name);
  return evaluateReadiness(d, input.readyThreshold, options(input));
}

export const options = (input: ReadinessInput): { progressDeadlineSeconds?: number } =>
  (input.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: input.progressDeadlineSeconds });
