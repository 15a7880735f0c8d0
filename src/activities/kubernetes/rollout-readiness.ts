// The readiness of both sides of a rollout in one observation, for the check Flagger makes every
// tick: the primary (which serves) and the canary (the target under analysis).
import { type CanarySettings } from '../../api/canary-settings';
import { primaryName } from '../../kubernetes/primary';
import { type Readiness, deploymentReadiness } from './readiness';
import { type KubeTargets } from './target';

export async function rolloutReadiness(deps: KubeTargets, input: { settings: CanarySettings }): Promise<{ canary: Readiness; primary: Readiness }> {
  const { namespace, targetRef, analysis, progressDeadlineSeconds } = input.settings;
  const { kind } = targetRef;
  const [canary, primary] = await Promise.all([
    deploymentReadiness(deps, { namespace, name: targetRef.name, kind, readyThreshold: analysis.canaryReadyThreshold, progressDeadlineSeconds }),
    deploymentReadiness(deps, {
      namespace,
      name: primaryName(targetRef.name),
      kind,
      readyThreshold: analysis.primaryReadyThreshold,
      progressDeadlineSeconds,
    }),
  ]);
  return { canary, primary };
}
