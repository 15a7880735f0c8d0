// The readiness of both sides of a rollout in one observation, for the check Flagger makes every
// tick: the primary (which serves) and the canary (the target under analysis).
import { type CanarySettings } from '../../api/canary-settings';
import { type KubeClients } from '../../kubernetes/client';
import { primaryName } from '../../kubernetes/primary';
import { type Readiness, deploymentReadiness } from './readiness';

export async function rolloutReadiness(kube: KubeClients, input: { settings: CanarySettings }): Promise<{ canary: Readiness; primary: Readiness }> {
  const { namespace, targetRef, analysis, progressDeadlineSeconds } = input.settings;
  const [canary, primary] = await Promise.all([
    deploymentReadiness(kube, { namespace, name: targetRef.name, readyThreshold: analysis.canaryReadyThreshold, progressDeadlineSeconds }),
    deploymentReadiness(kube, { namespace, name: primaryName(targetRef.name), readyThreshold: analysis.primaryReadyThreshold, progressDeadlineSeconds }),
  ]);
  return { canary, primary };
}
