// Kubernetes activities: observe the target and the Deployments, and bring the primary, its
// configs, HPA and Services to the state Flagger would give them. All idempotent.
import { type KubeClients } from '../../kubernetes/client';
import { using } from '../bind';
import { initializePrimary } from './initialize-primary';
import { inspectTarget } from './inspect-target';
import { promotePrimary } from './promote-primary';
import { deploymentReadiness } from './readiness';
import { rolloutReadiness } from './rollout-readiness';
import { revertApexService } from './revert-apex-service';
import { canaryReplicas, scaleDeployment } from './scale';
import { waitForReady } from './wait-for-ready';

export { type TargetInfo } from './inspect-target';
export { type PromotionResult } from './promote-primary';
export { type Readiness, type ReadinessInput } from './readiness';

export function kubernetesActivities(kube: KubeClients) {
  return {
    inspectTarget: using(kube, inspectTarget),
    initializePrimary: using(kube, initializePrimary),
    promotePrimary: using(kube, promotePrimary),
    revertApexService: using(kube, revertApexService),
    scaleDeployment: using(kube, scaleDeployment),
    canaryReplicas: using(kube, canaryReplicas),
    deploymentReadiness: using(kube, deploymentReadiness),
    rolloutReadiness: using(kube, rolloutReadiness),
    waitForReady: using(kube, waitForReady),
  };
}
