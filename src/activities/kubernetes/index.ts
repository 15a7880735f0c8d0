// Kubernetes activities: observe the target (a Deployment or a DaemonSet) and bring the primary, its
// configs, autoscaler and Services to the state Flagger would give them. All idempotent. Each keeps
// its registered name whatever the target's kind, which it reads from its input.
import { using } from '../bind';
import { initializePrimary } from './initialize-primary';
import { inspectTarget } from './inspect-target';
import { promotePrimary } from './promote-primary';
import { deploymentReadiness } from './readiness';
import { rolloutReadiness } from './rollout-readiness';
import { revertApexService } from './revert-apex-service';
import { canaryReplicas, scaleDeployment } from './scale';
import { type KubeTargets } from './target';
import { waitForReady } from './wait-for-ready';

export { type InspectInput, type TargetInfo } from './inspect-target';
export { type PromotionResult } from './promote-primary';
export { type Readiness, type ReadinessInput } from './readiness';
export { type ScaleInput } from './scale';
export { type KubeTargets } from './target';

export function kubernetesActivities(deps: KubeTargets) {
  return {
    inspectTarget: using(deps, inspectTarget),
    initializePrimary: using(deps, initializePrimary),
    promotePrimary: using(deps, promotePrimary),
    revertApexService: using(deps, revertApexService),
    scaleDeployment: using(deps, scaleDeployment),
    canaryReplicas: using(deps, canaryReplicas),
    deploymentReadiness: using(deps, deploymentReadiness),
    rolloutReadiness: using(deps, rolloutReadiness),
    waitForReady: using(deps, waitForReady),
  };
}
