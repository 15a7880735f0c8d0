// Kubernetes activities: observe the target and the Deployments, and bring the primary, its
// configs, HPA and Services to the state Flagger would give them. All idempotent.
export { inspectTarget, type TargetInfo } from './inspect-target';
export { initializePrimary } from './initialize-primary';
export { promotePrimary, type PromotionResult } from './promote-primary';
export { revertApexService } from './revert-apex-service';
export { scaleDeployment, canaryReplicas } from './scale';
export { deploymentReadiness, type Readiness, type ReadinessInput } from './readiness';
export { rolloutReadiness } from './rollout-readiness';
export { waitForReady } from './wait-for-ready';
