// The worker's activities, built the way src/worker.ts builds them (createActivities), on the local
// stack: its kube-apiserver, its Prometheus as the default metrics server, and test settings.
import type * as k8s from '@kubernetes/client-node';
import { type Activities, createActivities } from '../../src/activities';
import { type ActivityConfig, activityConfig } from '../../src/config';
import { type CanaryLister } from '../../src/kubernetes/canary-cache';
import { type KubeClients, kubeClients } from '../../src/kubernetes/client';
import { CanaryMetrics } from '../../src/metrics/canary-metrics';
import { kubeConfig, stack } from '../support/stack';

export interface StackActivities extends Activities {
  /** The clients the activities use. */
  readonly kube: KubeClients;
  /** The metrics the activities feed. */
  readonly metrics: CanaryMetrics;
}

/**
 * `config`: the defaults of an installation that sets nothing, with the stack's Prometheus.
 * `canaries`: what the duplicate-target check sees, none unless a test passes a cache; `kc`: the
 * stack's kube-apiserver unless a test reaches it another way.
 */
export function stackActivities(
  config: Partial<ActivityConfig> = {},
  canaries: CanaryLister = { list: () => [] },
  kc: k8s.KubeConfig = kubeConfig(),
): StackActivities {
  const kube = kubeClients(kc);
  const metrics = new CanaryMetrics();
  const activities = createActivities({ ...activityConfig({}), metricsServer: stack().prometheus, ...config }, { kube, canaries, metrics });
  return { ...activities, kube, metrics };
}
